#include "hotspot/http/metadata.hpp"

#include <nlohmann/json.hpp>

namespace hotspot::http {

Expected<std::shared_ptr<const data::Snapshot>> current_snapshot(const Context& context) {
  std::shared_ptr<const data::Snapshot> snapshot =
      context.store ? context.store->current() : nullptr;
  if (!snapshot) {
    return make_error(ErrorCode::unavailable, "Data is not loaded yet; try again shortly");
  }
  return snapshot;
}

nlohmann::json sources_json(const data::Snapshot& snapshot) {
  auto sources = nlohmann::json::array();
  for (const auto& source : snapshot.sources) {
    sources.push_back({{"path", source.path},
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
                             std::string_view method_version,
                             const std::vector<std::pair<std::string, std::string>>& parameters) {
  auto params = nlohmann::json::object();
  for (const auto& [name, value] : parameters) {
    // An absent optional parameter is echoed as null, not as "".
    params[name] = value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
  }
  return {{"endpoint", endpoint},
          {"method_version", method_version},
          {"parameters", std::move(params)},
          {"sources", sources_json(snapshot)},
          {"loaded_at", snapshot.report.loaded_at},
          {"snapshot_version", snapshot.version},
          {"synthetic", any_synthetic(snapshot, "incidents")},
          {"generated_at", utc_now_iso8601()}};
}

Response json_response(const nlohmann::json& body) {
  Response response;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response geojson_response(std::string body) {
  Response response;
  response.content_type = "application/geo+json";
  response.body = std::move(body);
  return response;
}

}  // namespace hotspot::http
