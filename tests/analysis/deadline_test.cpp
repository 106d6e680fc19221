// Every long-running analysis stops when its deadline has passed or it is
// cancelled, and says so (deadline_exceeded) instead of returning part of
// an answer; without a deadline the same input gives the full answer. The
// kernel-density work bound refuses a surface before summing any of it.

#include "hotspot/analysis/clusters.hpp"
#include "hotspot/analysis/contours.hpp"
#include "hotspot/analysis/dbscan.hpp"
#include "hotspot/analysis/gistar.hpp"
#include "hotspot/analysis/kde.hpp"
#include "table_fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <vector>

namespace hotspot::analysis {
namespace {

struct Points {
  std::vector<double> x, y;
};

Points uniform(std::size_t n, double side, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, side);
  Points p;
  for (std::size_t i = 0; i < n; ++i) {
    p.x.push_back(u(rng));
    p.y.push_back(u(rng));
  }
  return p;
}

// Already past: the first check stops the work.
const Deadline& expired() {
  static const Deadline past(std::chrono::milliseconds(-1));
  return past;
}

const Deadline& cancelled() {
  static Deadline deadline;
  deadline.cancel();
  return deadline;
}

TEST(Deadline, NoneNeverExpiresAndCancelIsSticky) {
  EXPECT_FALSE(Deadline::none().expired());
  Deadline later(std::chrono::hours(1));
  EXPECT_FALSE(later.expired());
  later.cancel();
  EXPECT_TRUE(later.expired());
  EXPECT_TRUE(later.cancelled());
  EXPECT_TRUE(expired().expired());
  EXPECT_FALSE(expired().cancelled());
}

TEST(Deadline, KernelDensityStops) {
  const Points p = uniform(60000, 5000, 1);
  const GridGeometry g{.origin_x = 0, .origin_y = 0, .cell = 50, .nx = 100, .ny = 100};
  const KdeParams params{.bandwidth = 400, .cell_size = 50};
  ASSERT_TRUE(kernel_density(p.x, p.y, g, params));
  for (const Deadline* d : {&expired(), &cancelled()}) {
    auto stopped = kernel_density(p.x, p.y, g, params, *d);
    ASSERT_FALSE(stopped);
    EXPECT_EQ(stopped.error().code, ErrorCode::deadline_exceeded);
  }
}

TEST(Deadline, KernelDensityRefusesTooMuchWorkBeforeStarting) {
  // 50,000 lone points, each reaching 401 x 401 cells: 8e9 kernel terms.
  const Points p = uniform(50000, 10000, 2);
  const GridGeometry g{.origin_x = 0, .origin_y = 0, .cell = 10, .nx = 1000, .ny = 1000};
  const auto started = std::chrono::steady_clock::now();
  auto refused = kernel_density(p.x, p.y, g, {.bandwidth = 2000, .cell_size = 10});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::payload_too_large);
  EXPECT_NE(refused.error().message.find("'bandwidth'"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  // A tenth of the points is within the bound.
  const Points few = uniform(5000, 10000, 3);
  EXPECT_TRUE(kernel_density(few.x, few.y, g, {.bandwidth = 2000, .cell_size = 10},
                             cancelled())
                  .error()
                  .code == ErrorCode::deadline_exceeded);
}

TEST(Deadline, DbscanStops) {
  const Points p = uniform(30000, 3000, 4);
  const DbscanParams params{.eps = 50, .min_points = 5};
  ASSERT_TRUE(dbscan(p.x, p.y, params));
  auto stopped = dbscan(p.x, p.y, params, expired());
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, ErrorCode::deadline_exceeded);
}

TEST(Deadline, GiStarGridStops) {
  const GridGeometry g{.origin_x = 0, .origin_y = 0, .cell = 100, .nx = 60, .ny = 60};
  std::vector<double> v(g.size(), 1.0);
  v[100] = 30;
  ASSERT_TRUE(gistar_grid(v, g, {.band = 500}));
  auto stopped = gistar_grid(v, g, {.band = 500}, cancelled());
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, ErrorCode::deadline_exceeded);
}

TEST(Deadline, ContoursStopInsideGdal) {
  const GridGeometry g{.origin_x = 0, .origin_y = 0, .cell = 20, .nx = 200, .ny = 200};
  std::vector<double> v(g.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>((i * 7919) % 100);
  const std::vector<double> levels{10, 50, 90};
  ASSERT_TRUE(contour_bands(v, g, levels));
  auto stopped = contour_bands(v, g, levels, expired());
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, ErrorCode::deadline_exceeded);
}

TEST(Deadline, ClusterSummariesStop) {
  data::IncidentTable t;
  std::vector<std::uint32_t> rows;
  for (int i = 0; i < 40; ++i) {
    table_fixture::add_row(t, {.x = 1000.0 + (i % 20) * 5, .y = 1000.0 + (i / 20) * 2000});
    rows.push_back(static_cast<std::uint32_t>(i));
  }
  std::vector<double> xs(t.x.begin(), t.x.end()), ys(t.y.begin(), t.y.end());
  auto labels = dbscan(xs, ys, {.eps = 20, .min_points = 3});
  ASSERT_TRUE(labels);
  ASSERT_EQ(labels->cluster_count, 2);
  const data::BoundaryLayer none = table_fixture::ids_only_layer(0);
  ASSERT_TRUE(summarise_clusters(t, rows, *labels, none));
  auto stopped = summarise_clusters(t, rows, *labels, none, {}, cancelled());
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, ErrorCode::deadline_exceeded);
}

}  // namespace
}  // namespace hotspot::analysis
