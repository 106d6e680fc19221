#pragma once
// Kernel density estimation with the quartic (biweight) kernel, evaluated
// exactly at every cell centre of a grid (no binning of the points, no FFT):
//
//   D(c) = sum_i 3 / (pi h^2) * (1 - d_ic^2 / h^2)^2   over points with d_ic < h
//
// D is per square metre; results are reported per square kilometre (D * 1e6),
// so a cell's value reads "incidents per km^2 around here". Each kernel
// integrates to 1, so the sum of D * cell area over a grid that covers every
// kernel is the number of points.

#include "hotspot/analysis/grid.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/geo/types.hpp"

#include <optional>
#include <span>
#include <vector>

namespace hotspot::analysis {

struct KdeParams {
  static constexpr double kMaxBandwidth = 20000;  // metres
  static constexpr double kMinCell = kMinGridCell;
  static constexpr double kMaxCell = kMaxGridCell;
  static constexpr double kMaxBandwidthCells = 200;
  // Kernel terms one surface may sum (each a cell reached by a point, or by
  // a cell's group of points): about 2e9 a second per core, so this is a
  // few seconds. Counted from the sorted points before any is summed.
  static constexpr double kMaxWork = 6e9;

  double bandwidth = 500;  // h, metres, in (0, kMaxBandwidth]
  double cell_size = 100;  // metres, in [kMinCell, kMaxCell], with h / cell <= 200
  unsigned threads = 2;    // 0 = hardware concurrency

  std::optional<Error> validate() const;
};

struct KdeResult {
  GridGeometry grid;
  std::vector<double> density;  // incidents per km^2, row-major, row 0 southernmost
  double max_density = 0;
  std::size_t points = 0;
  // Points outside the grid's area. They still add to cells within h of them.
  std::size_t points_outside_grid = 0;
};

// Over `extent` (for the service: the ward layer's extent), with the grid
// origin snapped to multiples of cell_size (see aligned_grid).
Expected<KdeResult> kernel_density(std::span<const double> xs, std::span<const double> ys,
                                   const geo::Box& extent, const KdeParams& params,
                                   const Deadline& deadline = Deadline::none());
// Over a given grid (its cell overrides params.cell_size). Refused
// (payload_too_large) when the kernel sums would exceed kMaxWork; stopped
// (deadline_exceeded) when the deadline passes.
Expected<KdeResult> kernel_density(std::span<const double> xs, std::span<const double> ys,
                                   const GridGeometry& grid, const KdeParams& params,
                                   const Deadline& deadline = Deadline::none());

// The definition evaluated at one cell centre by summing over every point,
// per km^2: the reference the fast scatter is tested against.
double kernel_density_at(std::span<const double> xs, std::span<const double> ys, double cx,
                         double cy, double bandwidth);

}  // namespace hotspot::analysis
