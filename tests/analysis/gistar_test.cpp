// Gi* against a published vector, against the formula evaluated directly,
// and the FDR bins against a case worked by hand.

#include "hotspot/analysis/gistar.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace hotspot::analysis {
namespace {

//   y
//   30 |             f(7)
//   20 |     d(5)    e(8)
//   10 | a(2) b(3)       c(3.2)
//      +--10---20---30---40-- x      band 15
TEST(GiStar, KnownVector) {
  const std::vector<double> xs{10, 20, 40, 15, 30, 30}, ys{10, 10, 10, 20, 20, 30};
  const std::vector<double> values{2, 3, 3.2, 5, 8, 7};
  auto r = gistar_features(values, xs, ys, {.band = 15});
  ASSERT_TRUE(r) << r.error().message;
  const std::vector<double> want{-1.39727626, -0.28917762, 0.65064964,
                                 -0.28917762, 1.23452088,  2.02424331};
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(r->z[i], want[i], 5e-9) << i;
  EXPECT_EQ(r->bin, (std::vector<std::int8_t>{0, 0, 0, 0, 0, 2}));
  EXPECT_NEAR(r->p[5], 0.0429, 1e-4);
}

// The formula written out per feature, independent of the implementation.
std::vector<double> brute_force_grid(const std::vector<double>& v, const GridGeometry& g,
                                     double band) {
  const std::size_t n = v.size();
  double mean = 0, sq = 0;
  for (double x : v) {
    mean += x / static_cast<double>(n);
    sq += x * x / static_cast<double>(n);
  }
  const double s = std::sqrt(sq - mean * mean);
  std::vector<double> z(n);
  for (std::int32_t iy = 0; iy < g.ny; ++iy) {
    for (std::int32_t ix = 0; ix < g.nx; ++ix) {
      double lag = 0, w = 0;
      for (std::int32_t jy = 0; jy < g.ny; ++jy) {
        for (std::int32_t jx = 0; jx < g.nx; ++jx) {
          const double dx = g.centre_x(jx) - g.centre_x(ix), dy = g.centre_y(jy) - g.centre_y(iy);
          if (std::sqrt(dx * dx + dy * dy) <= band + 1e-6) {
            lag += v[std::size_t(jy) * std::size_t(g.nx) + std::size_t(jx)];
            w += 1;
          }
        }
      }
      const double nd = static_cast<double>(n);
      z[std::size_t(iy) * std::size_t(g.nx) + std::size_t(ix)] =
          (lag - mean * w) / (s * std::sqrt((nd * w - w * w) / (nd - 1)));
    }
  }
  return z;
}

TEST(GiStar, GridMatchesBruteForce) {
  std::mt19937_64 rng(21);
  std::poisson_distribution<int> counts(1.5);
  for (int round = 0; round < 6; ++round) {
    GridGeometry g{.origin_x = 377000, .origin_y = 506000, .cell = 250,
                   .nx = 17 + round, .ny = 11 + 2 * round};
    std::vector<double> v(g.size());
    for (double& x : v) x = counts(rng);
    v[std::size_t(round)] += 40;  // a hot spot near the edge
    const double band = 250.0 * (1 + round % 4);  // bands of exactly k cells
    auto r = gistar_grid(v, g, {.band = band});
    ASSERT_TRUE(r) << r.error().message;
    const auto want = brute_force_grid(v, g, band);
    for (std::size_t i = 0; i < v.size(); ++i) ASSERT_NEAR(r->z[i], want[i], 1e-9) << i;
  }
}

TEST(GiStar, GridEqualsFeatureVersionOnCellCentres) {
  GridGeometry g{.origin_x = 0, .origin_y = 0, .cell = 250, .nx = 12, .ny = 9};
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> u(0, 10);
  std::vector<double> v(g.size()), xs, ys;
  for (double& x : v) x = u(rng);
  for (std::int32_t iy = 0; iy < g.ny; ++iy) {
    for (std::int32_t ix = 0; ix < g.nx; ++ix) {
      xs.push_back(g.centre_x(ix));
      ys.push_back(g.centre_y(iy));
    }
  }
  auto a = gistar_grid(v, g, {.band = 600});
  auto b = gistar_features(v, xs, ys, {.band = 600});
  ASSERT_TRUE(a && b);
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(a->z[i], b->z[i], 1e-12);
}

TEST(GiStar, BinPointsCountsEveryCellAndReportsOutside) {
  auto g = aligned_grid(geo::Box{377187.5, 506235.7, 448926.0, 558253.0}, 250);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->origin_x, 377000);
  EXPECT_EQ(g->origin_y, 506000);
  EXPECT_EQ(g->nx, 288);
  EXPECT_EQ(g->ny, 210);
  std::vector<double> xs{377000, 377249.99, 377250, 1e9, NAN}, ys{506000, 506000, 506000, 0, 1};
  auto c = bin_points(xs, ys, *g);
  EXPECT_EQ(c.outside, 2u);
  EXPECT_EQ(c.counts[0], 2);
  EXPECT_EQ(c.counts[1], 1);
  EXPECT_EQ(c.counts.size(), 60480u);
}

// Ten p-values worked by hand (n = 10, thresholds k/10 * alpha):
//   alpha 0.10: largest k with p_(k) <= 0.01k is k = 6 (0.059) -> critical 0.059
//   alpha 0.05: p_(2) = 0.008 <= 0.010, p_(3) = 0.039 > 0.015, ... -> critical 0.008
//   alpha 0.01: p_(1) = 0.0009 <= 0.001, p_(2) = 0.008 > 0.002 -> critical 0.0009
TEST(GiStar, FalseDiscoveryRateBins) {
  const std::vector<double> p{0.0009, 0.008, 0.039, 0.041, 0.042, 0.059, 0.074, 0.205, 0.212, 0.216};
  std::vector<double> z(p.size(), 1.0);
  z[2] = -1.0;  // a cold spot keeps its sign
  EXPECT_EQ(confidence_bins(z, p, false),
            (std::vector<std::int8_t>{3, 3, -2, 2, 2, 1, 1, 0, 0, 0}));
  EXPECT_EQ(confidence_bins(z, p, true),
            (std::vector<std::int8_t>{3, 2, -1, 1, 1, 1, 0, 0, 0, 0}));
  // Nothing passes when no rank qualifies.
  const std::vector<double> weak{0.2, 0.3, 0.4};
  EXPECT_EQ(confidence_bins(std::vector<double>(3, 1.0), weak, true),
            (std::vector<std::int8_t>{0, 0, 0}));
}

TEST(GiStar, PValues) {
  EXPECT_NEAR(two_sided_p(1.959963984540054), 0.05, 1e-12);
  EXPECT_NEAR(two_sided_p(-2.5758293035489), 0.01, 1e-12);
  EXPECT_DOUBLE_EQ(two_sided_p(0), 1.0);
}

TEST(GiStar, DegenerateAndBadInput) {
  GridGeometry g{.origin_x = 0, .origin_y = 0, .cell = 100, .nx = 4, .ny = 4};
  std::vector<double> flat(16, 3.0);
  auto r = gistar_grid(flat, g, {.band = 150});
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->note.empty());
  for (double z : r->z) EXPECT_EQ(z, 0);
  std::vector<double> wrong(15, 1.0);
  EXPECT_FALSE(gistar_grid(wrong, g, {}));
  EXPECT_FALSE(gistar_grid(flat, g, {.band = 0}));
  std::vector<double> two{1, 2};
  EXPECT_FALSE(gistar_features(two, two, two, {}));
  std::vector<double> bad{1, NAN, 3};
  EXPECT_FALSE(gistar_features(bad, std::vector<double>{0, 1, 2}, std::vector<double>{0, 1, 2}, {}));
  EXPECT_FALSE(aligned_grid(geo::Box{}, 100));
  EXPECT_FALSE(aligned_grid(geo::Box{0, 0, 1e6, 1e6}, 100));  // 1e8 cells
}

}  // namespace
}  // namespace hotspot::analysis
