#include "hotspot/data/polygon_edges.hpp"
#include "hotspot/geo/geos.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hotspot::data {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Shewchuk's first error bound for the 2D orientation determinant, (3 + 16e)e
// with e = 2^-53: when |det| exceeds it times the sum of the two products'
// magnitudes, the computed sign is the true sign.
constexpr double kOrientBound = 3.3306690738754716e-16;

// Squared distance from p to a box (0 inside); +inf for an empty box.
inline double box_distance2(const geo::Box& b, geo::Point p) {
  if (b.empty()) return kInf;
  const double dx = p.x < b.min_x ? b.min_x - p.x : (p.x > b.max_x ? p.x - b.max_x : 0.0);
  const double dy = p.y < b.min_y ? b.min_y - p.y : (p.y > b.max_y ? p.y - b.max_y : 0.0);
  return dx * dx + dy * dy;
}

}  // namespace

PolygonEdges::PolygonEdges(std::span<const GEOSGeom_t* const> polygons,
                           const geo::PolygonIndex& index)
    : index_(&index) {
  polygons_.reserve(polygons.size());
  for (const GEOSGeom_t* g : polygons) {
    Polygon poly;
    poly.begin = static_cast<std::uint32_t>(edges_.size());
    for (const auto& part : geo::polygon_rings(g)) {
      for (const auto& ring : part) {
        for (std::size_t i = 1; i < ring.size(); ++i) {
          Edge e{ring[i - 1].x, ring[i - 1].y, ring[i].x, ring[i].y, 0, 0};
          const double dx = e.bx - e.ax, dy = e.by - e.ay;
          e.len2 = dx * dx + dy * dy;
          e.inv_len2 = e.len2 > 0 ? 1.0 / e.len2 : 0.0;
          edges_.push_back(e);
          poly.box.expand(ring[i]);
        }
        if (!ring.empty()) poly.box.expand(ring.front());
      }
    }
    poly.end = static_cast<std::uint32_t>(edges_.size());
    polygons_.push_back(poly);
  }
}

bool PolygonEdges::contains(const Polygon& polygon, geo::Point p, bool& certain) const {
  bool inside = false;
  for (std::uint32_t k = polygon.begin; k < polygon.end; ++k) {
    const Edge& e = edges_[k];
    // Crossing number, ray towards +x, half-open in y so that a vertex on
    // the ray's line counts once.
    if ((e.ay > p.y) != (e.by > p.y)) {
      const double left = (e.bx - e.ax) * (p.y - e.ay), right = (e.by - e.ay) * (p.x - e.ax);
      const double det = left - right;
      // A point on this edge has a true determinant of 0, which no computed
      // value above the bound can come from.
      if (std::abs(det) <= kOrientBound * (std::abs(left) + std::abs(right))) certain = false;
      // Upward edge: the crossing is to the right when p is left of it.
      if ((e.by > e.ay) == (det > 0)) inside = !inside;
    } else if ((e.ay == p.y || e.by == p.y) && p.x >= std::min(e.ax, e.bx) &&
               p.x <= std::max(e.ax, e.bx)) {
      // The edges the half-open rule skips (horizontal ones, and those
      // meeting the ray's line at an end) can still hold p: only exactly at
      // that y, which is tested exactly.
      certain = false;
    }
  }
  return inside;
}

double PolygonEdges::distance2(const Polygon& polygon, geo::Point p, double bound2) const {
  double best = bound2;
  for (std::uint32_t k = polygon.begin; k < polygon.end; ++k) {
    const Edge& e = edges_[k];
    const double dx = e.bx - e.ax, dy = e.by - e.ay;
    const double px = p.x - e.ax, py = p.y - e.ay;
    const double along = px * dx + py * dy;
    double d2;
    if (along <= 0) {
      d2 = px * px + py * py;                                // nearest to the start
    } else if (along >= e.len2) {
      d2 = (px - dx) * (px - dx) + (py - dy) * (py - dy);    // nearest to the end
    } else {
      const double cross = px * dy - py * dx;                // off the middle
      d2 = cross * cross * e.inv_len2;
    }
    best = std::min(best, d2);
  }
  return best;
}

PolygonEdges::Hit PolygonEdges::exact(geo::Point p) const {
  Hit hit;
  hit.polygon = index_->locate(p);
  hit.distance = hit.polygon != geo::PolygonIndex::kNone ? 0.0 : index_->nearest(p).first;
  return hit;
}

PolygonEdges::Hit PolygonEdges::locate_with_distance(geo::Point p) const {
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) return Hit{geo::PolygonIndex::kNone, kInf};
  // Pass 1: containment, in index order (the first polygon holding p wins);
  // only polygons whose envelope holds p can.
  bool certain = true;
  for (std::size_t i = 0; i < polygons_.size(); ++i) {
    const Polygon& poly = polygons_[i];
    if (!poly.box.contains(p)) continue;
    const bool inside = contains(poly, p, certain);
    if (!certain) return exact(p);  // on or a rounding error from an edge: GEOS decides
    if (inside) return Hit{static_cast<std::int32_t>(i), 0.0};
  }

  // Pass 2: outside every polygon; the distance to the nearest boundary.
  // The polygon with the nearest envelope first, then the others whose
  // envelope (a lower bound) is nearer than the best distance so far.
  thread_local std::vector<double> box2;
  box2.resize(polygons_.size());
  std::size_t first = polygons_.size();
  double first_box2 = kInf;
  for (std::size_t i = 0; i < polygons_.size(); ++i) {
    box2[i] = box_distance2(polygons_[i].box, p);
    if (box2[i] < first_box2) {
      first_box2 = box2[i];
      first = i;
    }
  }
  if (first == polygons_.size()) return Hit{geo::PolygonIndex::kNone, kInf};
  double best2 = distance2(polygons_[first], p, kInf);
  for (std::size_t i = 0; i < polygons_.size(); ++i) {
    if (i != first && box2[i] < best2) best2 = distance2(polygons_[i], p, best2);
  }
  return Hit{geo::PolygonIndex::kNone, std::sqrt(best2)};
}

}  // namespace hotspot::data
