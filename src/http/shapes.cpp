#include "hotspot/http/shapes.hpp"

#include <cmath>

namespace hotspot::http {

void write_cell_geometry(JsonWriter& w, const analysis::GridGeometry& grid, std::int32_t ix,
                         std::int32_t iy, const geo::Transformer& to_lonlat) {
  const double x0 = grid.origin_x + ix * grid.cell;
  const double y0 = grid.origin_y + iy * grid.cell;
  const double x1 = x0 + grid.cell;
  const double y1 = y0 + grid.cell;
  // Counter-clockwise on the grid; the projection keeps orientation.
  const geo::Point corners[5] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
  w.raw(R"({"type":"Polygon","coordinates":[[)");
  for (int i = 0; i < 5; ++i) {
    if (i) w.raw(",");
    const geo::Point q = to_lonlat.transform(corners[i]);
    w.lonlat(q.x, q.y);
  }
  w.raw("]]}");
}

void write_rings_geometry(JsonWriter& w, const geo::MultiPolygonRings& parts,
                          const geo::Transformer& to_lonlat) {
  geo::MultiPolygonRings lonlat = parts;
  for (auto& polygon : lonlat) {
    for (auto& ring : polygon) {
      for (auto& p : ring) p = to_lonlat.transform(p);
    }
  }
  // Winding is checked after projecting: it is what the reader sees.
  geo::wind_rfc7946(lonlat);
  write_polygon_geometry(w, lonlat);
}

void write_point_geometry(JsonWriter& w, geo::Point p, const geo::Transformer& to_lonlat) {
  const geo::Point q = to_lonlat.transform(p);
  w.raw(R"({"type":"Point","coordinates":)");
  w.lonlat(q.x, q.y);
  w.raw("}");
}

geo::Point area_centroid(const geo::MultiPolygonRings& parts, const geo::Box& fallback) {
  // Each ring's signed area and first moments; a hole is wound against its
  // shell, so summing signed terms per polygon subtracts it. Coordinates are
  // taken relative to the box corner to keep the products small.
  const double ox = fallback.empty() ? 0 : fallback.min_x;
  const double oy = fallback.empty() ? 0 : fallback.min_y;
  double area = 0, mx = 0, my = 0;
  for (const auto& polygon : parts) {
    for (std::size_t r = 0; r < polygon.size(); ++r) {
      const auto& ring = polygon[r];
      double a = 0, cx = 0, cy = 0;
      // Modulo: rings may come closed or open; a closing repeat adds nothing.
      for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& q = ring[(i + 1) % ring.size()];
        const double x0 = ring[i].x - ox, y0 = ring[i].y - oy;
        const double x1 = q.x - ox, y1 = q.y - oy;
        const double cross = x0 * y1 - x1 * y0;
        a += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
      }
      // Shells count positive and holes negative whatever their stored winding.
      const double sign = (r == 0) == (a >= 0) ? 1.0 : -1.0;
      area += sign * a;
      mx += sign * cx;
      my += sign * cy;
    }
  }
  if (!(std::abs(area) > 0)) {
    return fallback.empty() ? geo::Point{} : geo::Point{(fallback.min_x + fallback.max_x) / 2,
                                                        (fallback.min_y + fallback.max_y) / 2};
  }
  // Sum of (a/2) * (c/(3a)) over rings: centroid = moments / (3 * sum a).
  return {ox + mx / (3 * area), oy + my / (3 * area)};
}

}  // namespace hotspot::http
