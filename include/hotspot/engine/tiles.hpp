#pragma once
// Web Mercator vector tiles (EPSG:3857, XYZ scheme: x grows east, y grows
// south, tile 0/0/0 is the whole world): the tile address read from a path,
// the tile's extent in the CRSs the engine and renderers need, and the
// incident layer of a tile (counts per cell at low zoom, rows at high zoom).

#include "hotspot/analysis/selection.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/canonical.hpp"
#include "hotspot/engine/query.hpp"
#include "hotspot/engine/selection.hpp"
#include "hotspot/geo/types.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace hotspot::engine {

inline constexpr int kMaxTileZoom = 22;
// Half the width of the Web Mercator square, metres (pi * WGS84 semi-major axis).
inline constexpr double kMercatorHalfWidth = 20037508.342789244;
// Tile coordinates per side (MVT EXTENT) and the margin drawn around a tile
// (MVT BUFFER, in the same units): GDAL's defaults, so a point symbol or a
// line at a tile's edge is not cut off by the renderer.
inline constexpr int kTileExtent = 4096;
inline constexpr int kTileBuffer = 80;
// Incident tiles hold points from this zoom (about 1.4 km wide over County
// Durham) and counts per cell below it.
inline constexpr int kIncidentPointsMinZoom = 14;
// Cells per side of an incident tile's count grid: 16 px cells on a 256 px tile.
inline constexpr int kTileCellsPerSide = 16;

struct TileAddress {
  int z = 0;
  int x = 0;
  int y = 0;
};

// z 0..kMaxTileZoom, then x and y 0..2^z-1, each a plain decimal;
// invalid_parameter naming {z}, {x} or {y} otherwise.
Expected<TileAddress> parse_tile_address(std::string_view z, std::string_view x,
                                         std::string_view y);

// The tile's square in EPSG:3857 metres, grown by `margin` tile units
// (kTileBuffer for the tile as drawn) on every side.
geo::Box tile_mercator_box(const TileAddress& tile, int margin = 0);
// Lon/lat <-> EPSG:3857 (spherical Mercator on WGS84 coordinates, as PROJ does it).
geo::Point lonlat_to_mercator(double lon, double lat);
geo::LonLat mercator_to_lonlat(geo::Point p);
// The tile grown by `margin` tile units as an EPSG:27700 box that encloses
// it; nullopt when it lies wholly outside the British National Grid's area
// of use (no loaded feature can be there).
std::optional<geo::Box> tile_bng_box(const TileAddress& tile, int margin = 0);

// /tiles/incidents: the selection filters /api/incidents takes.
struct IncidentTileParams {
  SelectionParams selection;

  static std::span<const std::string_view> names() { return SelectionParams::names(); }
  static Expected<IncidentTileParams> parse(const Query& query, const data::Snapshot& snapshot);
  std::optional<Error> validate() const { return selection.validate(); }
  Canonical canonical() const;
};

struct IncidentTile {
  TileAddress tile;
  analysis::Selection selection;
  // Points (points == true): the selected rows inside the tile, ascending.
  // Not those in its buffer: GDAL's MVT writer puts a point in the one tile
  // that holds it, never in a neighbour's buffer.
  bool points = false;
  std::vector<std::uint32_t> rows;
  // Counts (points == false): selected incidents per cell, row-major from
  // the tile's north-west corner, kTileCellsPerSide squared. Tiles and cells
  // hold [west, east) x (south, north], so the cells partition the tile and
  // sum to the incidents inside it.
  std::vector<std::uint32_t> cell_counts;
};

// The incidents of one tile. Points only from kIncidentPointsMinZoom and
// when `points_allowed` (public mode publishes no points: counts at every zoom).
Expected<IncidentTile> run_incident_tile(const data::Snapshot& snapshot,
                                         const IncidentTileParams& params,
                                         const TileAddress& tile, bool points_allowed,
                                         const Deadline& deadline = Deadline::none());

// A cell's square in EPSG:3857 metres (column from the west, row from the north).
geo::Box tile_cell_box(const TileAddress& tile, int column, int row);

}  // namespace hotspot::engine
