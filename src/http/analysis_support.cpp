#include "hotspot/http/analysis_support.hpp"

#include "hotspot/http/cache.hpp"
#include "hotspot/http/metadata.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace hotspot::http {

Expected<AnalysisRequest> parse_analysis_request(const Request& request, const Context& context,
                                                 const std::vector<std::string_view>& own_names,
                                                 const std::vector<std::string_view>& without) {
  std::vector<std::string_view> names;
  for (auto name : selection_param_names()) {
    if (std::find(without.begin(), without.end(), name) == without.end()) names.push_back(name);
  }
  names.insert(names.end(), own_names.begin(), own_names.end());
  auto params = Params::parse(request, names);
  if (!params) return params.error();
  auto snapshot = current_snapshot(context);
  if (!snapshot) return snapshot.error();
  auto selection = parse_selection(*params, **snapshot);
  if (!selection) return selection.error();
  // Parameters this endpoint does not take are echoed neither in metadata
  // nor in the cache key.
  auto& normalised = selection->normalised;
  normalised.erase(std::remove_if(normalised.begin(), normalised.end(),
                                  [&](const auto& pair) {
                                    return std::find(without.begin(), without.end(),
                                                     pair.first) != without.end();
                                  }),
                   normalised.end());
  return AnalysisRequest{std::move(*snapshot), std::move(*params), std::move(*selection), {}};
}

Response cached(const Context& context, std::string_view endpoint, const AnalysisRequest& request,
                const std::function<Response()>& compute) {
  std::string key(endpoint);
  for (const auto* list : {&request.selection.normalised, &request.own}) {
    for (const auto& [name, value] : *list) key += "&" + name + "=" + value;
  }
  key += "#" + request.snapshot->version;
  if (context.cache) {
    if (auto hit = context.cache->get(key)) {
      Response response = *hit;
      response.headers.emplace_back("X-Cache", "hit");
      return response;
    }
  }
  Response response = compute();
  if (context.cache && response.status == 200) {
    context.cache->put(key, std::make_shared<const Response>(response));
  }
  response.headers.emplace_back("X-Cache", "miss");
  return response;
}

nlohmann::json analysis_metadata(const AnalysisRequest& request, std::string_view endpoint,
                                 std::string_view method_version,
                                 const analysis::Selection& selection) {
  auto parameters = request.selection.normalised;
  parameters.insert(parameters.end(), request.own.begin(), request.own.end());
  nlohmann::json metadata = base_metadata(*request.snapshot, endpoint, method_version, parameters);
  auto excluded = nlohmann::json::object();
  for (const auto& [reason, count] : selection.excluded) excluded[reason] = count;
  metadata["counts"] = {{"considered", selection.considered},
                        {"selected", selection.rows.size()},
                        {"excluded", std::move(excluded)}};
  // The time-precision rules that decided inclusion, in words.
  metadata["selection_rules"] = selection.rules;
  return metadata;
}

void selected_points(const data::IncidentTable& table, const analysis::Selection& selection,
                     std::vector<double>& xs, std::vector<double>& ys) {
  xs.resize(selection.rows.size());
  ys.resize(selection.rows.size());
  for (std::size_t k = 0; k < selection.rows.size(); ++k) {
    xs[k] = table.x[selection.rows[k]];
    ys[k] = table.y[selection.rows[k]];
  }
}

Expected<bool> parse_bool(std::string_view name, std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return make_error(ErrorCode::invalid_parameter, "Parameter '" + std::string(name) + "': '" +
                                                      std::string(text) +
                                                      "' is not true or false");
}

}  // namespace hotspot::http
