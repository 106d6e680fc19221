// The O(N^2) definition of DBSCAN, the reference the grid-indexed dbscan()
// is tested against.

#include "hotspot/analysis/dbscan.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>

namespace hotspot::analysis {

DbscanResult dbscan_brute_force(std::span<const double> xs, std::span<const double> ys,
                                double eps, std::uint32_t min_points) {
  const std::size_t n = xs.size();
  const double eps2 = eps * eps;
  auto near = [&](std::size_t i, std::size_t j) {
    const double dx = xs[j] - xs[i], dy = ys[j] - ys[i];
    return dx * dx + dy * dy <= eps2;
  };
  DbscanResult result;
  result.labels.assign(n, kNoise);
  result.core.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t count = 0;
    for (std::size_t j = 0; j < n; ++j) count += near(i, j) ? 1 : 0;
    result.core[i] = count >= min_points ? 1 : 0;
  }
  // Grow each cluster from its first unlabelled core point; only core points
  // expand the frontier.
  for (std::size_t seed = 0; seed < n; ++seed) {
    if (!result.core[seed] || result.labels[seed] != kNoise) continue;
    const std::int32_t id = result.cluster_count++;
    std::deque<std::size_t> frontier{seed};
    result.labels[seed] = id;
    while (!frontier.empty()) {
      const std::size_t i = frontier.front();
      frontier.pop_front();
      for (std::size_t j = 0; j < n; ++j) {
        if (result.labels[j] != kNoise || !near(i, j)) continue;
        result.labels[j] = id;
        if (result.core[j]) frontier.push_back(j);
      }
    }
  }
  result.noise_count = static_cast<std::size_t>(
      std::count(result.labels.begin(), result.labels.end(), kNoise));
  return result;
}

}  // namespace hotspot::analysis
