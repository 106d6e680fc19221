#include "hotspot/http/shapes.hpp"

#include "hotspot/http/projection.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace hotspot::http {
namespace {

// A unit square with a quarter-size hole in its north-east corner:
//
//   (0,1) +-------+ (1,1)
//         |   +-+ |
//         |   +-+ |      hole [0.5,0.75] x [0.5,0.75]
//   (0,0) +-------+ (1,0)
//
// area 1 - 1/16; centroid (1/2 - 1/16 * 0.625) / (15/16) on both axes.
TEST(AreaCentroid, HolesSubtract) {
  const geo::MultiPolygonRings square{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}},
                                       {{0.5, 0.5}, {0.5, 0.75}, {0.75, 0.75}, {0.75, 0.5}, {0.5, 0.5}}}};
  geo::Box box;
  box.expand(geo::Point{0, 0});
  box.expand(geo::Point{1, 1});
  const geo::Point c = area_centroid(square, box);
  const double expected = (0.5 - 0.0625 * 0.625) / 0.9375;
  EXPECT_NEAR(c.x, expected, 1e-12);
  EXPECT_NEAR(c.y, expected, 1e-12);
  // Winding does not matter, nor whether the ring is closed.
  const geo::MultiPolygonRings clockwise{{{{0, 0}, {0, 2}, {4, 2}, {4, 0}}}};
  const geo::Point d = area_centroid(clockwise, box);
  EXPECT_NEAR(d.x, 2, 1e-12);
  EXPECT_NEAR(d.y, 1, 1e-12);
  // No area: the centre of the fallback box.
  const geo::Point e = area_centroid({}, box);
  EXPECT_DOUBLE_EQ(e.x, 0.5);
  EXPECT_DOUBLE_EQ(e.y, 0.5);
}

TEST(RingsGeometry, ProjectsAndWindsForRfc7946) {
  auto to_lonlat = to_wgs84();
  ASSERT_TRUE(to_lonlat);
  // A clockwise square near Durham comes out as a counter-clockwise Polygon.
  const geo::MultiPolygonRings cw{{{{427000, 542000}, {427000, 543000}, {428000, 543000},
                                    {428000, 542000}, {427000, 542000}}}};
  JsonWriter w;
  write_rings_geometry(w, cw, **to_lonlat);
  const auto polygon = nlohmann::json::parse(w.text());
  EXPECT_EQ(polygon["type"], "Polygon");
  const auto& ring = polygon["coordinates"][0];
  ASSERT_EQ(ring.size(), 5u);
  EXPECT_EQ(ring[0], ring[4]);
  double twice = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    twice += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
             ring[i + 1][0].get<double>() * ring[i][1].get<double>();
  }
  EXPECT_GT(twice, 0) << "exterior ring must be counter-clockwise";
  const geo::Point sw = (*to_lonlat)->transform(geo::Point{427000, 542000});
  EXPECT_NEAR(ring[0][0].get<double>(), sw.x, 1e-6);
  EXPECT_NEAR(ring[0][1].get<double>(), sw.y, 1e-6);
  // Two parts make a MultiPolygon.
  geo::MultiPolygonRings two = cw;
  two.push_back({{{430000, 542000}, {431000, 542000}, {431000, 543000}, {430000, 542000}}});
  JsonWriter w2;
  write_rings_geometry(w2, two, **to_lonlat);
  EXPECT_EQ(nlohmann::json::parse(w2.text())["type"], "MultiPolygon");
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
