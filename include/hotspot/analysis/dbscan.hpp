#pragma once
// Exact DBSCAN on points in EPSG:27700 metres.
//
// Definition (the one PostGIS ST_ClusterDBSCAN and scikit-learn DBSCAN use):
// the neighbourhood of a point is every point at distance <= eps, the point
// itself included; a point is core when its neighbourhood holds at least
// min_points points. Core points within eps of each other share a cluster;
// a non-core point within eps of a core point is a border point and joins
// one of the clusters reaching it; every other point is noise.
// Distances are compared squared (dx*dx + dy*dy <= eps*eps) throughout.

#include "hotspot/common/deadline.hpp"
#include "hotspot/common/error.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace hotspot::analysis {

inline constexpr std::int32_t kNoise = -1;

struct DbscanParams {
  static constexpr double kMaxEps = 5000;             // metres
  static constexpr std::uint32_t kMaxMinPoints = 100000;

  double eps = 100;               // metres, in (0, kMaxEps]
  std::uint32_t min_points = 10;  // in [1, kMaxMinPoints], the point itself counts
  unsigned threads = 2;           // for the core-counting pass; 0 = hardware concurrency

  std::optional<Error> validate() const;
};

struct DbscanResult {
  // Per input point: cluster id in [0, cluster_count), or kNoise. Clusters
  // are numbered in the input order of their first core point.
  std::vector<std::int32_t> labels;
  std::vector<std::uint8_t> core;  // 1 for core points
  std::int32_t cluster_count = 0;
  std::size_t noise_count = 0;
};

// Fails (as a value) on invalid params, xs/ys of different lengths, a
// non-finite coordinate (its index is named), or an eps so small relative to
// the spread of the points that the grid cannot index it; stops
// (deadline_exceeded) when the deadline passes.
Expected<DbscanResult> dbscan(std::span<const double> xs, std::span<const double> ys,
                              const DbscanParams& params,
                              const Deadline& deadline = Deadline::none());

// The O(N^2) definition, for tests and small inputs: same rules, same
// squared-distance comparison, clusters grown from core points in input order.
DbscanResult dbscan_brute_force(std::span<const double> xs, std::span<const double> ys,
                                double eps, std::uint32_t min_points);

}  // namespace hotspot::analysis
