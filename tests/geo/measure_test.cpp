#include "hotspot/geo/measure.hpp"

#include <gtest/gtest.h>

namespace hotspot::geo {
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
  const geo::Point c = geo::area_centroid(square, box);
  const double expected = (0.5 - 0.0625 * 0.625) / 0.9375;
  EXPECT_NEAR(c.x, expected, 1e-12);
  EXPECT_NEAR(c.y, expected, 1e-12);
  // Winding does not matter, nor whether the ring is closed.
  const geo::MultiPolygonRings clockwise{{{{0, 0}, {0, 2}, {4, 2}, {4, 0}}}};
  const geo::Point d = geo::area_centroid(clockwise, box);
  EXPECT_NEAR(d.x, 2, 1e-12);
  EXPECT_NEAR(d.y, 1, 1e-12);
  // No area: the centre of the fallback box.
  const geo::Point e = geo::area_centroid({}, box);
  EXPECT_DOUBLE_EQ(e.x, 0.5);
  EXPECT_DOUBLE_EQ(e.y, 0.5);
}

// The same square: its area is the shell's less the hole's, whatever the winding.
TEST(PolygonsArea, HolesSubtract) {
  const geo::MultiPolygonRings square{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}},
                                       {{0.5, 0.5}, {0.5, 0.75}, {0.75, 0.75}, {0.75, 0.5}, {0.5, 0.5}}}};
  EXPECT_NEAR(geo::polygons_area(square), 1 - 0.0625, 1e-12);
  const geo::MultiPolygonRings two{{{{0, 0}, {0, 2}, {4, 2}, {4, 0}, {0, 0}}},
                                   {{{10, 0}, {11, 0}, {11, 1}, {10, 1}, {10, 0}}}};
  EXPECT_NEAR(geo::polygons_area(two), 9, 1e-12);
  EXPECT_EQ(geo::polygons_area({}), 0);
}

}  // namespace
}  // namespace hotspot::geo
