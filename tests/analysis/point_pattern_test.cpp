// Distinct locations and the Clark-Evans index: nearest neighbours against
// brute force, and the index's known values (Clark & Evans 1954: R = 1 for
// complete spatial randomness, R = 2 for a square lattice whose window is
// the lattice's own squares, R -> 0 for a tight cluster).

#include "hotspot/analysis/point_pattern.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace hotspot::analysis {
namespace {

std::vector<double> brute_force_nearest(const std::vector<geo::Point>& points) {
  std::vector<double> out(points.size(), std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < points.size(); ++i) {
    for (std::size_t j = 0; j < points.size(); ++j) {
      if (i == j) continue;
      out[i] = std::min(out[i], std::hypot(points[i].x - points[j].x, points[i].y - points[j].y));
    }
  }
  return out;
}

TEST(PointPattern, NearestNeighboursMatchBruteForce) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 30; ++trial) {
    const std::size_t n = 2 + rng() % 400;
    // Half the trials: a few tight clumps and far outliers, the grid's hard case.
    const bool clumped = trial % 2 == 1;
    std::uniform_real_distribution<double> wide(0, 10'000), tight(0, 5);
    std::vector<double> xs, ys;
    for (std::size_t i = 0; i < n; ++i) {
      const bool in_clump = clumped && i % 10 != 0;
      xs.push_back(in_clump ? 5'000 + tight(rng) + 100.0 * (i % 3) : wide(rng));
      ys.push_back(in_clump ? 5'000 + tight(rng) : wide(rng));
    }
    const geo::DistinctPoints distinct = geo::distinct_points(xs, ys);
    const auto got = nearest_neighbour_distances(distinct.points, 1 + trial % 3);
    const auto want = brute_force_nearest(distinct.points);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_DOUBLE_EQ(got[i], want[i]) << trial << " " << i;
  }
}

TEST(PointPattern, StackedRowsCountEveryRowOnASharedPoint) {
  //  (0,0) x3   (5,5) x1   (9,1) x2   -> 3 distinct, 5 stacked rows
  const std::vector<double> xs{0, 5, 0, 9, 0, 9}, ys{0, 5, 0, 1, 0, 1};
  const geo::DistinctPoints d = geo::distinct_points(xs, ys);
  EXPECT_EQ(d.points.size(), 3u);
  EXPECT_EQ(d.stacked_rows, 5u);
}

TEST(ClarkEvans, SquareLatticeIsTwo) {
  // k x k points s apart, window = k*k squares of side s: every nearest
  // neighbour is s, expected 0.5 * sqrt(A / n) = s / 2.
  const int k = 60;
  const double s = 25;
  std::vector<double> xs, ys;
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < k; ++j) {
      xs.push_back(i * s);
      ys.push_back(j * s);
    }
  }
  const auto ce = clark_evans(xs, ys, (k * s) * (k * s));
  ASSERT_TRUE(ce);
  EXPECT_NEAR(ce->observed_mean_m, s, 1e-9);
  EXPECT_NEAR(ce->r, 2.0, 1e-9);
  EXPECT_GT(ce->z, 10);
  EXPECT_LT(ce->p, 1e-6);
}

TEST(ClarkEvans, UniformRandomIsNearOne) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> u(0, 10'000);
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<double> xs, ys;
    for (int i = 0; i < 5'000; ++i) {
      xs.push_back(u(rng));
      ys.push_back(u(rng));
    }
    const auto ce = clark_evans(xs, ys, 1e8);
    ASSERT_TRUE(ce);
    // No edge correction: the edge lengthens nearest neighbours by a few
    // per cent at n = 5000 (Donnelly's term 0.041 P / n ~ 0.03 r_e here).
    EXPECT_GT(ce->r, 0.97) << trial;
    EXPECT_LT(ce->r, 1.08) << trial;
  }
}

TEST(ClarkEvans, TightClusterIsWellBelowOne) {
  std::mt19937 rng(3);
  std::normal_distribution<double> n(5'000, 20);
  std::vector<double> xs, ys;
  for (int i = 0; i < 2'000; ++i) {
    xs.push_back(n(rng));
    ys.push_back(n(rng));
  }
  const auto ce = clark_evans(xs, ys, 1e8);
  ASSERT_TRUE(ce);
  EXPECT_LT(ce->r, 0.1);
  EXPECT_LT(ce->z, -10);
}

TEST(ClarkEvans, StackedRowsCountOnceAndTwoPointsByHand) {
  // Two distinct points 30 m apart, one stacked three deep, in 10^6 m^2:
  // r_o = 30, r_e = 0.5 / sqrt(2 / 1e6) = 353.553..., R = 0.0848528...
  const std::vector<double> xs{0, 0, 0, 30}, ys{0, 0, 0, 0};
  const auto ce = clark_evans(xs, ys, 1e6);
  ASSERT_TRUE(ce);
  EXPECT_EQ(ce->locations, 2u);
  EXPECT_EQ(ce->stacked_rows, 3u);
  EXPECT_DOUBLE_EQ(ce->observed_mean_m, 30);
  EXPECT_NEAR(ce->expected_mean_m, 0.5 / std::sqrt(2 / 1e6), 1e-9);
  EXPECT_NEAR(ce->r, 30 / (0.5 / std::sqrt(2 / 1e6)), 1e-12);
  const double se = 0.26136 / std::sqrt(2 * 2 / 1e6);
  EXPECT_NEAR(ce->z, (30 - 0.5 / std::sqrt(2 / 1e6)) / se, 1e-9);
  EXPECT_FALSE(clark_evans(std::vector<double>{1, 1}, std::vector<double>{2, 2}, 1e6));
  EXPECT_FALSE(clark_evans(xs, ys, 0));
}

}  // namespace
}  // namespace hotspot::analysis
