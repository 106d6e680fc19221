#pragma once
// What the analysis handlers share: parameters parsed against the selection
// filters plus the endpoint's own, the selection run, the cache lookup, and
// the metadata they all carry.

#include "hotspot/analysis/selection.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/http/params.hpp"
#include "hotspot/http/selection_params.hpp"
#include "hotspot/http/service.hpp"

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotspot::http {

struct AnalysisRequest {
  std::shared_ptr<const data::Snapshot> snapshot;
  Params params;
  ParsedSelection selection;
  // The endpoint's own parameters, effective values, in a fixed order.
  std::vector<std::pair<std::string, std::string>> own;
};

// Parses a request for `endpoint` taking the selection filters (minus
// `without`) plus `own_names`.
Expected<AnalysisRequest> parse_analysis_request(const Request& request, const Context& context,
                                                 const std::vector<std::string_view>& own_names,
                                                 const std::vector<std::string_view>& without = {});

// Answers from the cache when the same endpoint, parameters and snapshot were
// computed before; otherwise computes, and caches a 200 answer. Sets the
// X-Cache header (hit/miss).
Response cached(const Context& context, std::string_view endpoint, const AnalysisRequest& request,
                const std::function<Response()>& compute);

// base_metadata() with the selection and own parameters, and the selection
// counts (considered, selected, excluded by reason) and the selection rules.
nlohmann::json analysis_metadata(const AnalysisRequest& request, std::string_view endpoint,
                                 std::string_view method_version,
                                 const analysis::Selection& selection);

// The selected rows' coordinates.
void selected_points(const data::IncidentTable& table, const analysis::Selection& selection,
                     std::vector<double>& xs, std::vector<double>& ys);

// "true"/"false" only.
Expected<bool> parse_bool(std::string_view name, std::string_view text);

}  // namespace hotspot::http
