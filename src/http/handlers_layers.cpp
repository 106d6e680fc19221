// /api/health, /api/layers, /api/layers/wards, /api/layers/town-centres,
// /api/layers/groups, /api/load-report: what is loaded and how loading went.
#include "hotspot/http/handlers.hpp"
#include "hotspot/http/layer_extents.hpp"
#include "hotspot/http/report_json.hpp"

#include "hotspot/data/category.hpp"
#include "hotspot/data/load_report.hpp"
#include "hotspot/engine/projection.hpp"
#include "hotspot/engine/query.hpp"
#include "hotspot/http/serve.hpp"
#include "hotspot/render/disclosure.hpp"
#include "hotspot/render/metadata.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace hotspot::http {
namespace {

// Sources of one kind, for a layer's entry in /api/layers.
nlohmann::json sources_of(const data::Snapshot& snapshot, std::string_view kind) {
  auto list = nlohmann::json::array();
  for (const auto& source : snapshot.sources) {
    if (source.kind != kind) continue;
    list.push_back({{"path", data::file_name(source.path)},
                    {"format", source.format},
                    {"synthetic", source.synthetic},
                    {"licence", source.licence}});
  }
  return list;
}

Response boundary_layer(const Request& request, const Context& context, engine::AreaLayer layer) {
  auto prepared = prepare(request, context, {}, true);
  if (!prepared) return error_response(prepared.error());
  const std::string_view endpoint = layer == engine::AreaLayer::wards    ? "layers/wards"
                                    : layer == engine::AreaLayer::groups ? "layers/groups"
                                                                         : "layers/town-centres";
  // Boundaries are few and quick to render: answered on this thread, never
  // queued behind analyses.
  return run_deferred(cached(context, endpoint, {}, *prepared, [&](const Deadline&) {
    return feature_response(render::boundary_answer(*prepared->snapshot, layer), request,
                            *prepared, endpoint, {});
  }));
}

// Whether row i counts in what is published: public mode leaves out
// domestic incidents everywhere, totals included.
bool published_row(const Context& context, const data::IncidentTable& t, std::size_t i) {
  return !context.disclosure.public_mode || i >= t.domestic.size() || t.domestic[i] == 0;
}

// The rows published_row() keeps.
std::size_t published_rows(const Context& context, const data::IncidentTable& t) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < t.size(); ++i) n += published_row(context, t, i);
  return n;
}

// An incident count as the disclosure policy lets it be published.
nlohmann::json count_json(const Context& context, std::size_t n) {
  nlohmann::json value = n;
  render::disclose_counts(value, context.disclosure);
  return value;
}

}  // namespace

Response handle_health(const Request& request, const Context& context) {
  auto prepared = prepare(request, context, {}, false);
  if (!prepared) return error_response(prepared.error());
  const data::Snapshot& s = *prepared->snapshot;
  // Degraded: a configured file failed, in the snapshot served or in the
  // last reload (refused whole, so the served snapshot is older).
  std::vector<std::string> reasons = data::load_failures(s);
  for (const auto& failure : context.store->reload_failures()) {
    reasons.push_back("reload refused, still serving the data loaded at " + s.report.loaded_at +
                      ": " + failure);
  }
  const bool degraded = !reasons.empty();
  Response response = json_response({{"status", degraded ? "degraded" : "ok"},
                                     {"reasons", std::move(reasons)},
                                     {"warnings", data::load_warnings(s)},
                                     {"area_name", s.area.name},
                                     {"started_at", context.started_at},
                                     {"loaded_at", s.report.loaded_at},
                                     {"snapshot_version", s.version},
                                     {"incidents", count_json(context, published_rows(context, *s.incidents))},
                                     {"wards", s.wards->size()},
                                     {"town_centres", s.town_centres->size()},
                                     {"public", context.disclosure.public_mode},
                                     // The page asks for a token before any read.
                                     {"reading", context.private_reads ? "private" : "open"},
                                     {"disclosure", render::disclosure_json(context.disclosure)}});
  return response;
}

Response handle_layers(const Request& request, const Context& context) {
  auto prepared = prepare(request, context, {}, false);
  if (!prepared) return error_response(prepared.error());
  const data::Snapshot& s = *prepared->snapshot;
  auto transformer = engine::to_wgs84();
  if (!transformer) return error_response(transformer.error());

  const data::IncidentTable& incidents = *s.incidents;
  auto categories = nlohmann::json::object();
  std::array<std::size_t, data::kCategoryCount> counts{};
  for (std::size_t i = 0; i < incidents.category.size(); ++i) {
    if (published_row(context, incidents, i)) ++counts[static_cast<std::size_t>(incidents.category[i])];
  }
  for (int c = 0; c < data::kCategoryCount; ++c) {
    categories[std::string(data::category_name(static_cast<data::Category>(c)))] = counts[c];
  }
  // The dates the published rows cover (public mode: not the domestic ones).
  nlohmann::json first_day = nullptr, last_day = nullptr;
  std::optional<std::int32_t> lo, hi;
  for (std::size_t i = 0; i < incidents.local_day.size(); ++i) {
    if (!published_row(context, incidents, i)) continue;
    const std::int32_t day = incidents.local_day[i];
    lo = lo ? std::min(*lo, day) : day;
    hi = hi ? std::max(*hi, day) : day;
  }
  if (lo) {
    first_day = engine::format_date(*lo);
    last_day = engine::format_date(*hi);
  }
  const nlohmann::json incidents_bbox =
      bbox_json(incidents_lonlat_extent(s, context.disclosure, **transformer));

  auto boundary_entry = [&](const data::BoundaryLayer& layer, std::string_view name,
                            std::string_view url) {
    return nlohmann::json{{"name", name},
                          {"url", url},
                          {"features", layer.size()},
                          {"bbox", bbox_json(lonlat_extent(layer))},
                          {"sources", sources_of(s, layer.kind)},
                          {"synthetic", render::any_synthetic(s, layer.kind)}};
  };
  nlohmann::json layers = nlohmann::json::array();
  layers.push_back(boundary_entry(*s.wards, "wards", "/api/layers/wards"));
  nlohmann::json centres = boundary_entry(*s.town_centres, "town-centres", "/api/layers/town-centres");
  // Town centres sharing no area with the wards: a town-centre scope is empty there.
  centres["outside_wards"] = s.town_centres_outside;
  layers.push_back(std::move(centres));
  // Groups of wards: also how many wards are in none (the load report names them).
  nlohmann::json groups = boundary_entry(*s.groups->layer, "groups", "/api/layers/groups");
  groups["unassigned_wards"] = s.groups->layer->size() > 0 ? s.groups->unassigned.size()
                                                           : s.wards->size();
  layers.push_back(std::move(groups));
  render::disclose_counts(categories, context.disclosure);
  // Public mode: no points (the URL answers 403), counts as published.
  layers.push_back({{"name", "incidents"},
                    {"url", context.disclosure.public_mode ? nlohmann::json(nullptr)
                                                           : nlohmann::json("/api/incidents")},
                    {"features", count_json(context, published_rows(context, incidents))},
                    {"bbox", incidents_bbox},
                    {"categories", std::move(categories)},
                    {"first_day", first_day},
                    {"last_day", last_day},
                    {"sources", sources_of(s, "incidents")},
                    {"synthetic", render::any_synthetic(s, "incidents")}});

  return json_response({{"layers", std::move(layers)},
                        {"area", {{"name", s.area.name}, {"from", s.area.source}}},
                        {"warnings", data::load_warnings(s)},
                        {"licences", licences_json(s)},
                        {"sources", render::sources_json(s)},
                        {"loaded_at", s.report.loaded_at},
                        {"snapshot_version", s.version}});
}

Response handle_wards(const Request& request, const Context& context) {
  return boundary_layer(request, context, engine::AreaLayer::wards);
}

Response handle_town_centres(const Request& request, const Context& context) {
  return boundary_layer(request, context, engine::AreaLayer::town_centres);
}

Response handle_groups(const Request& request, const Context& context) {
  return boundary_layer(request, context, engine::AreaLayer::groups);
}

Response handle_load_report(const Request& request, const Context& context) {
  auto prepared = prepare(request, context, {}, false);
  if (!prepared) return error_response(prepared.error());
  const data::Snapshot& s = *prepared->snapshot;
  auto files = nlohmann::json::array();
  std::size_t read = 0, accepted = 0, rejected = 0;
  for (const auto& file : s.report.files) {
    files.push_back(file_report_json(file));
    if (file.kind == "incidents") {
      read += file.rows_read;
      accepted += file.rows_accepted;
      rejected += file.rows_rejected;
    }
  }
  nlohmann::json body = {{"loaded_at", s.report.loaded_at},
                         {"snapshot_version", s.version},
                         {"incidents",
                          {{"rows_read", read},
                           {"rows_accepted", accepted},
                           {"rows_rejected", rejected},
                           {"in_table", s.incidents->size()},
                           {"distinct_locations", s.report.distinct_locations},
                           {"stacked_rows", s.report.stacked_rows}}},
                         {"files", std::move(files)}};
  // Public mode: row counts as any count (a handful of rejected rows of one
  // kind is a small count too); the examples quote rows and the notes may
  // count them in words, so both go.
  if (context.disclosure.public_mode) {
    render::disclose_counts(body["incidents"], context.disclosure);
    for (auto& file : body["files"]) {
      for (const char* key : {"rows_read", "rows_accepted", "rows_rejected", "issues"}) {
        render::disclose_counts(file[key], context.disclosure);
      }
      file["examples"] = nlohmann::json::array();
      file["notes"] = nlohmann::json::array();
    }
  }
  body["disclosure"] = render::disclosure_json(context.disclosure);
  return json_response(body);
}

}  // namespace hotspot::http
