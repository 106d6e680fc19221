#include "hotspot/http/shapes.hpp"

#include <algorithm>

namespace hotspot::http {
namespace {

double cross(geo::Point o, geo::Point a, geo::Point b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

void write_lonlat(JsonWriter& w, geo::Point p, const geo::Transformer& to_lonlat) {
  const geo::Point q = to_lonlat.transform(p);
  w.lonlat(q.x, q.y);
}

}  // namespace

std::vector<geo::Point> convex_hull(std::vector<geo::Point> points) {
  std::sort(points.begin(), points.end(),
            [](geo::Point a, geo::Point b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  points.erase(std::unique(points.begin(), points.end(),
                           [](geo::Point a, geo::Point b) { return a.x == b.x && a.y == b.y; }),
               points.end());
  if (points.size() < 3) return points;
  // Lower hull left to right, then upper hull right to left; popping on
  // cross <= 0 keeps only strict left turns (drops collinear points).
  std::vector<geo::Point> hull(2 * points.size());
  std::size_t k = 0;
  for (const auto& p : points) {
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], p) <= 0) --k;
    hull[k++] = p;
  }
  for (std::size_t i = points.size() - 1, lower = k + 1; i-- > 0;) {
    while (k >= lower && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) --k;
    hull[k++] = points[i];
  }
  hull.resize(k - 1);  // the last point repeats the first
  if (hull.size() < 3) {
    // All collinear: the two extremes.
    return {points.front(), points.back()};
  }
  return hull;
}

double polygon_area(std::span<const geo::Point> ring) {
  double twice = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const auto& a = ring[i];
    const auto& b = ring[(i + 1) % ring.size()];
    twice += a.x * b.y - b.x * a.y;
  }
  return twice / 2;
}

void write_hull_geometry(JsonWriter& w, std::span<const geo::Point> hull,
                         const geo::Transformer& to_lonlat) {
  if (hull.size() == 1) {
    w.raw(R"({"type":"Point","coordinates":)");
    write_lonlat(w, hull[0], to_lonlat);
    w.raw("}");
    return;
  }
  if (hull.size() == 2) {
    w.raw(R"({"type":"LineString","coordinates":[)");
    write_lonlat(w, hull[0], to_lonlat);
    w.raw(",");
    write_lonlat(w, hull[1], to_lonlat);
    w.raw("]}");
    return;
  }
  w.raw(R"({"type":"Polygon","coordinates":[[)");
  for (const auto& p : hull) {
    write_lonlat(w, p, to_lonlat);
    w.raw(",");
  }
  write_lonlat(w, hull.front(), to_lonlat);
  w.raw("]]}");
}

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
    write_lonlat(w, corners[i], to_lonlat);
  }
  w.raw("]]}");
}

}  // namespace hotspot::http
