#pragma once
// A uniform grid over a polygon layer that answers PolygonIndex::locate for
// most points with one array read.
//
// Every boundary segment of every polygon marks the cells it passes within
// a small margin of (conservatively). An unmarked cell, together with that
// margin around it, touches no boundary, so every polygon either contains
// all of it or none of it: every point there gets the same answer as the
// cell's centre, and a point a rounding error away from the cell it is
// filed under still lies in that margin. Unmarked cells connected through
// unmarked neighbours share the answer too, so the build locates one centre
// per run of cells rather than one per cell. Points in marked cells, and
// outside the grid, are passed to the PolygonIndex: the answer is always
// exactly PolygonIndex::locate's.
//
// With a `reach`, cells within that distance of a boundary are marked too,
// so an unmarked cell answering "none" lies farther than `reach` from every
// polygon (the study-area buffer relies on this).

#include "hotspot/geo/polygon_index.hpp"
#include "hotspot/geo/types.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

struct GEOSGeom_t;

namespace hotspot::data {

class AreaGrid {
 public:
  // `polygons` are the geometries `index` was built over (same order); both
  // are borrowed and must outlive the grid. Cells are about `cell_m` wide,
  // fewer if that would exceed `max_cells`. Cells within `reach_m` of a
  // boundary count as mixed; the grid extends `reach_m` beyond the polygons.
  AreaGrid(std::span<const GEOSGeom_t* const> polygons, const geo::PolygonIndex& index,
           double cell_m = 50, std::size_t max_cells = 4'000'000, double reach_m = 0);

  std::int32_t locate(geo::Point p) const {
    std::int32_t found = 0;
    return try_locate(p, found) ? found : index_->locate(p);
  }
  // The grid's answer alone: false when p needs the index (a boundary passes
  // near, or p lies outside the grid).
  bool try_locate(geo::Point p, std::int32_t& found) const {
    const double u = (p.x - x0_) * inv_cell_, v = (p.y - y0_) * inv_cell_;
    if (!(u >= 0 && v >= 0 && u < cols_d_ && v < rows_d_)) return false;
    found = cells_[static_cast<std::size_t>(v) * cols_ + static_cast<std::size_t>(u)];
    return found != kMixed;
  }
  // Locates many points, split over `threads` threads (0 = hardware concurrency).
  void locate_all(std::span<const double> xs, std::span<const double> ys,
                  std::span<std::int32_t> out, unsigned threads = 0) const;

  // For measurements: the share of cells that need the PolygonIndex.
  double mixed_fraction() const;
  std::size_t columns() const { return cols_; }
  std::size_t rows() const { return rows_; }

 private:
  static constexpr std::int32_t kMixed = -2;  // a boundary passes near: ask the index
  void mark_segment(geo::Point a, geo::Point b, double margin);
  void fill_unmarked();

  const geo::PolygonIndex* index_;
  double x0_ = 0, y0_ = 0, cell_ = 1, inv_cell_ = 1;
  std::size_t cols_ = 0, rows_ = 0;
  double cols_d_ = 0, rows_d_ = 0;
  std::vector<std::int32_t> cells_;
};

}  // namespace hotspot::data
