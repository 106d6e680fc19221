#pragma once
// The API's renderer: a FeatureTable as an RFC 7946 FeatureCollection in
// WGS84 lon/lat, with the answer's metadata as a foreign member.

#include "hotspot/common/error.hpp"
#include "hotspot/render/features.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace hotspot::render {

struct GeoJsonOptions {
  // Coordinates in EPSG:27700 metres (to the millimetre) as computed, for
  // clients that ask for the grid (OGC API crs=); RFC 7946 WGS84 otherwise.
  bool grid = false;
  // Foreign members written before `metadata` (OGC API links, numberMatched, ...).
  const nlohmann::json* members = nullptr;
};

Expected<std::string> to_geojson(const FeatureTable& table, const nlohmann::json& metadata,
                                 const GeoJsonOptions& options = {});
// Feature `index` of the table alone, as a GeoJSON Feature with the same
// foreign members.
Expected<std::string> to_geojson_feature(const FeatureTable& table, std::size_t index,
                                         const nlohmann::json& metadata,
                                         const GeoJsonOptions& options = {});

}  // namespace hotspot::render
