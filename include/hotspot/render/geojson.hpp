#pragma once
// The API's renderer: a FeatureTable as an RFC 7946 FeatureCollection in
// WGS84 lon/lat, with the answer's metadata as a foreign member.

#include "hotspot/common/error.hpp"
#include "hotspot/render/features.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace hotspot::render {

Expected<std::string> to_geojson(const FeatureTable& table, const nlohmann::json& metadata);

}  // namespace hotspot::render
