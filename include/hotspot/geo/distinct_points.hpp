#pragma once
// Distinct coordinates of a point set. police.uk places every crime on one
// of a fixed set of anonymous map points, so many rows stack on identical
// coordinates; the load report, the clusters and the Clark-Evans index all
// count places, not rows, through this.

#include "hotspot/geo/types.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace hotspot::geo {

struct DistinctPoints {
  std::vector<Point> points;  // each distinct coordinate once, sorted by (x, y)
  // Rows sharing their exact coordinates with at least one other row.
  std::size_t stacked_rows = 0;
};

DistinctPoints distinct_points(std::span<const double> xs, std::span<const double> ys);

}  // namespace hotspot::geo
