#pragma once
// Output shapes built in EPSG:27700 and written as lon/lat GeoJSON
// geometries: grid cells, polygons (cluster hulls, contour bands) and points.

#include "hotspot/analysis/grid.hpp"
#include "hotspot/geo/crs.hpp"
#include "hotspot/geo/geos.hpp"
#include "hotspot/geo/types.hpp"
#include "hotspot/http/json_writer.hpp"

#include <cstdint>

namespace hotspot::http {

// Cell (ix, iy) of `grid` as a Polygon in lon/lat, counter-clockwise.
void write_cell_geometry(JsonWriter& w, const analysis::GridGeometry& grid, std::int32_t ix,
                         std::int32_t iy, const geo::Transformer& to_lonlat);

// EPSG:27700 polygons as a Polygon (one part) or MultiPolygon in lon/lat,
// rewound for RFC 7946. `parts` must not be empty.
void write_rings_geometry(JsonWriter& w, const geo::MultiPolygonRings& parts,
                          const geo::Transformer& to_lonlat);

// An EPSG:27700 point as a GeoJSON Point in lon/lat.
void write_point_geometry(JsonWriter& w, geo::Point p, const geo::Transformer& to_lonlat);

// The area-weighted centroid of polygons (holes subtract); the centre of
// `fallback` when the polygons have no area.
geo::Point area_centroid(const geo::MultiPolygonRings& parts, const geo::Box& fallback);

}  // namespace hotspot::http
