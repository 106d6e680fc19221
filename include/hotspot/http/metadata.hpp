#pragma once
// Pieces every response shares: the snapshot a request works on, the
// "metadata" foreign member of GeoJSON answers (sources, load time,
// synthetic flags, method version, generation time), and response builders.

#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/http/request.hpp"
#include "hotspot/http/service.hpp"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotspot::http {

// The snapshot to answer from, or `unavailable` while nothing is loaded.
Expected<std::shared_ptr<const data::Snapshot>> current_snapshot(const Context& context);

// [{path, kind, format, loaded_at, synthetic, licence}, ...]
nlohmann::json sources_json(const data::Snapshot& snapshot);
// True when any source of this kind ("incidents", "wards", ...) is synthetic.
bool any_synthetic(const data::Snapshot& snapshot, std::string_view kind);

// The metadata member: endpoint, method and version, parameters (defaults
// filled in), sources, loaded_at, snapshot version, synthetic flag, and
// generated_at. Callers add counts.
nlohmann::json base_metadata(const data::Snapshot& snapshot, std::string_view endpoint,
                             std::string_view method_version,
                             const std::vector<std::pair<std::string, std::string>>& parameters);

Response json_response(const nlohmann::json& body);
// Wraps a FeatureCollection body (written by JsonWriter) as application/geo+json.
Response geojson_response(std::string body);

}  // namespace hotspot::http
