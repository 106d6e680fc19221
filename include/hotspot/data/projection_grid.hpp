#pragma once
// Bulk projection to EPSG:27700 for incident loading.
//
// Projecting a million points exactly costs about half a second of PROJ
// time. Over an area the size of a county the transformation is smooth, so
// it is interpolated instead: a grid of nodes (about 1 km apart) is projected
// exactly, and each point is interpolated bicubically (Catmull-Rom) from the
// 4 x 4 nodes around it. The grid is rebuilt for every call and is trusted
// only after a check: every cell's mid-point (where interpolation is weakest)
// and a sample of the input points are also projected exactly, and if any of
// them differs from its interpolated value by more than `tolerance_m` the
// whole call falls back to exact projection. A step in the transformation
// (PROJ switching to another operation at an area-of-use edge) shows up in
// the mid-points of the cells it crosses and also causes the fallback.
//
// Measured for WGS84 -> EPSG:27700 over County Durham with 1 km cells: the
// largest difference from exact PROJ is below 1e-6 m (tests/data/
// projection_grid_test.cpp checks <= 1 mm on random points).
//
// The grid covers the points' extent, or when that is too large, the study
// area; points outside it are projected exactly.

#include "hotspot/geo/types.hpp"

#include <cstddef>
#include <span>
#include <string>

namespace hotspot::data {

struct ProjectionOptions {
  unsigned threads = 0;  // 0 = hardware concurrency
  // EPSG:27700 box the grid must cover (the study area); points outside it
  // are projected exactly. Empty: the extent of the input points.
  geo::Box area;
  double tolerance_m = 1e-3;  // largest difference from exact projection accepted
  double cell_m = 1000;       // approximate spacing of the grid nodes
  bool allow_grid = true;     // false: always project exactly
};

struct ProjectionStats {
  bool grid_used = false;
  std::size_t grid_columns = 0, grid_rows = 0;  // cells
  std::size_t checked = 0;        // points compared with exact projection
  double max_error_m = 0;         // largest difference the check found
  std::size_t exact = 0;          // points projected exactly
  std::size_t failed = 0;         // points that could not be projected (now +inf)
  std::string error;              // the transformation could not be created
  std::string fallback_reason;    // why the grid was not used
};

// Arrays of points projected together (e.g. the batches of one file).
struct PointSpans {
  std::span<double> x, y;
};

// Projects every part in place from `source_crs` to EPSG:27700, with one
// grid and one check for all of them.
ProjectionStats project_to_working(const std::string& source_crs, std::span<const PointSpans> parts,
                                   const ProjectionOptions& options);

// Projects xs/ys in place from `source_crs` (x = longitude/easting, y =
// latitude/northing) to EPSG:27700. Points that cannot be projected,
// including non-finite input, become +inf.
ProjectionStats project_to_working(const std::string& source_crs, std::span<double> xs,
                                   std::span<double> ys, const ProjectionOptions& options);

}  // namespace hotspot::data
