#include "hotspot/geo/polygon_index.hpp"

#include "ons_fixture.hpp"

#include <geos_c.h>
#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <random>
#include <thread>

namespace hotspot::geo {
namespace {

using testing::raw;
using testing::read_ons_layer;
using testing::shared_path;

Ring rect(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}

// The layer every boundary case below refers to:
//
//   y
//   20 +---------+---------+          +----+
//      |    A    |    B    |          | C  |  C (2): one multipolygon,
//   16 |  +---+  |         |          +----+  parts at y 15..20 and 0..5
//      |  | h |  |         |
//   12 |  +---+  |         |
//      |         |         |          +----+
//      |         |         |          | C  |
//    0 +---------+---------+          +----+
//      0  3   7  10        20         30   35   x
//
//   A (0): 0..10 x 0..20 with a hole h at 3..7 x 12..16;  B (1): 10..20 x 0..20
struct BoundaryLayout : ::testing::Test {
  std::vector<Geometry> geoms;
  std::vector<const GEOSGeom_t*> polys;
  std::unique_ptr<PolygonIndex> index;

  void SetUp() override {
    geoms.push_back(make_multipolygon({{rect(0, 0, 10, 20), rect(3, 12, 7, 16)}}));
    geoms.push_back(make_multipolygon({{rect(10, 0, 20, 20)}}));
    geoms.push_back(make_multipolygon({{rect(30, 0, 35, 5)}, {rect(30, 15, 35, 20)}}));
    polys = raw(geoms);
    index = std::make_unique<PolygonIndex>(polys);
  }
  void expect_at(Point p, std::int32_t expected) {
    EXPECT_EQ(locate_brute_force(polys, p), expected) << p.x << "," << p.y;
    EXPECT_EQ(index->locate(p), expected) << p.x << "," << p.y;
  }
};

TEST_F(BoundaryLayout, InteriorPoints) {
  expect_at({5, 5}, 0);
  expect_at({15, 5}, 1);
}

TEST_F(BoundaryLayout, SharedEdgeAndVertexGoToTheLowerIndex) {
  expect_at({10, 5}, 0);   // on the edge A|B
  expect_at({10, 20}, 0);  // on the vertex A and B share
  expect_at({10, 0}, 0);
  expect_at({20, 10}, 1);  // on B's outer edge: only B covers it
  expect_at({0, 0}, 0);    // A's own corner
}

TEST_F(BoundaryLayout, HoleIsOutsideButItsRimIsInside) {
  expect_at({5, 14}, PolygonIndex::kNone);  // inside h
  expect_at({7, 14}, 0);                    // on h's edge
  expect_at({3, 12}, 0);                    // on h's corner
}

TEST_F(BoundaryLayout, SecondPartOfAMultiPolygon) {
  expect_at({32, 17}, 2);
  expect_at({32, 2}, 2);
  expect_at({32, 10}, PolygonIndex::kNone);  // between the parts, inside C's envelope
}

TEST_F(BoundaryLayout, OutsideEverything) {
  expect_at({25, 10}, PolygonIndex::kNone);
  expect_at({-1, -1}, PolygonIndex::kNone);
  expect_at({1e7, 1e7}, PolygonIndex::kNone);
  EXPECT_EQ(index->locate({NAN, 3}), PolygonIndex::kNone);
}

TEST_F(BoundaryLayout, NearestMeasuresToTheClosestBoundary) {
  //   (25,10) is 5 from B's edge x=20 and sqrt(50) from C's lower part.
  auto [d, i] = index->nearest({25, 10});
  EXPECT_DOUBLE_EQ(d, 5);
  EXPECT_EQ(i, 1);
  std::tie(d, i) = index->nearest({5, 5});  // inside A
  EXPECT_EQ(d, 0);
  EXPECT_EQ(i, 0);
  std::tie(d, i) = index->nearest({5, 14});  // centre of the hole: 2 to its rim
  EXPECT_DOUBLE_EQ(d, 2);
  EXPECT_EQ(i, 0);
  std::tie(d, i) = index->nearest({10, 5});  // on A|B: both at 0, lower index
  EXPECT_EQ(d, 0);
  EXPECT_EQ(i, 0);
  std::tie(d, i) = index->nearest({40, 17});  // beside C's upper part
  EXPECT_DOUBLE_EQ(d, 5);
  EXPECT_EQ(i, 2);
}

// Containment beats mere covering even when the covering polygon comes first:
//
//   10 +----+----+----+
//      | E  : F  |    |    E (0): 0..10 x 0..10
//      |    :    |    |    F (1): 5..15 x 0..10 (overlaps E)
//    0 +----+----+----+    (10,5) lies on E's right edge, inside F
//      0    5   10   15
TEST(PolygonIndex, InteriorOfALaterPolygonBeatsTheEdgeOfAnEarlierOne) {
  std::vector<Geometry> g;
  g.push_back(make_multipolygon({{rect(0, 0, 10, 10)}}));
  g.push_back(make_multipolygon({{rect(5, 0, 15, 10)}}));
  const auto polys = raw(g);
  PolygonIndex index(polys);
  EXPECT_EQ(locate_brute_force(polys, {10, 5}), 1);
  EXPECT_EQ(index.locate({10, 5}), 1);
  EXPECT_EQ(index.locate({7, 5}), 0);  // inside both: lowest index
  EXPECT_EQ(index.locate({5, 5}), 0);  // F's edge, E's interior
}

TEST(PolygonIndex, EmptyIndex) {
  PolygonIndex index({});
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.locate({0, 0}), PolygonIndex::kNone);
  auto [d, i] = index.nearest({0, 0});
  EXPECT_TRUE(std::isinf(d));
  EXPECT_EQ(i, PolygonIndex::kNone);
}

struct RandomPoints {
  std::vector<double> xs, ys;
};

// Uniform points over the layer's extent grown by 5% on each side, so that
// some fall outside every polygon.
RandomPoints random_points(const std::vector<Geometry>& geoms, std::size_t n, unsigned seed) {
  Box extent;
  for (const Geometry& g : geoms) extent.expand(envelope(g.get()));
  const double mx = 0.05 * (extent.max_x - extent.min_x), my = 0.05 * (extent.max_y - extent.min_y);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(extent.min_x - mx, extent.max_x + mx);
  std::uniform_real_distribution<double> uy(extent.min_y - my, extent.max_y + my);
  RandomPoints pts;
  for (std::size_t i = 0; i < n; ++i) {
    pts.xs.push_back(ux(rng));
    pts.ys.push_back(uy(rng));
  }
  return pts;
}

void expect_matches_brute_force(const std::string& file, std::size_t expected_features) {
  const std::vector<Geometry> geoms = read_ons_layer(shared_path(file));
  ASSERT_EQ(geoms.size(), expected_features) << file;
  const auto polys = raw(geoms);
  PolygonIndex index(polys);
  const RandomPoints pts = random_points(geoms, 20000, 20240611);
  std::vector<std::int32_t> got(pts.xs.size());
  index.locate_all(pts.xs, pts.ys, got, 2);
  std::size_t inside = 0, mismatches = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const std::int32_t want = locate_brute_force(polys, {pts.xs[i], pts.ys[i]});
    if (want != got[i] && ++mismatches <= 5) {
      ADD_FAILURE() << file << " point " << pts.xs[i] << "," << pts.ys[i] << ": index " << got[i]
                    << ", brute force " << want;
    }
    inside += want != PolygonIndex::kNone;
  }
  EXPECT_EQ(mismatches, 0u);
  // The county fills a good part of its own bounding box; a broken
  // reference that finds nothing would otherwise pass.
  EXPECT_GT(inside, got.size() / 3);
  EXPECT_LT(inside, got.size());
}

TEST(PolygonIndex, MatchesBruteForceOnRealWards) {
  expect_matches_brute_force("geodata/ons/wards-E06000047.json", 63);
}

TEST(PolygonIndex, MatchesBruteForceOnRealLsoas) {
  expect_matches_brute_force("geodata/ons/lsoa-E06000047.json", 324);
}

TEST(PolygonIndex, PointsOnRealSharedBoundariesAreAssignedOnce) {
  // Vertices of ward rings lie on the boundaries the wards share.
  const std::vector<Geometry> geoms = read_ons_layer(shared_path("geodata/ons/wards-E06000047.json"));
  ASSERT_EQ(geoms.size(), 63u);
  const auto polys = raw(geoms);
  PolygonIndex index(polys);
  std::size_t checked = 0;
  for (std::size_t w = 0; w < geoms.size(); w += 7) {
    const MultiPolygonRings parts = polygon_rings(geoms[w].get());
    const Ring& ring = parts.front().front();
    for (std::size_t k = 0; k < ring.size(); k += 11) {
      const std::int32_t got = index.locate(ring[k]);
      EXPECT_EQ(got, locate_brute_force(polys, ring[k]));
      EXPECT_NE(got, PolygonIndex::kNone);  // a vertex of w is covered by w at least
      EXPECT_LE(got, static_cast<std::int32_t>(w));
      ++checked;
    }
  }
  EXPECT_GT(checked, 50u);
}

TEST(PolygonIndex, MultithreadedLocateAllEqualsSingleThreaded) {
  const std::vector<Geometry> geoms = read_ons_layer(shared_path("geodata/ons/lsoa-E06000047.json"));
  ASSERT_EQ(geoms.size(), 324u);
  PolygonIndex index(raw(geoms));
  const RandomPoints pts = random_points(geoms, 100000, 7);
  std::vector<std::int32_t> one(pts.xs.size()), many(pts.xs.size());
  index.locate_all(pts.xs, pts.ys, one, 1);
  index.locate_all(pts.xs, pts.ys, many, 4);
  EXPECT_EQ(one, many);
  for (std::size_t i = 0; i < one.size(); i += 997) {
    EXPECT_EQ(one[i], index.locate({pts.xs[i], pts.ys[i]}));
  }
}

TEST(PolygonIndex, NearestMatchesBruteForceDistance) {
  const std::vector<Geometry> geoms = read_ons_layer(shared_path("geodata/ons/wards-E06000047.json"));
  ASSERT_EQ(geoms.size(), 63u);
  // A few wards far apart play the part of scattered town centres.
  std::vector<const GEOSGeom_t*> some;
  for (std::size_t i = 0; i < geoms.size(); i += 5) some.push_back(geoms[i].get());
  PolygonIndex index(some);
  const RandomPoints pts = random_points(geoms, 3000, 99);
  GEOSContextHandle_HS* ctx = thread_context();
  std::size_t zero = 0;
  for (std::size_t k = 0; k < pts.xs.size(); ++k) {
    const Point p{pts.xs[k], pts.ys[k]};
    Geometry point = make_point(p);
    double best = std::numeric_limits<double>::infinity();
    std::int32_t best_i = PolygonIndex::kNone;
    for (std::size_t i = 0; i < some.size(); ++i) {
      double d = 0;
      ASSERT_EQ(GEOSDistance_r(ctx, some[i], point.get(), &d), 1);
      if (d < best) {
        best = d;
        best_i = static_cast<std::int32_t>(i);
      }
    }
    const auto [d, i] = index.nearest(p);
    EXPECT_NEAR(d, best, 1e-6);
    EXPECT_EQ(i, best_i);
    zero += best == 0;
  }
  EXPECT_GT(zero, 0u);  // some points fall inside
}

TEST(PolygonIndex, ConcurrentNearestAndLocateEqualSerial) {
  // A fresh index used from several threads at once straight away: anything
  // GEOS still had to build lazily would be built concurrently here.
  const std::vector<Geometry> geoms = read_ons_layer(shared_path("geodata/ons/lsoa-E06000047.json"));
  ASSERT_EQ(geoms.size(), 324u);
  const RandomPoints pts = random_points(geoms, 8000, 5);
  PolygonIndex index(raw(geoms));
  constexpr unsigned kThreads = 4;
  std::vector<std::pair<double, std::int32_t>> near(pts.xs.size());
  std::vector<std::int32_t> where(pts.xs.size());
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < kThreads; ++t) {
    pool.emplace_back([&, t] {
      for (std::size_t i = t; i < pts.xs.size(); i += kThreads) {
        near[i] = index.nearest({pts.xs[i], pts.ys[i]});
        where[i] = index.locate({pts.xs[i], pts.ys[i]});
      }
    });
  }
  for (std::thread& th : pool) th.join();
  for (std::size_t i = 0; i < pts.xs.size(); ++i) {
    const Point p{pts.xs[i], pts.ys[i]};
    ASSERT_EQ(near[i], index.nearest(p)) << i;
    ASSERT_EQ(where[i], index.locate(p)) << i;
    // Inside some polygon exactly when the nearest one is at distance 0.
    ASSERT_EQ(where[i] != PolygonIndex::kNone, near[i].first == 0) << i;
  }
}

}  // namespace
}  // namespace hotspot::geo
