#include "hotspot/http/shapes.hpp"

#include "hotspot/http/projection.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace hotspot::http {
namespace {

bool same(geo::Point a, geo::Point b) { return a.x == b.x && a.y == b.y; }

TEST(ConvexHull, DropsInteriorAndCollinearPoints) {
  //  y
  //  2  D . . C        hull: A B C D (counter-clockwise from the lowest-left)
  //  1  . e f .        e, f inside; g on edge AB, h on edge BC: dropped
  //  0  A g . B h      (h at (3,1) lies on BC)
  //     0 1 2 3 x
  const std::vector<geo::Point> points{{0, 0}, {3, 0}, {3, 2}, {0, 2}, {1, 1},
                                       {2, 1}, {1, 0}, {3, 1}, {0, 0}};
  const auto hull = convex_hull(points);
  ASSERT_EQ(hull.size(), 4u);
  EXPECT_TRUE(same(hull[0], {0, 0}));
  EXPECT_TRUE(same(hull[1], {3, 0}));
  EXPECT_TRUE(same(hull[2], {3, 2}));
  EXPECT_TRUE(same(hull[3], {0, 2}));
  EXPECT_DOUBLE_EQ(polygon_area(hull), 6.0);
}

TEST(ConvexHull, DegenerateInputs) {
  EXPECT_TRUE(convex_hull({}).empty());
  // One point, repeated.
  const auto one = convex_hull({{5, 5}, {5, 5}, {5, 5}});
  ASSERT_EQ(one.size(), 1u);
  //  A . b . C   all on a line: the extremes A and C
  const auto line = convex_hull({{2, 0}, {0, 0}, {4, 0}, {1, 0}});
  ASSERT_EQ(line.size(), 2u);
  EXPECT_TRUE(same(line[0], {0, 0}));
  EXPECT_TRUE(same(line[1], {4, 0}));
}

TEST(HullGeometry, TypesByVertexCount) {
  auto to_lonlat = to_wgs84();
  ASSERT_TRUE(to_lonlat) << to_lonlat.error().message;
  // Durham, British National Grid metres.
  const geo::Point a{427000, 542000}, b{427100, 542000}, c{427100, 542100};
  auto type_of = [&](std::vector<geo::Point> hull) {
    JsonWriter w;
    write_hull_geometry(w, hull, **to_lonlat);
    return nlohmann::json::parse(w.text());
  };
  EXPECT_EQ(type_of({a})["type"], "Point");
  EXPECT_EQ(type_of({a, b})["type"], "LineString");
  const auto polygon = type_of({a, b, c});
  EXPECT_EQ(polygon["type"], "Polygon");
  const auto& ring = polygon["coordinates"][0];
  ASSERT_EQ(ring.size(), 4u);
  EXPECT_EQ(ring.front(), ring.back());
  // Still counter-clockwise in lon/lat.
  double twice = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    twice += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
             ring[i + 1][0].get<double>() * ring[i][1].get<double>();
  }
  EXPECT_GT(twice, 0);
  // Durham is near 1.58 W, 54.77 N.
  EXPECT_NEAR(ring[0][0].get<double>(), -1.58, 0.05);
  EXPECT_NEAR(ring[0][1].get<double>(), 54.77, 0.05);
}

TEST(CellGeometry, CornersFollowTheGrid) {
  auto to_lonlat = to_wgs84();
  ASSERT_TRUE(to_lonlat);
  analysis::GridGeometry grid;
  grid.origin_x = 420000;
  grid.origin_y = 540000;
  grid.cell = 250;
  grid.nx = 10;
  grid.ny = 10;
  JsonWriter w;
  write_cell_geometry(w, grid, 2, 3, **to_lonlat);
  const auto polygon = nlohmann::json::parse(w.text());
  const auto& ring = polygon["coordinates"][0];
  ASSERT_EQ(ring.size(), 5u);
  // The south-west corner is (420500, 540750) projected.
  const geo::Point sw = (*to_lonlat)->transform(geo::Point{420500, 540750});
  EXPECT_NEAR(ring[0][0].get<double>(), sw.x, 1e-6);
  EXPECT_NEAR(ring[0][1].get<double>(), sw.y, 1e-6);
  // East of it, then north-east: counter-clockwise.
  EXPECT_GT(ring[1][0].get<double>(), ring[0][0].get<double>());
  EXPECT_GT(ring[2][1].get<double>(), ring[1][1].get<double>());
}

}  // namespace
}  // namespace hotspot::http
