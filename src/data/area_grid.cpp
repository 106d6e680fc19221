#include "hotspot/data/area_grid.hpp"
#include "hotspot/geo/geos.hpp"

#include "hotspot/geo/parallel.hpp"

#include <algorithm>
#include <cmath>

namespace hotspot::data {

namespace {

constexpr std::int32_t kUnset = -3;  // not yet resolved while building

}  // namespace

AreaGrid::AreaGrid(std::span<const GEOSGeom_t* const> polygons, const geo::PolygonIndex& index,
                   double cell_m, std::size_t max_cells, double reach_m)
    : index_(&index) {
  if (!(cell_m > 0) || max_cells == 0 || !(reach_m >= 0)) return;  // every point goes to the index
  geo::Box extent;
  std::vector<geo::MultiPolygonRings> rings;
  rings.reserve(polygons.size());
  for (const GEOSGeom_t* g : polygons) {
    extent.expand(geo::envelope(g));
    rings.push_back(geo::polygon_rings(g));
  }
  if (extent.empty()) return;
  // Points within reach of a polygon but outside its extent must be filed
  // under a cell too, or they would all go to the index.
  extent.min_x -= reach_m;
  extent.min_y -= reach_m;
  extent.max_x += reach_m;
  extent.max_y += reach_m;

  const double w = extent.max_x - extent.min_x, h = extent.max_y - extent.min_y;
  cell_ = std::max({cell_m, std::sqrt(w * h / static_cast<double>(max_cells)),
                    std::max(w, h) / static_cast<double>(max_cells) * 4});
  inv_cell_ = 1.0 / cell_;
  // One cell of margin on every side: points just outside the extent are
  // answered by the grid too (as "outside every polygon").
  cols_ = static_cast<std::size_t>(std::ceil(w * inv_cell_)) + 2;
  rows_ = static_cast<std::size_t>(std::ceil(h * inv_cell_)) + 2;
  cols_d_ = static_cast<double>(cols_);
  rows_d_ = static_cast<double>(rows_);
  x0_ = extent.min_x - cell_;
  y0_ = extent.min_y - cell_;
  cells_.assign(cols_ * rows_, kUnset);

  // The margin only has to exceed the rounding error of filing a point
  // under a cell (nanometres at these magnitudes); a thousandth of a cell
  // is far more than that and marks hardly any extra cells. With a reach,
  // a cell grown by reach + margin that meets no segment lies farther than
  // reach from every boundary.
  const double margin = cell_ * 1e-3 + reach_m;
  for (const auto& parts : rings) {
    for (const auto& polygon : parts) {
      for (const auto& ring : polygon) {
        for (std::size_t i = 1; i < ring.size(); ++i) mark_segment(ring[i - 1], ring[i], margin);
      }
    }
  }
  fill_unmarked();
}

// Marks every cell whose rectangle, grown by `margin`, meets segment a-b:
// column by column, the segment's y range over the (grown) column.
void AreaGrid::mark_segment(geo::Point a, geo::Point b, double margin) {
  const double sx_min = std::min(a.x, b.x), sx_max = std::max(a.x, b.x);
  auto column = [&](double x) {
    return static_cast<std::ptrdiff_t>(std::floor((x - x0_) * inv_cell_));
  };
  auto row = [&](double y) {
    return static_cast<std::ptrdiff_t>(std::floor((y - y0_) * inv_cell_));
  };
  const auto last_col = static_cast<std::ptrdiff_t>(cols_) - 1;
  const auto last_row = static_cast<std::ptrdiff_t>(rows_) - 1;
  const std::ptrdiff_t c0 = std::clamp<std::ptrdiff_t>(column(sx_min - margin), 0, last_col);
  const std::ptrdiff_t c1 = std::clamp<std::ptrdiff_t>(column(sx_max + margin), 0, last_col);
  const double slope = a.x == b.x ? 0.0 : (b.y - a.y) / (b.x - a.x);
  for (std::ptrdiff_t c = c0; c <= c1; ++c) {
    double y_lo, y_hi;
    if (a.x == b.x) {
      y_lo = std::min(a.y, b.y);
      y_hi = std::max(a.y, b.y);
    } else {
      const double xl = x0_ + static_cast<double>(c) * cell_;
      const double lo = std::clamp(xl - margin, sx_min, sx_max);
      const double hi = std::clamp(xl + cell_ + margin, sx_min, sx_max);
      const double ya = a.y + (lo - a.x) * slope, yb = a.y + (hi - a.x) * slope;
      y_lo = std::min(ya, yb);
      y_hi = std::max(ya, yb);
    }
    const std::ptrdiff_t r0 = std::clamp<std::ptrdiff_t>(row(y_lo - margin), 0, last_row);
    const std::ptrdiff_t r1 = std::clamp<std::ptrdiff_t>(row(y_hi + margin), 0, last_row);
    for (std::ptrdiff_t r = r0; r <= r1; ++r) {
      cells_[static_cast<std::size_t>(r) * cols_ + static_cast<std::size_t>(c)] = kMixed;
    }
  }
}

// Resolves unmarked cells row by row. Within a row, a run of unmarked cells
// shares one answer; it takes it from any resolved unmarked cell directly
// below it (the shared edge crosses no boundary), or else locates its first
// centre with the index.
void AreaGrid::fill_unmarked() {
  for (std::size_t r = 0; r < rows_; ++r) {
    std::int32_t* row = &cells_[r * cols_];
    const std::int32_t* below = r > 0 ? &cells_[(r - 1) * cols_] : nullptr;
    std::size_t c = 0;
    while (c < cols_) {
      if (row[c] != kUnset) {
        ++c;
        continue;
      }
      std::size_t end = c;
      while (end < cols_ && row[end] == kUnset) ++end;
      std::int32_t value = kUnset;
      for (std::size_t k = c; below != nullptr && k < end && value == kUnset; ++k) {
        if (below[k] != kMixed) value = below[k];
      }
      if (value == kUnset) {
        value = index_->locate(geo::Point{x0_ + (static_cast<double>(c) + 0.5) * cell_,
                                          y0_ + (static_cast<double>(r) + 0.5) * cell_});
      }
      std::fill(row + c, row + end, value);
      c = end;
    }
  }
}

void AreaGrid::locate_all(std::span<const double> xs, std::span<const double> ys,
                          std::span<std::int32_t> out, unsigned threads) const {
  const std::size_t n = std::min({xs.size(), ys.size(), out.size()});
  geo::parallel_slices(n, threads, 4096, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out[i] = locate(geo::Point{xs[i], ys[i]});
  });
}

double AreaGrid::mixed_fraction() const {
  if (cells_.empty()) return 1.0;
  const auto mixed = std::count(cells_.begin(), cells_.end(), kMixed);
  return static_cast<double>(mixed) / static_cast<double>(cells_.size());
}

}  // namespace hotspot::data
