// Saved analyses: the methods they may use (each parsed and run exactly as
// its endpoint does), and running one again on the data it was made on.

#include "hotspot/http/saved_analyses.hpp"

#include "hotspot/engine/area_stats.hpp"
#include "hotspot/engine/clusters.hpp"
#include "hotspot/engine/compare.hpp"
#include "hotspot/engine/gistar.hpp"
#include "hotspot/engine/kde.hpp"
#include "hotspot/engine/profile.hpp"
#include "hotspot/render/disclosure.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace hotspot::http {
namespace {

template <typename Params>
using Parser = Expected<Params> (*)(const engine::Query&, const data::Snapshot&);

template <typename Params, Parser<Params> parse>
Expected<engine::Canonical> canonical_of(const Prepared& prepared) {
  auto params = with_disclosure(parse(prepared.query, *prepared.snapshot), prepared);
  if (!params) return params.error();
  return params->canonical();
}

template <typename Params, Parser<Params> parse, auto render_answer>
Expected<render::FeatureAnswer> answer_of(const Prepared& prepared, const Deadline& deadline) {
  auto params = with_disclosure(parse(prepared.query, *prepared.snapshot), prepared);
  if (!params) return params.error();
  auto result = engine::run(*prepared.snapshot, *params, deadline);
  if (!result) return result.error();
  return render_answer(*prepared.snapshot, *params, *result);
}

template <engine::AreaLayer layer>
Expected<engine::AreaStatsParams> parse_area_stats(const engine::Query& query,
                                                   const data::Snapshot& snapshot) {
  return engine::AreaStatsParams::parse(query, snapshot, layer);
}

template <typename Params, Parser<Params> parse, auto render_answer>
constexpr SavedMethod method(std::string_view endpoint) {
  return SavedMethod{endpoint, &Params::names, &canonical_of<Params, parse>,
                     &answer_of<Params, parse, render_answer>, nullptr};
}

// /api/profile's answer, disclosed as its endpoint discloses it.
Expected<nlohmann::json> profile_of(const Prepared& prepared, const Deadline& deadline) {
  auto params = with_disclosure(engine::ProfileParams::parse(prepared.query, *prepared.snapshot), prepared);
  if (!params) return params.error();
  auto result = engine::run(*prepared.snapshot, *params, deadline);
  if (!result) return result.error();
  nlohmann::json answer = render::profile_answer(*prepared.snapshot, *params, *result);
  render::disclose_profile(answer, prepared.disclosure);
  return answer;
}

using engine::AreaLayer;
using engine::AreaStatsParams;

// The analysis endpoints; /api/incidents (points, not an analysis) is not
// among them.
constexpr std::array kMethods{
    method<engine::DbscanParams, &engine::DbscanParams::parse, &render::dbscan_answer>(
        "hotspots/dbscan"),
    method<engine::KdeParams, &engine::KdeParams::parse, &render::kde_answer>("hotspots/kde"),
    method<engine::GiStarParams, &engine::GiStarParams::parse, &render::gistar_answer>(
        "hotspots/gistar"),
    method<AreaStatsParams, &parse_area_stats<AreaLayer::wards>, &render::area_stats_answer>(
        "stats/wards"),
    method<AreaStatsParams, &parse_area_stats<AreaLayer::town_centres>,
           &render::area_stats_answer>("stats/town-centres"),
    method<AreaStatsParams, &parse_area_stats<AreaLayer::groups>, &render::area_stats_answer>(
        "stats/groups"),
    method<engine::CompareParams, &engine::CompareParams::parse, &render::compare_answer>(
        "compare"),
    SavedMethod{"profile", &engine::ProfileParams::names,
                &canonical_of<engine::ProfileParams, &engine::ProfileParams::parse>, nullptr,
                &profile_of},
};

Expected<std::vector<data::SourceRecord>> store_records(const Context& context) {
  if (!context.sources.store) return std::vector<data::SourceRecord>{};
  return context.sources.store->list(true);
}

}  // namespace

std::span<const SavedMethod> saved_methods() { return kMethods; }

Error saving_off() {
  return make_error(ErrorCode::not_found,
                    "Saving analyses is off: start hotspotd with --store or --analyses FILE.gpkg");
}

const SavedMethod* saved_method(std::string_view endpoint) {
  for (const SavedMethod& m : kMethods) {
    if (m.endpoint == endpoint) return &m;
  }
  return nullptr;
}

Expected<std::vector<data::AnalysisRecord>> list_saved_analyses(const Context& context) {
  if (!context.analyses.book) return saving_off();
  return context.analyses.book->list();
}

Expected<SavedRun> prepare_saved(const Context& context, std::int64_t id,
                                 std::optional<render::ExportFormat> format) {
  if (!context.analyses.book) return saving_off();
  auto record = context.analyses.book->get(id);
  if (!record) return record.error();
  const SavedMethod* method = saved_method(record->method);
  if (method == nullptr) {
    return make_error(ErrorCode::gone, "Analysis " + std::to_string(id) + " uses the method '" +
                                           record->method + "', which this server does not have");
  }
  std::shared_ptr<const data::Snapshot> snapshot = context.store ? context.store->current() : nullptr;
  if (!snapshot) return make_error(ErrorCode::unavailable, "Data is not loaded yet; try again shortly");
  auto records = store_records(context);
  if (!records) return records.error();
  if (auto problem = data::saved_data_problem(*snapshot, *record, *records,
                                              context.sources.store != nullptr)) {
    return *problem;
  }
  auto pairs = parse_query_string(record->parameters);
  if (!pairs) return pairs.error();
  auto query = engine::Query::parse(*pairs, method->names());
  if (!query) return query.error();
  Prepared prepared{std::move(snapshot), std::move(*query), format,
                    context.limits.max_geojson_bytes, context.disclosure};
  auto canonical = method->canonical(prepared);
  if (!canonical) return canonical.error();
  return SavedRun{std::move(*record), method, std::move(prepared), std::move(*canonical)};
}

namespace {

// The request on the snapshot the analysis was made on.
Prepared on_saved_data(const SavedRun& run) {
  Prepared saved = run.prepared;
  saved.snapshot = data::saved_snapshot(run.prepared.snapshot, run.record);
  return saved;
}

// What would change from one run to the next comes from the record.
void stamp(nlohmann::json& metadata, const data::AnalysisRecord& record) {
  metadata["generated_at"] = record.created_at;
  metadata["analysis"] = {{"id", record.id},
                          {"name", record.name},
                          {"created_at", record.created_at},
                          {"created_by", record.created_by},
                          {"url", "/api/analyses/" + std::to_string(record.id)}};
}

}  // namespace

Expected<render::FeatureAnswer> run_saved(const SavedRun& run, const Deadline& deadline) {
  auto answer = run.method->answer(on_saved_data(run), deadline);
  if (answer) stamp(answer->metadata, run.record);
  return answer;
}

Expected<nlohmann::json> run_saved_json(const SavedRun& run, const Deadline& deadline) {
  auto answer = run.method->json_answer(on_saved_data(run), deadline);
  if (answer) stamp((*answer)["metadata"], run.record);
  return answer;
}

Expected<render::FeatureAnswer> saved_analysis_features(const Context& context, std::int64_t id,
                                                        const Deadline& deadline) {
  auto run = prepare_saved(context, id);
  if (!run) return run.error();
  if (run->method->answer == nullptr) {
    return make_error(ErrorCode::invalid_parameter,
                      "Analysis " + std::to_string(id) + " (" + run->record.method +
                          ") answers JSON, not features");
  }
  auto answer = run_saved(*run, deadline);
  if (answer) render::disclose(*answer, context.disclosure);
  return answer;
}

nlohmann::json analysis_json(const data::AnalysisRecord& r, const std::optional<Error>& problem) {
  const std::string url = "/api/analyses/" + std::to_string(r.id);
  auto sources = nlohmann::json::array();
  for (const data::SavedSource& s : r.sources) sources.push_back(s.id);
  return {{"id", r.id},
          {"name", r.name},
          {"method", r.method},
          {"parameters", r.parameters},
          {"created_at", r.created_at},
          {"created_by", r.created_by},
          {"snapshot_version", r.snapshot_version},
          {"store_version", r.store_version},
          {"sources", std::move(sources)},
          {"status", !problem                              ? "ok"
                     : problem->code == ErrorCode::gone ? "gone"
                                                          : "unavailable"},
          {"reason", problem ? nlohmann::json(problem->message) : nlohmann::json(nullptr)},
          {"url", url},
          {"live_url", "/api/" + r.method + "?" + r.parameters}};
}

}  // namespace hotspot::http
