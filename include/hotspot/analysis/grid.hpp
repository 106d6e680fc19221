#pragma once
// A regular raster over EPSG:27700: cell (ix, iy) spans
// [origin_x + ix*cell, origin_x + (ix+1)*cell) x [origin_y + iy*cell, ...),
// row iy = 0 is the southernmost; values are stored row-major, index iy*nx + ix.

#include "hotspot/common/error.hpp"
#include "hotspot/geo/types.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace hotspot::analysis {

// The one range of a grid's cell size (metres), for the API and the library alike.
inline constexpr double kMinGridCell = 10;
inline constexpr double kMaxGridCell = 5000;

struct GridGeometry {
  static constexpr std::size_t kMaxCells = 4000000;

  double origin_x = 0;
  double origin_y = 0;
  double cell = 100;  // metres
  std::int32_t nx = 0;
  std::int32_t ny = 0;

  std::size_t size() const { return std::size_t(nx) * std::size_t(ny); }
  double centre_x(std::int32_t ix) const { return origin_x + (ix + 0.5) * cell; }
  double centre_y(std::int32_t iy) const { return origin_y + (iy + 0.5) * cell; }
};

// The grid of `cell` metres covering `extent`, its origin snapped down to a
// multiple of the cell size (floor(min/cell)*cell), so grids of one cell size
// line up whatever the extent. Fails on an empty or non-finite extent, a cell
// size outside (0, 100000] m, or more than GridGeometry::kMaxCells cells.
Expected<GridGeometry> aligned_grid(const geo::Box& extent, double cell);

struct GridCounts {
  GridGeometry grid;
  std::vector<double> counts;  // incidents per cell, row-major
  std::size_t outside = 0;     // points that fell outside the grid (not counted)
};

// Counts points per cell (half-open cells, as in GridGeometry).
GridCounts bin_points(std::span<const double> xs, std::span<const double> ys,
                      const GridGeometry& grid);

}  // namespace hotspot::analysis
