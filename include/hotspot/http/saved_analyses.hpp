#pragma once
// Saved analyses for other modules (OGC API - Features serves each as a
// collection): the list, and one analysis's features, answered exactly as
// GET /api/analyses/{id} answers them (same data version, same metadata,
// the server's disclosure policy applied).

#include "hotspot/common/deadline.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/saved_analyses.hpp"
#include "hotspot/http/serve.hpp"
#include "hotspot/http/service.hpp"
#include "hotspot/render/answers.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hotspot::http {

// A method an analysis may be saved with: an analysis endpoint.
struct SavedMethod {
  std::string_view endpoint;  // as metadata.endpoint spells it: "hotspots/dbscan", ...
  std::span<const std::string_view> (*names)();
  // The parameters in `prepared.query`, parsed as the endpoint parses them,
  // in canonical form; or why they are refused.
  Expected<engine::Canonical> (*canonical)(const Prepared& prepared);
  // Its features; null for a method answering plain JSON (profile).
  Expected<render::FeatureAnswer> (*answer)(const Prepared& prepared, const Deadline& deadline);
  // Its plain JSON answer, disclosed; null for a feature method.
  Expected<nlohmann::json> (*json_answer)(const Prepared& prepared, const Deadline& deadline);
};

// Every method, and one by its endpoint (nullptr when none).
std::span<const SavedMethod> saved_methods();
const SavedMethod* saved_method(std::string_view endpoint);

// not_found, naming the options that turn saving on.
Error saving_off();

// Every saved analysis (not_found when saving is off).
Expected<std::vector<data::AnalysisRecord>> list_saved_analyses(const Context& context);

// Analysis `id`, ready to run on the data it was made on: its record and
// method, the request parsed from its canonical parameters against the
// served snapshot, and the canonical form. gone (410) when that data is no
// longer served (saved_data_problem), not_found when there is no such id.
struct SavedRun {
  data::AnalysisRecord record;
  const SavedMethod* method = nullptr;
  Prepared prepared;
  engine::Canonical canonical;
};
Expected<SavedRun> prepare_saved(const Context& context, std::int64_t id,
                                 std::optional<render::ExportFormat> format = std::nullopt);

// The analysis's features on its own data (data::saved_snapshot), with
// `generated_at` its creation time and an `analysis` member naming it, so
// the same data gives byte-identical GeoJSON; not yet disclosed.
Expected<render::FeatureAnswer> run_saved(const SavedRun& run, const Deadline& deadline);

// The same for a method answering plain JSON (profile).
Expected<nlohmann::json> run_saved_json(const SavedRun& run, const Deadline& deadline);

// run_saved after prepare_saved, under the server's disclosure policy;
// invalid_parameter for an analysis that answers plain JSON.
Expected<render::FeatureAnswer> saved_analysis_features(const Context& context, std::int64_t id,
                                                        const Deadline& deadline);

// The record as /api/analyses lists it; `problem` is why it cannot be
// answered now (status "gone" or "unavailable"), if anything.
nlohmann::json analysis_json(const data::AnalysisRecord& record, const std::optional<Error>& problem);

}  // namespace hotspot::http
