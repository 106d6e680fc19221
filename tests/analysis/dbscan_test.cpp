// DBSCAN against the O(N^2) definition on random and adversarial inputs.

#include "hotspot/analysis/dbscan.hpp"

#include "dbscan_check.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace hotspot::analysis {
namespace {

using testing::same_partition;

struct Points {
  std::vector<double> x, y;
  void add(double px, double py) {
    x.push_back(px);
    y.push_back(py);
  }
};

void expect_matches_brute_force(const Points& p, double eps, std::uint32_t min_points,
                                unsigned threads = 2) {
  DbscanParams params;
  params.eps = eps;
  params.min_points = min_points;
  params.threads = threads;
  auto got = dbscan(p.x, p.y, params);
  ASSERT_TRUE(got) << got.error().message;
  const DbscanResult want = dbscan_brute_force(p.x, p.y, eps, min_points);
  EXPECT_TRUE(same_partition(*got, want, p.x, p.y, eps))
      << "eps " << eps << " min_points " << min_points << " n " << p.x.size();
}

// Gaussian blobs over a uniform background: the shape of the real data.
Points blobs(std::mt19937_64& rng, std::size_t n, double extent, int blob_count, double sigma) {
  Points p;
  std::uniform_real_distribution<double> uni(0, extent);
  std::normal_distribution<double> gauss(0, sigma);
  std::vector<std::pair<double, double>> centres;
  for (int b = 0; b < blob_count; ++b) centres.emplace_back(uni(rng), uni(rng));
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 5 < 3 && blob_count > 0) {
      auto [cx, cy] = centres[i % centres.size()];
      p.add(cx + gauss(rng), cy + gauss(rng));
    } else {
      p.add(uni(rng), uni(rng));
    }
  }
  return p;
}

TEST(Dbscan, RandomBlobsMatchBruteForce) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 30; ++round) {
    const std::size_t n = 200 + static_cast<std::size_t>(round) * 60;
    Points p = blobs(rng, n, 5000, 1 + round % 6, 80 + 20 * (round % 4));
    const double eps = 40 + 15 * (round % 7);
    const std::uint32_t min_points = 1 + static_cast<std::uint32_t>(round % 12);
    expect_matches_brute_force(p, eps, min_points, round % 2 ? 2 : 1);
  }
}

// Integer coordinates make many pairwise distances exactly eps (3-4-5
// triangles scaled by 20: eps 100 = 60^2 + 80^2 exactly), so the <= matters.
TEST(Dbscan, IntegerLatticeWithDistancesExactlyEps) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> coord(0, 30);
  for (int round = 0; round < 20; ++round) {
    Points p;
    for (int i = 0; i < 400; ++i) p.add(20.0 * coord(rng), 20.0 * coord(rng));
    expect_matches_brute_force(p, 100, 2 + static_cast<std::uint32_t>(round % 6));
  }
}

TEST(Dbscan, PointsExactlyEpsApartChain) {
  //  a---b---c---d    spacing exactly eps: each has 2 or 3 neighbours with itself
  Points p;
  for (int i = 0; i < 4; ++i) p.add(1000 + 100.0 * i, 500);
  expect_matches_brute_force(p, 100, 3);
  auto r = dbscan(p.x, p.y, {.eps = 100, .min_points = 3});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->cluster_count, 1);
  EXPECT_EQ(r->noise_count, 0u);
  EXPECT_EQ(r->core, (std::vector<std::uint8_t>{0, 1, 1, 0}));
  // One ulp further out at both ends and nobody has 3 neighbours.
  p.x[3] = std::nextafter(p.x[3], 1e9);
  p.x[0] = std::nextafter(p.x[0], -1e9);
  auto r2 = dbscan(p.x, p.y, {.eps = 100, .min_points = 3});
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->noise_count, 4u);  // b and c now see only each other
  expect_matches_brute_force(p, 100, 3);
}

TEST(Dbscan, DiagonalNeighboursAcrossCellCorners) {
  // Points on a diagonal at exactly eps/sqrt(2) per axis step are at distance
  // eps (up to rounding): the brute force decides, the grid must agree.
  Points p;
  const double step = 100 / std::sqrt(2.0);
  for (int i = 0; i < 50; ++i) p.add(5000 + step * i, 7000 + step * i);
  for (int i = 0; i < 50; ++i) p.add(5000 + 60.0 * i, 9000 + 80.0 * i);
  for (std::uint32_t m = 1; m <= 4; ++m) expect_matches_brute_force(p, 100, m);
}

TEST(Dbscan, Duplicates) {
  Points p;
  for (int i = 0; i < 9; ++i) p.add(10, 10);
  for (int i = 0; i < 10; ++i) p.add(500, 500);
  p.add(560, 580);  // exactly 100 from (500, 500): border
  p.add(900, 900);
  expect_matches_brute_force(p, 100, 10);
  auto r = dbscan(p.x, p.y, {.eps = 100, .min_points = 10});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->cluster_count, 1);
  EXPECT_EQ(r->noise_count, 10u);
  EXPECT_EQ(r->labels[19], r->labels[9]);
}

TEST(Dbscan, MinPointsOneAndTwo) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 6; ++round) {
    Points p = blobs(rng, 800, 3000, 3, 150);
    expect_matches_brute_force(p, 50, 1);
    expect_matches_brute_force(p, 50, 2);
  }
  // min_points 1: every point is core, nothing is noise.
  Points p = blobs(rng, 300, 3000, 2, 100);
  auto r = dbscan(p.x, p.y, {.eps = 10, .min_points = 1});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->noise_count, 0u);
}

TEST(Dbscan, OneHugeCluster) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> gauss(0, 30);
  Points p;
  for (int i = 0; i < 3000; ++i) p.add(400000 + gauss(rng), 520000 + gauss(rng));
  expect_matches_brute_force(p, 100, 10);
  auto r = dbscan(p.x, p.y, {.eps = 100, .min_points = 10});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->cluster_count, 1);
}

TEST(Dbscan, AllNoise) {
  Points p;
  for (int i = 0; i < 200; ++i) p.add(1000.0 * i, 1000.0 * (i % 7));
  auto r = dbscan(p.x, p.y, {.eps = 100, .min_points = 2});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->cluster_count, 0);
  EXPECT_EQ(r->noise_count, 200u);
  expect_matches_brute_force(p, 100, 2);
}

TEST(Dbscan, EmptyAndSingle) {
  std::vector<double> none;
  auto r = dbscan(none, none, {});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->labels.empty());
  EXPECT_EQ(r->cluster_count, 0);
  std::vector<double> one{5};
  auto s = dbscan(one, one, {.eps = 10, .min_points = 1});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->labels, (std::vector<std::int32_t>{0}));
}

// Far-apart groups make the dense grid too big, so the sparse grid is used.
TEST(Dbscan, SparseGridForWidelySpreadPoints) {
  std::mt19937_64 rng(9);
  Points p;
  std::normal_distribution<double> gauss(0, 20);
  for (int g = 0; g < 4; ++g) {
    for (int i = 0; i < 150; ++i) p.add(g * 4.0e6 + gauss(rng), g * 3.0e6 + gauss(rng));
  }
  expect_matches_brute_force(p, 15, 4);
}

TEST(Dbscan, RejectsBadInput) {
  std::vector<double> xs{1, 2}, ys{1};
  EXPECT_FALSE(dbscan(xs, ys, {}));
  std::vector<double> a{1, NAN}, b{1, 2};
  auto r = dbscan(a, b, {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("point 1"), std::string::npos);
  EXPECT_TRUE(DbscanParams{.eps = 0}.validate());
  EXPECT_TRUE(DbscanParams{.eps = 5001}.validate());
  EXPECT_TRUE(DbscanParams{.eps = NAN}.validate());
  EXPECT_TRUE(DbscanParams{.min_points = 0}.validate());
  EXPECT_TRUE(DbscanParams{.min_points = 100001}.validate());
  EXPECT_FALSE(DbscanParams{}.validate());
  std::vector<double> wide{0, 1e12}, flat{0, 0};
  EXPECT_FALSE(dbscan(wide, flat, {.eps = 1e-4, .min_points = 1}));
}

}  // namespace
}  // namespace hotspot::analysis
