#pragma once
// Mapbox Vector Tiles (MVT) of an answer's features, written by GDAL's MVT
// driver, one tile at a time: the features near the tile go to an in-memory
// layer, GDAL clips them to the tile grown by its buffer and writes that zoom
// level into a private /vsimem/ directory, and the one tile asked for is read
// back. GIS clients (QGIS, MapLibre, OpenLayers) decode what GDAL writes.

#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/tiles.hpp"
#include "hotspot/render/answers.hpp"
#include "hotspot/render/features.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotspot::render {

inline constexpr std::string_view kVectorTileType = "application/vnd.mapbox-vector-tile";

// The tile's bytes (uncompressed MVT, EXTENT kTileExtent, BUFFER kTileBuffer),
// one layer named table.name. Empty when no feature reaches the tile: an
// empty body is a valid tile with no layers. `epsg`: the CRS of the table's
// coordinates (27700 for the engine's answers, 3857 for count cells).
// Thread-safe: each call works in its own /vsimem/ directory.
Expected<std::string> encode_tile(const FeatureTable& table, const engine::TileAddress& tile,
                                  int epsg = 27700);

// The counts of an incident tile as squares in EPSG:3857 (one per cell with
// an incident), layer "incident_cells", `count` a count of incidents (public
// mode suppresses and rounds it through render::disclose); id "column,row".
FeatureAnswer incident_cells_answer(const engine::IncidentTile& tile);
// The points of an incident tile: /api/incidents' features and properties.
FeatureAnswer incident_points_answer(const data::Snapshot& snapshot,
                                     const engine::IncidentTileParams& params,
                                     const engine::IncidentTile& tile);

// A layer's fields as TileJSON's vector_layers gives them: name and
// "Number", "String" or "Boolean", with the "id" the feature ids are
// written as when the table has no field of that name (numbers or text).
std::vector<std::pair<std::string, std::string>> tile_fields(const FeatureTable& table,
                                                             bool numeric_ids);

}  // namespace hotspot::render
