#include "hotspot/geo/distinct_points.hpp"

#include <algorithm>

namespace hotspot::geo {

DistinctPoints distinct_points(std::span<const double> xs, std::span<const double> ys) {
  DistinctPoints out;
  out.points.reserve(std::min(xs.size(), ys.size()));
  for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i) out.points.push_back({xs[i], ys[i]});
  std::sort(out.points.begin(), out.points.end(),
            [](Point a, Point b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  // One pass over runs of equal coordinates: keep the first, count the run
  // as stacked when it holds more than one row.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < out.points.size();) {
    std::size_t j = i + 1;
    while (j < out.points.size() && out.points[j].x == out.points[i].x &&
           out.points[j].y == out.points[i].y) {
      ++j;
    }
    if (j - i > 1) out.stacked_rows += j - i;
    out.points[kept++] = out.points[i];
    i = j;
  }
  out.points.resize(kept);
  return out;
}

}  // namespace hotspot::geo
