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
                           const geo::PolygonIndex& index, const geo::Box& coverage, double cell_m)
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
    all_.push_back(static_cast<std::uint32_t>(polygons_.size()));
    polygons_.push_back(poly);
  }
  build_candidates(coverage, cell_m);
}

// Both loops below are written without data-dependent branches: which way
// each edge goes is unpredictable, and mispredictions would cost more than
// the arithmetic.
bool PolygonEdges::contains(const Polygon& polygon, geo::Point p, bool& certain) const {
  bool inside = false, doubt = false;
  for (std::uint32_t k = polygon.begin; k < polygon.end; ++k) {
    const Edge& e = edges_[k];
    // Crossing number, ray towards +x, half-open in y so that a vertex on
    // the ray's line counts once.
    const bool straddles = (e.ay > p.y) != (e.by > p.y);
    const double left = (e.bx - e.ax) * (p.y - e.ay), right = (e.by - e.ay) * (p.x - e.ax);
    const double det = left - right;
    // Upward edge: the crossing is to the right when p is left of it.
    inside ^= straddles & ((e.by > e.ay) == (det > 0));
    // A point on a straddling edge has a true determinant of 0, which no
    // computed value above Shewchuk's bound can come from.
    doubt |= straddles & (std::abs(det) <= kOrientBound * (std::abs(left) + std::abs(right)));
    // The edges the half-open rule skips (horizontal ones, and those
    // meeting the ray's line at an end) can still hold p, but only exactly
    // at that y, which is tested exactly.
    doubt |= (!straddles) & ((e.ay == p.y) | (e.by == p.y)) & (p.x >= std::min(e.ax, e.bx)) &
             (p.x <= std::max(e.ax, e.bx));
  }
  if (doubt) certain = false;
  return inside;
}

double PolygonEdges::distance2(const Polygon& polygon, geo::Point p, double bound2) const {
  double best = bound2;
  for (std::uint32_t k = polygon.begin; k < polygon.end; ++k) {
    const Edge& e = edges_[k];
    const double dx = e.bx - e.ax, dy = e.by - e.ay;
    const double px = p.x - e.ax, py = p.y - e.ay;
    // The nearest point of the segment: the projection's parameter clamped
    // to [0, 1] (a zero-length edge has inv_len2 0: its start).
    const double t = std::min(1.0, std::max(0.0, (px * dx + py * dy) * e.inv_len2));
    const double qx = px - t * dx, qy = py - t * dy;
    best = std::min(best, qx * qx + qy * qy);
  }
  return best;
}

PolygonEdges::Hit PolygonEdges::exact(geo::Point p) const {
  Hit hit;
  hit.polygon = index_->locate(p);
  hit.distance = hit.polygon != geo::PolygonIndex::kNone ? 0.0 : index_->nearest(p).first;
  return hit;
}

void PolygonEdges::build_candidates(const geo::Box& coverage, double cell_m) {
  if (coverage.empty() || polygons_.empty() || !(cell_m > 0)) return;
  // Building measures every edge from every cell's centre: keep that to
  // about 2e7 steps (milliseconds); a layer too large for even a few cells
  // goes without the grid.
  const double max_cells =
      std::min(65536.0, 2e7 / static_cast<double>(std::max<std::size_t>(1, edges_.size())));
  if (max_cells < 16) return;
  const double w = coverage.max_x - coverage.min_x, h = coverage.max_y - coverage.min_y;
  cell_ = std::max({cell_m, std::sqrt(w * h / max_cells), std::max(w, h) / std::sqrt(max_cells)});
  inv_cell_ = 1.0 / cell_;
  cols_ = static_cast<std::size_t>(std::ceil(w * inv_cell_)) + 1;
  rows_ = static_cast<std::size_t>(std::ceil(h * inv_cell_)) + 1;
  cols_d_ = static_cast<double>(cols_);
  rows_d_ = static_cast<double>(rows_);
  x0_ = coverage.min_x;
  y0_ = coverage.min_y;
  const double half_diagonal = cell_ * std::sqrt(0.5);
  cell_start_.reserve(cols_ * rows_ + 1);
  cell_start_.push_back(0);
  for (std::size_t r = 0; r < rows_; ++r) {
    for (std::size_t c = 0; c < cols_; ++c) {
      const geo::Box rect{x0_ + static_cast<double>(c) * cell_, y0_ + static_cast<double>(r) * cell_,
                          x0_ + static_cast<double>(c + 1) * cell_, y0_ + static_cast<double>(r + 1) * cell_};
      const geo::Point centre{rect.min_x + cell_ / 2, rect.min_y + cell_ / 2};
      // No point of the cell is farther than `reach` from the nearest
      // boundary, so a polygon whose envelope is farther from the whole
      // cell can be neither nearest nor containing (slack for rounding).
      double reach = kInf;
      for (const Polygon& poly : polygons_) {
        if (poly.begin == poly.end) continue;
        reach = std::min(reach, std::sqrt(distance2(poly, centre, kInf)) + half_diagonal);
      }
      reach = reach * (1 + 1e-9) + 1e-6;
      for (std::size_t i = 0; i < polygons_.size(); ++i) {
        const geo::Box& b = polygons_[i].box;
        if (b.empty()) continue;
        const double dx = std::max({0.0, b.min_x - rect.max_x, rect.min_x - b.max_x});
        const double dy = std::max({0.0, b.min_y - rect.max_y, rect.min_y - b.max_y});
        if (std::sqrt(dx * dx + dy * dy) <= reach) cell_items_.push_back(static_cast<std::uint32_t>(i));
      }
      cell_start_.push_back(static_cast<std::uint32_t>(cell_items_.size()));
    }
  }
}

std::span<const std::uint32_t> PolygonEdges::candidates(geo::Point p) const {
  const double u = (p.x - x0_) * inv_cell_, v = (p.y - y0_) * inv_cell_;
  if (!(u >= 0 && v >= 0 && u < cols_d_ && v < rows_d_)) return all_;
  const std::size_t cell = static_cast<std::size_t>(v) * cols_ + static_cast<std::size_t>(u);
  return std::span<const std::uint32_t>(cell_items_)
      .subspan(cell_start_[cell], cell_start_[cell + 1] - cell_start_[cell]);
}

PolygonEdges::Hit PolygonEdges::locate_with_distance(geo::Point p) const {
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) return Hit{geo::PolygonIndex::kNone, kInf};
  return search(p, candidates(p));
}

double PolygonEdges::distance_outside(geo::Point p) const {
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) return kInf;
  return nearest_boundary(p, candidates(p));
}

PolygonEdges::Hit PolygonEdges::search(geo::Point p, std::span<const std::uint32_t> ids) const {
  // Pass 1: containment, in index order (the first polygon holding p wins);
  // only polygons whose envelope holds p can.
  bool certain = true;
  for (const std::uint32_t i : ids) {
    const Polygon& poly = polygons_[i];
    if (!poly.box.contains(p)) continue;
    const bool inside = contains(poly, p, certain);
    if (!certain) return exact(p);  // on or a rounding error from an edge: GEOS decides
    if (inside) return Hit{static_cast<std::int32_t>(i), 0.0};
  }
  return Hit{geo::PolygonIndex::kNone, nearest_boundary(p, ids)};
}

// Pass 2: outside every polygon; the distance to the nearest boundary. The
// polygon with the nearest envelope first, then the others whose envelope
// (a lower bound) is nearer than the best distance so far.
double PolygonEdges::nearest_boundary(geo::Point p, std::span<const std::uint32_t> ids) const {
  std::uint32_t first = 0;
  double first_box2 = kInf;
  for (const std::uint32_t i : ids) {
    const double b2 = box_distance2(polygons_[i].box, p);
    if (b2 < first_box2) {
      first_box2 = b2;
      first = i;
    }
  }
  if (first_box2 == kInf) return kInf;
  double best2 = distance2(polygons_[first], p, kInf);
  for (const std::uint32_t i : ids) {
    if (i != first && box_distance2(polygons_[i].box, p) < best2) {
      best2 = distance2(polygons_[i], p, best2);
    }
  }
  return std::sqrt(best2);
}

}  // namespace hotspot::data
