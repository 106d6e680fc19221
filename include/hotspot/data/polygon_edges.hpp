#pragma once
// Containment and distance against a small polygon layer (the town
// centres) in one pass over the polygons' edges per point.
//
// Same answers as the PolygonIndex it is built over: the polygon is the
// lowest-index one containing the point (PolygonIndex::locate's rule) and
// the distance is 0 inside a polygon, else the distance to the nearest
// polygon's boundary (PolygonIndex::nearest). Containment is a
// crossing-number test on the rings whose orientation signs are checked
// against a floating-point error bound (Shewchuk's); a point whose sign is
// in doubt for some edge, or that lies exactly at the height of an edge the
// test skips, may be on the boundary and is answered by the PolygonIndex
// (GEOS) instead. So points on or next to a boundary get GEOS's answer, and
// all others the true one, which is GEOS's too.

#include "hotspot/geo/polygon_index.hpp"
#include "hotspot/geo/types.hpp"

#include <cstdint>
#include <span>
#include <vector>

struct GEOSGeom_t;

namespace hotspot::data {

class PolygonEdges {
 public:
  // `polygons` are the geometries `index` was built over (same order); both
  // are borrowed and must outlive this object. Over `coverage` (the study
  // area; empty: none) a grid of about `cell_m` cells lists, per cell, the
  // few polygons that can hold or be nearest to a point in it, so a point
  // there looks at those only; elsewhere every polygon is looked at.
  PolygonEdges(std::span<const GEOSGeom_t* const> polygons, const geo::PolygonIndex& index,
               const geo::Box& coverage = {}, double cell_m = 1000);

  struct Hit {
    std::int32_t polygon = geo::PolygonIndex::kNone;
    double distance = 0;  // +inf when there are no polygons (or p is not finite)
  };
  Hit locate_with_distance(geo::Point p) const;
  // The distance to the nearest polygon for a point known to lie outside
  // (not even on the boundary of) every polygon, e.g. from an AreaGrid.
  double distance_outside(geo::Point p) const;

 private:
  struct Edge {
    double ax, ay, bx, by;
    double len2, inv_len2;  // squared length and its inverse (0 for a zero-length edge)
  };
  struct Polygon {
    geo::Box box;
    std::uint32_t begin = 0, end = 0;  // its edges in edges_
  };
  // Crossing-number containment; clears `certain` when p may lie on an edge
  // (the answer is then not to be trusted).
  bool contains(const Polygon& polygon, geo::Point p, bool& certain) const;
  // min(bound2, squared distance from p to the polygon's boundary).
  double distance2(const Polygon& polygon, geo::Point p, double bound2) const;
  Hit exact(geo::Point p) const;
  Hit search(geo::Point p, std::span<const std::uint32_t> ids) const;
  std::span<const std::uint32_t> candidates(geo::Point p) const;
  double nearest_boundary(geo::Point p, std::span<const std::uint32_t> ids) const;
  void build_candidates(const geo::Box& coverage, double cell_m);

  const geo::PolygonIndex* index_;
  std::vector<Edge> edges_;
  std::vector<Polygon> polygons_;
  std::vector<std::uint32_t> all_;  // 0, 1, ..., n-1
  // The candidate grid: cell (c, r) lists cell_items_[cell_start_[r * cols_ + c] ...].
  double x0_ = 0, y0_ = 0, cell_ = 1, inv_cell_ = 1, cols_d_ = 0, rows_d_ = 0;
  std::size_t cols_ = 0, rows_ = 0;
  std::vector<std::uint32_t> cell_start_, cell_items_;
};

}  // namespace hotspot::data
