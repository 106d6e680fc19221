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

nlohmann::json selection_counts(const analysis::Selection& selection) {
  auto excluded = nlohmann::json::object();
  for (const auto& [reason, count] : selection.excluded) excluded[reason] = count;
  return {{"selected", selection.rows.size()}, {"excluded", std::move(excluded)}};
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
