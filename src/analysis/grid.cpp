#include "hotspot/analysis/grid.hpp"

#include <cmath>

namespace hotspot::analysis {

Expected<GridGeometry> aligned_grid(const geo::Box& extent, double cell) {
  if (!(cell > 0 && cell <= 100000)) {
    return make_error(ErrorCode::invalid_parameter,
                      "cell size must be more than 0 and at most 100000 metres");
  }
  if (extent.empty() || !std::isfinite(extent.min_x) || !std::isfinite(extent.max_x) ||
      !std::isfinite(extent.min_y) || !std::isfinite(extent.max_y)) {
    return make_error(ErrorCode::invalid_parameter, "the grid extent is empty");
  }
  GridGeometry g;
  g.cell = cell;
  g.origin_x = std::floor(extent.min_x / cell) * cell;
  g.origin_y = std::floor(extent.min_y / cell) * cell;
  // At least one cell, also for a zero-width extent.
  const double nx = std::max(1.0, std::ceil((extent.max_x - g.origin_x) / cell));
  const double ny = std::max(1.0, std::ceil((extent.max_y - g.origin_y) / cell));
  if (nx * ny > static_cast<double>(GridGeometry::kMaxCells)) {
    return make_error(ErrorCode::payload_too_large,
                      "the grid would have more than 4,000,000 cells; use a larger cell size "
                      "or a smaller area");
  }
  g.nx = static_cast<std::int32_t>(nx);
  g.ny = static_cast<std::int32_t>(ny);
  return g;
}

GridCounts bin_points(std::span<const double> xs, std::span<const double> ys,
                      const GridGeometry& grid) {
  GridCounts out;
  out.grid = grid;
  out.counts.assign(grid.size(), 0.0);
  const std::size_t n = std::min(xs.size(), ys.size());
  out.outside = std::max(xs.size(), ys.size()) - n;
  for (std::size_t i = 0; i < n; ++i) {
    const double fx = std::floor((xs[i] - grid.origin_x) / grid.cell);
    const double fy = std::floor((ys[i] - grid.origin_y) / grid.cell);
    // NaN fails both comparisons and lands in `outside` too.
    if (!(fx >= 0 && fx < grid.nx && fy >= 0 && fy < grid.ny)) {
      ++out.outside;
      continue;
    }
    out.counts[static_cast<std::size_t>(fy) * std::size_t(grid.nx) + static_cast<std::size_t>(fx)] += 1;
  }
  return out;
}

}  // namespace hotspot::analysis
