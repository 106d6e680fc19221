#include "hotspot/geo/geos.hpp"

#include <geos_c.h>
#include <gtest/gtest.h>

#include <thread>

namespace hotspot::geo {
namespace {

Ring square(double x0, double y0, double size) {
  return {{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}};
}

TEST(Geos, BuildsAndReadsBackAMultiPolygonWithAHole) {
  MultiPolygonRings parts = {{square(0, 0, 10), square(2, 2, 2)}, {square(20, 0, 5)}};
  Geometry g = make_multipolygon(parts);
  ASSERT_TRUE(g);
  EXPECT_TRUE(is_valid(g.get()));
  EXPECT_DOUBLE_EQ(area(g.get()), 100 - 4 + 25);
  const Box b = envelope(g.get());
  EXPECT_EQ(b.min_x, 0);
  EXPECT_EQ(b.max_x, 25);
  EXPECT_EQ(b.max_y, 10);
  const MultiPolygonRings back = polygon_rings(g.get());
  ASSERT_EQ(back.size(), 2u);
  ASSERT_EQ(back[0].size(), 2u);
  EXPECT_EQ(back[1][0].size(), 5u);
}

TEST(Geos, ClosesOpenRingsAndRejectsDegenerateOnes) {
  Ring open = {{0, 0}, {4, 0}, {4, 4}};
  Geometry g = make_multipolygon({{open}});
  ASSERT_TRUE(g);
  EXPECT_DOUBLE_EQ(area(g.get()), 8);
  EXPECT_FALSE(make_multipolygon({{Ring{{0, 0}, {1, 1}}}}));
}

TEST(Geos, BowTieIsInvalidAndRepairsToTwoTriangles) {
  //  (0,2) +   + (2,2)
  //        |\ /|
  //        | X |      the ring crosses itself at (1,1)
  //        |/ \|
  //  (0,0) +   + (2,0)
  Geometry bow = make_multipolygon({{Ring{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}}});
  ASSERT_TRUE(bow);
  std::string reason;
  EXPECT_FALSE(is_valid(bow.get(), &reason));
  EXPECT_NE(reason.find("Self-intersection"), std::string::npos) << reason;
  Geometry fixed = make_valid_polygonal(bow.get());
  ASSERT_TRUE(fixed);
  EXPECT_TRUE(is_valid(fixed.get()));
  EXPECT_DOUBLE_EQ(area(fixed.get()), 2.0);  // two triangles of area 1
  EXPECT_EQ(polygon_rings(fixed.get()).size(), 2u);
}

TEST(Geos, MakeValidDropsCollapsedParts) {
  // A polygon collapsed to a line has no polygonal part left.
  Geometry flat = from_wkt("POLYGON((0 0, 5 0, 10 0, 0 0))");
  ASSERT_TRUE(flat);
  Geometry fixed = make_valid_polygonal(flat.get());
  EXPECT_TRUE(!fixed || area(fixed.get()) == 0);
}

TEST(Geos, WindsExteriorsCounterClockwiseAndHolesClockwise) {
  Ring cw_shell = square(0, 0, 10);
  std::reverse(cw_shell.begin(), cw_shell.end());
  Ring ccw_hole = square(2, 2, 2);
  MultiPolygonRings parts = {{cw_shell, ccw_hole}};
  ASSERT_LT(signed_area(parts[0][0]), 0);
  ASSERT_GT(signed_area(parts[0][1]), 0);
  wind_rfc7946(parts);
  EXPECT_DOUBLE_EQ(signed_area(parts[0][0]), 100);
  EXPECT_DOUBLE_EQ(signed_area(parts[0][1]), -4);
}

TEST(Geos, HullsOfAPointSet) {
  // An L of points: the convex hull fills the corner, the concave one need not.
  Geometry pts = from_wkt(
      "MULTIPOINT((0 0),(1 0),(2 0),(3 0),(4 0),(0 1),(0 2),(0 3),(0 4),(1 1),(1 2),(1 3),(2 1),(3 1),(4 1))");
  ASSERT_TRUE(pts);
  Geometry convex = convex_hull(pts.get());
  Geometry concave = concave_hull(pts.get(), 0.1);
  ASSERT_TRUE(convex && concave);
  EXPECT_DOUBLE_EQ(area(convex.get()), 10);  // (0,0) (4,0) (4,1) (0,4)
  EXPECT_GT(area(concave.get()), 0);
  EXPECT_LT(area(concave.get()), area(convex.get()));
}

TEST(Geos, WktRoundTrip) {
  Geometry g = from_wkt("POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))");
  ASSERT_TRUE(g);
  EXPECT_EQ(to_wkt(g.get()), "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))");
  EXPECT_FALSE(from_wkt("POLYGON((0 0, 1"));
}

TEST(Geos, EachThreadHasItsOwnContext) {
  GEOSContextHandle_HS* here = thread_context();
  GEOSContextHandle_HS* there = nullptr;
  std::thread([&] { there = thread_context(); }).join();
  EXPECT_NE(here, there);
  EXPECT_EQ(here, thread_context());
}

}  // namespace
}  // namespace hotspot::geo
