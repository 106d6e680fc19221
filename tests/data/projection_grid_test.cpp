#include "hotspot/data/projection_grid.hpp"
#include "hotspot/geo/crs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace hotspot::data {
namespace {

// The extent of County Durham's wards, in WGS84 degrees.
constexpr double kMinLon = -2.36, kMaxLon = -1.24, kMinLat = 54.45, kMaxLat = 54.92;

// The study area the loader passes: the wards' extent in EPSG:27700.
geo::Box durham_box() { return geo::Box{376000, 505000, 450000, 560000}; }

struct Points {
  std::vector<double> x, y;
};

Points random_lonlat(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> lon(kMinLon, kMaxLon), lat(kMinLat, kMaxLat);
  Points p;
  for (std::size_t i = 0; i < n; ++i) {
    p.x.push_back(lon(rng));
    p.y.push_back(lat(rng));
  }
  return p;
}

// The reference: PROJ, one point at a time.
Points exact(const Points& in) {
  auto t = geo::Transformer::create(geo::kWgs84, geo::kWorkingCrs);
  EXPECT_TRUE(t);
  Points out = in;
  for (std::size_t i = 0; i < out.x.size(); ++i) {
    const double inf = std::numeric_limits<double>::infinity();
    const geo::Point p = t->try_transform({out.x[i], out.y[i]}).value_or(geo::Point{inf, inf});
    out.x[i] = p.x;
    out.y[i] = p.y;
  }
  return out;
}

// One projection of `in`: PROJ's answer for each point beside
// project_to_working's, with its statistics.
struct Run {
  Points want, got;
  ProjectionStats stats;
};

Run project(const Points& in, const ProjectionOptions& options) {
  Run run{exact(in), in, {}};
  run.stats = project_to_working(geo::kWgs84, run.got.x, run.got.y, options);
  return run;
}

TEST(ProjectionGrid, WithinOneMillimetreOfProjOverCountyDurham) {
  const Points in = random_lonlat(200000, 7);
  const auto [want, got, stats] = project(in, {.threads = 2, .area = durham_box()});
  ASSERT_TRUE(stats.grid_used) << stats.fallback_reason;
  EXPECT_LE(stats.max_error_m, 1e-3);
  EXPECT_GT(stats.checked, 1000u);
  double worst = 0;
  for (std::size_t i = 0; i < in.x.size(); ++i) {
    worst = std::max(worst, std::hypot(got.x[i] - want.x[i], got.y[i] - want.y[i]));
  }
  EXPECT_LE(worst, 1e-3);
  // Points the grid does not cover were projected exactly.
  EXPECT_LT(stats.exact, in.x.size() / 10);
  EXPECT_EQ(stats.failed, 0u);
  std::printf("interpolation: %zu x %zu cells, max error %.3g m (check), %.3g m (all points)\n",
              stats.grid_columns, stats.grid_rows, stats.max_error_m, worst);
}

TEST(ProjectionGrid, FarAndBrokenPointsAreProjectedExactlyOrFail) {
  Points in = random_lonlat(50000, 11);
  // Far from the study area (the grid does not reach), and not numbers.
  in.x[10] = 0.5;   in.y[10] = 51.5;   // London
  in.x[20] = -3.2;  in.y[20] = 55.95;  // Edinburgh
  in.x[30] = std::nan("");
  in.y[40] = std::numeric_limits<double>::infinity();
  const auto [want, got, stats] = project(in, {.area = durham_box()});
  ASSERT_TRUE(stats.grid_used) << stats.fallback_reason;
  EXPECT_GE(stats.exact, 4u);
  EXPECT_EQ(stats.failed, 2u);
  EXPECT_EQ(got.x[10], want.x[10]);
  EXPECT_EQ(got.y[20], want.y[20]);
  EXPECT_TRUE(std::isinf(got.x[30]) && std::isinf(got.y[30]));
  EXPECT_TRUE(std::isinf(got.x[40]) && std::isinf(got.y[40]));
  for (std::size_t i = 0; i < in.x.size(); ++i) {
    if (!std::isfinite(want.x[i])) continue;
    ASSERT_LE(std::hypot(got.x[i] - want.x[i], got.y[i] - want.y[i]), 1e-3) << i;
  }
}

TEST(ProjectionGrid, FailedCheckFallsBackToExactProjection) {
  const Points in = random_lonlat(30000, 3);
  // A grid far too coarse for a cubic to follow the projection to within a picometre.
  const auto [want, got, stats] =
      project(in, {.area = durham_box(), .tolerance_m = 1e-12, .cell_m = 40000});
  EXPECT_FALSE(stats.grid_used);
  EXPECT_GT(stats.max_error_m, 1e-12);
  EXPECT_FALSE(stats.fallback_reason.empty());
  EXPECT_EQ(stats.exact, in.x.size());
  for (std::size_t i = 0; i < in.x.size(); ++i) {
    ASSERT_NEAR(got.x[i], want.x[i], 1e-9) << i;
    ASSERT_NEAR(got.y[i], want.y[i], 1e-9) << i;
  }
}

TEST(ProjectionGrid, UnknownCrsFailsEveryPoint) {
  Points got = random_lonlat(100, 5);
  const ProjectionStats stats = project_to_working("EPSG:999999", got.x, got.y, {});
  EXPECT_FALSE(stats.error.empty());
  EXPECT_EQ(stats.failed, 100u);
  for (double x : got.x) EXPECT_TRUE(std::isinf(x));
}

}  // namespace
}  // namespace hotspot::data
