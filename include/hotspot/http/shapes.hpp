#pragma once
// Output shapes built in EPSG:27700 and written as lon/lat GeoJSON
// geometries: grid cells and cluster hulls.

#include "hotspot/analysis/grid.hpp"
#include "hotspot/geo/crs.hpp"
#include "hotspot/geo/types.hpp"
#include "hotspot/http/json_writer.hpp"

#include <span>
#include <vector>

namespace hotspot::http {

// Convex hull (monotone chain), counter-clockwise, not closed, without
// collinear points. Fewer than 3 points back means the input is one point
// (1) or lies on a line (2: its extreme points).
std::vector<geo::Point> convex_hull(std::vector<geo::Point> points);
// Area of a counter-clockwise polygon given by its vertices (not closed), m².
double polygon_area(std::span<const geo::Point> ring);

// The hull as a Polygon (3+ vertices), LineString (2) or Point (1) in lon/lat.
void write_hull_geometry(JsonWriter& w, std::span<const geo::Point> hull,
                         const geo::Transformer& to_lonlat);
// Cell (ix, iy) of `grid` as a Polygon in lon/lat, counter-clockwise.
void write_cell_geometry(JsonWriter& w, const analysis::GridGeometry& grid, std::int32_t ix,
                         std::int32_t iy, const geo::Transformer& to_lonlat);

}  // namespace hotspot::http
