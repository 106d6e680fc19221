#include "hotspot/analysis/point_pattern.hpp"

#include "hotspot/geo/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace hotspot::analysis {
namespace {

// Points binned into square cells, compressed-row style: the points of cell
// c are sorted[start[c] .. start[c + 1]).
struct PointGrid {
  double min_x = 0, min_y = 0, cell = 1;
  std::int64_t nx = 1, ny = 1;
  std::vector<std::uint32_t> start;
  std::vector<geo::Point> sorted;

  std::int64_t column(double x) const {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>((x - min_x) / cell), 0, nx - 1);
  }
  std::int64_t row(double y) const {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>((y - min_y) / cell), 0, ny - 1);
  }
};

// Cells sized for about one point each over the points' extent, at most
// kMaxCells so that a spread-out pattern cannot ask for a huge array.
PointGrid make_grid(std::span<const geo::Point> points) {
  constexpr double kMaxCells = 4'000'000;
  geo::Box box;
  for (const geo::Point& p : points) box.expand(p);
  PointGrid g;
  g.min_x = box.min_x;
  g.min_y = box.min_y;
  const double w = std::max(box.max_x - box.min_x, 1e-9);
  const double h = std::max(box.max_y - box.min_y, 1e-9);
  const double cells = std::min<double>(kMaxCells, std::max<double>(1, points.size()));
  g.cell = std::max(std::sqrt(w * h / cells), std::max(w, h) / kMaxCells);
  g.nx = static_cast<std::int64_t>(w / g.cell) + 1;
  g.ny = static_cast<std::int64_t>(h / g.cell) + 1;
  std::vector<std::uint32_t> cell_of(points.size());
  g.start.assign(static_cast<std::size_t>(g.nx * g.ny) + 1, 0);
  for (std::size_t i = 0; i < points.size(); ++i) {
    cell_of[i] = static_cast<std::uint32_t>(g.row(points[i].y) * g.nx + g.column(points[i].x));
    ++g.start[cell_of[i] + 1];
  }
  for (std::size_t c = 1; c < g.start.size(); ++c) g.start[c] += g.start[c - 1];
  std::vector<std::uint32_t> next(g.start.begin(), g.start.end() - 1);
  g.sorted.resize(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) g.sorted[next[cell_of[i]]++] = points[i];
  return g;
}

// Nearest other point to p (p itself is in the grid: skipped by identity of
// coordinates, which is why points must be distinct). Ring k holds the cells
// at Chebyshev distance k from p's cell; every point beyond ring k is at
// least k * cell away, so the search stops once the best is within that.
double nearest(const PointGrid& g, geo::Point p) {
  const std::int64_t cx = g.column(p.x), cy = g.row(p.y);
  double best2 = std::numeric_limits<double>::infinity();
  const std::int64_t max_ring = std::max(g.nx, g.ny);
  for (std::int64_t k = 0; k <= max_ring; ++k) {
    for (std::int64_t iy = cy - k; iy <= cy + k; ++iy) {
      if (iy < 0 || iy >= g.ny) continue;
      const bool edge_row = iy == cy - k || iy == cy + k;
      const std::int64_t step = edge_row ? 1 : 2 * k;
      for (std::int64_t ix = cx - k; ix <= cx + k; ix += std::max<std::int64_t>(step, 1)) {
        if (ix < 0 || ix >= g.nx) continue;
        const auto c = static_cast<std::size_t>(iy * g.nx + ix);
        for (std::uint32_t j = g.start[c]; j < g.start[c + 1]; ++j) {
          const geo::Point q = g.sorted[j];
          if (q.x == p.x && q.y == p.y) continue;
          const double dx = q.x - p.x, dy = q.y - p.y;
          best2 = std::min(best2, dx * dx + dy * dy);
        }
      }
    }
    const double reach = static_cast<double>(k) * g.cell;
    if (best2 <= reach * reach) break;
  }
  return std::sqrt(best2);
}

}  // namespace

std::vector<double> nearest_neighbour_distances(std::span<const geo::Point> points,
                                                unsigned threads) {
  std::vector<double> out(points.size(), std::numeric_limits<double>::infinity());
  if (points.size() < 2) return out;
  const PointGrid grid = make_grid(points);
  geo::parallel_slices(points.size(), threads, 20'000,
                       [&](std::size_t, std::size_t begin, std::size_t end) {
                         for (std::size_t i = begin; i < end; ++i) {
                           out[i] = nearest(grid, points[i]);
                         }
                       });
  return out;
}

std::optional<ClarkEvans> clark_evans(std::span<const double> xs, std::span<const double> ys,
                                      double area_m2, unsigned threads) {
  geo::DistinctPoints distinct = geo::distinct_points(xs, ys);
  const std::size_t n = distinct.points.size();
  if (n < 2 || !(area_m2 > 0) || !std::isfinite(area_m2)) return std::nullopt;
  const std::vector<double> d = nearest_neighbour_distances(distinct.points, threads);
  double sum = 0;
  for (double v : d) sum += v;
  ClarkEvans out;
  out.locations = n;
  out.stacked_rows = distinct.stacked_rows;
  out.area_m2 = area_m2;
  const double density = static_cast<double>(n) / area_m2;
  out.observed_mean_m = sum / static_cast<double>(n);
  out.expected_mean_m = 0.5 / std::sqrt(density);
  out.r = out.observed_mean_m / out.expected_mean_m;
  const double standard_error = 0.26136 / std::sqrt(static_cast<double>(n) * density);
  out.z = (out.observed_mean_m - out.expected_mean_m) / standard_error;
  out.p = std::erfc(std::abs(out.z) / std::sqrt(2.0));
  return out;
}

}  // namespace hotspot::analysis
