#include "hotspot/render/metadata.hpp"

#include "hotspot/data/load_report.hpp"
#include "hotspot/data/local_time.hpp"

namespace hotspot::render {

nlohmann::json sources_json(const data::Snapshot& snapshot) {
  auto sources = nlohmann::json::array();
  for (const auto& source : snapshot.sources) {
    sources.push_back({{"path", data::file_name(source.path)},
                       {"kind", source.kind},
                       {"format", source.format},
                       {"loaded_at", source.loaded_at},
                       {"synthetic", source.synthetic},
                       {"licence", source.licence}});
  }
  return sources;
}

bool any_synthetic(const data::Snapshot& snapshot, std::string_view kind) {
  for (const auto& source : snapshot.sources) {
    if (source.kind == kind && source.synthetic) return true;
  }
  return false;
}

nlohmann::json base_metadata(const data::Snapshot& snapshot, std::string_view endpoint,
                             std::string_view method_version, const engine::Canonical& parameters) {
  auto params = nlohmann::json::object();
  for (const auto& [name, value] : parameters) {
    params[name] = value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
  }
  return {{"endpoint", endpoint},
          {"method_version", method_version},
          {"parameters", std::move(params)},
          {"sources", sources_json(snapshot)},
          {"loaded_at", snapshot.report.loaded_at},
          {"snapshot_version", snapshot.version},
          {"synthetic", any_synthetic(snapshot, "incidents")},
          {"generated_at", data::utc_now_iso8601()}};
}

namespace {

// Why a step removes a row it could place, in words for a reader.
std::string_view funnel_reason(analysis::FunnelStep step) {
  using analysis::FunnelStep;
  switch (step) {
    case FunnelStep::category: return "not in the chosen categories";
    case FunnelStep::domestic: return "left out by the domestic filter";
    case FunnelStep::alcohol: return "alcohol not recorded as asked";
    case FunnelStep::dates: return "outside the dates";
    case FunnelStep::days: return "not on the chosen days of the week";
    case FunnelStep::window: return "outside the time of day";
    case FunnelStep::area: return "outside the chosen wards, group or box";
    case FunnelStep::scope: return "outside the town-centre scope";
  }
  return "";
}

}  // namespace

nlohmann::json funnel_json(const std::vector<analysis::FunnelCount>& funnel) {
  auto steps = nlohmann::json::array();
  for (const analysis::FunnelCount& s : funnel) {
    steps.push_back({{"step", analysis::funnel_step_name(s.step)},
                     {"entering", s.entering},
                     {"removed", s.removed},
                     {"kept", s.kept()},
                     {"removed_month_only", s.removed_month_only},
                     {"removed_day_only", s.removed_day_only},
                     {"removed_unjudged", s.removed_unjudged},
                     {"removed_placed_outside", s.removed_placed_outside()},
                     {"reason", funnel_reason(s.step)}});
  }
  return steps;
}

nlohmann::json selection_counts(const analysis::Selection& selection) {
  auto excluded = nlohmann::json::object();
  for (const auto& [reason, count] : selection.excluded) excluded[reason] = count;
  return {{"selected", selection.rows.size()},
          {"excluded", std::move(excluded)},
          {"funnel", funnel_json(selection.funnel)}};
}

nlohmann::json nni_json(const std::optional<analysis::ClarkEvans>& nni) {
  if (!nni) return nullptr;
  return {{"r", nni->r},
          {"observed_mean_m", nni->observed_mean_m},
          {"expected_mean_m", nni->expected_mean_m},
          {"z", nni->z},
          {"p", nni->p},
          {"correction", analysis::kClarkEvansCorrection},
          {"locations", nni->locations},
          {"stacked_rows", nni->stacked_rows},
          {"stacked_rule", analysis::kClarkEvansStackRule},
          {"window_m2", nni->area_m2}};
}

nlohmann::json analysis_metadata(const data::Snapshot& snapshot, std::string_view endpoint,
                                 std::string_view method_version,
                                 const engine::Canonical& parameters,
                                 const analysis::Selection& selection) {
  nlohmann::json metadata = base_metadata(snapshot, endpoint, method_version, parameters);
  metadata["counts"] = selection_counts(selection);
  metadata["counts"]["considered"] = selection.considered;
  metadata["selection_rules"] = selection.rules;
  metadata["nni"] = nni_json(selection.nni);
  return metadata;
}

}  // namespace hotspot::render
