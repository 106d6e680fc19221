#include "hotspot/geo/measure.hpp"

#include <cmath>

namespace hotspot::geo {

double polygons_area(const MultiPolygonRings& parts) {
  double area = 0;
  for (const auto& polygon : parts) {
    for (std::size_t r = 0; r < polygon.size(); ++r) {
      const double a = std::abs(signed_area(polygon[r]));
      area += r == 0 ? a : -a;
    }
  }
  return area;
}

Point area_centroid(const MultiPolygonRings& parts, const Box& fallback) {
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
    return fallback.empty() ? Point{} : Point{(fallback.min_x + fallback.max_x) / 2,
                                                        (fallback.min_y + fallback.max_y) / 2};
  }
  // Sum of (a/2) * (c/(3a)) over rings: centroid = moments / (3 * sum a).
  return {ox + mx / (3 * area), oy + my / (3 * area)};
}

}  // namespace hotspot::geo
