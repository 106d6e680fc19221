#pragma once
// Compares two DBSCAN results as partitions, not by their ids: same core
// flags, same noise set, core points grouped alike (a one-to-one map between
// cluster ids), and every border point labelled with a cluster that has a core
// point within eps of it (DBSCAN lets a border point join any such cluster).

#include "hotspot/analysis/dbscan.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <span>
#include <string>

namespace hotspot::analysis::testing {

inline ::testing::AssertionResult same_partition(const DbscanResult& got,
                                                 const DbscanResult& want,
                                                 std::span<const double> xs,
                                                 std::span<const double> ys, double eps) {
  const std::size_t n = want.labels.size();
  if (got.labels.size() != n || got.core.size() != n) {
    return ::testing::AssertionFailure() << "sizes differ";
  }
  if (got.cluster_count != want.cluster_count) {
    return ::testing::AssertionFailure()
           << "cluster count " << got.cluster_count << " vs " << want.cluster_count;
  }
  if (got.noise_count != want.noise_count) {
    return ::testing::AssertionFailure()
           << "noise count " << got.noise_count << " vs " << want.noise_count;
  }
  std::map<std::int32_t, std::int32_t> forward, backward;
  for (std::size_t i = 0; i < n; ++i) {
    if (got.core[i] != want.core[i]) {
      return ::testing::AssertionFailure() << "core flag differs at point " << i;
    }
    if ((got.labels[i] == kNoise) != (want.labels[i] == kNoise)) {
      return ::testing::AssertionFailure() << "noise differs at point " << i;
    }
    if (!want.core[i]) continue;
    auto [f, fnew] = forward.emplace(got.labels[i], want.labels[i]);
    auto [b, bnew] = backward.emplace(want.labels[i], got.labels[i]);
    if (f->second != want.labels[i] || b->second != got.labels[i]) {
      return ::testing::AssertionFailure() << "core point " << i << " grouped differently";
    }
  }
  const double eps2 = eps * eps;
  for (std::size_t i = 0; i < n; ++i) {
    if (got.core[i] || got.labels[i] == kNoise) continue;
    bool reached = false;
    for (std::size_t j = 0; j < n && !reached; ++j) {
      const double dx = xs[j] - xs[i], dy = ys[j] - ys[i];
      reached = got.core[j] && got.labels[j] == got.labels[i] && dx * dx + dy * dy <= eps2;
    }
    if (!reached) {
      return ::testing::AssertionFailure()
             << "border point " << i << " is in a cluster with no core point within eps";
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace hotspot::analysis::testing
