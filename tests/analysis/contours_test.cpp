// Contour bands of a radially symmetric surface: each band should be the
// ring between two circles.

#include "hotspot/analysis/contours.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace hotspot::analysis {
namespace {

double ring_area(const geo::Ring& ring) { return std::abs(geo::signed_area(ring)); }

double polygons_area(const geo::MultiPolygonRings& parts) {
  double a = 0;
  for (const auto& polygon : parts) {
    a += ring_area(polygon[0]);
    for (std::size_t h = 1; h < polygon.size(); ++h) a -= ring_area(polygon[h]);
  }
  return a;
}

// A cone: value = 100 - distance / 10 around (5000, 5000), on a 20 m grid.
TEST(Contours, BandsOfAConeAreAnnuli) {
  GridGeometry g{.origin_x = 0, .origin_y = 0, .cell = 20, .nx = 500, .ny = 500};
  std::vector<double> v(g.size());
  for (std::int32_t iy = 0; iy < g.ny; ++iy) {
    for (std::int32_t ix = 0; ix < g.nx; ++ix) {
      const double d = std::hypot(g.centre_x(ix) - 5000, g.centre_y(iy) - 5000);
      v[std::size_t(iy) * 500 + std::size_t(ix)] = std::max(0.0, 100 - d / 10);
    }
  }
  const std::vector<double> levels{50, 80};
  auto bands = contour_bands(v, g, levels);
  ASSERT_TRUE(bands) << bands.error().message;
  ASSERT_EQ(bands->size(), 2u);
  // value >= 80 within 200 m; 50..80 between 200 and 500 m.
  EXPECT_EQ((*bands)[0].min_level, 50);
  EXPECT_EQ((*bands)[0].max_level, 80);
  EXPECT_EQ((*bands)[1].min_level, 80);
  // The top band ends at the grid's highest value, not at GDAL's sentinel.
  EXPECT_EQ((*bands)[1].max_level, *std::max_element(v.begin(), v.end()));
  const double inner = std::numbers::pi * 200 * 200;
  const double ring = std::numbers::pi * (500 * 500 - 200 * 200);
  EXPECT_NEAR(polygons_area((*bands)[1].polygons), inner, inner * 0.02);
  EXPECT_NEAR(polygons_area((*bands)[0].polygons), ring, ring * 0.02);
  // In EPSG:27700 grid coordinates, centred on the cone.
  const auto& outer = (*bands)[1].polygons[0][0];
  double cx = 0;
  for (const auto& p : outer) cx += p.x / static_cast<double>(outer.size());
  EXPECT_NEAR(cx, 5000, 20);
}

TEST(Contours, QuantileLevelsOfPositiveValues) {
  std::vector<double> v{0, 0, 1, 2, 3, 4, 5, 0};
  const std::vector<double> q{0.5, 0.25, 0.5};
  auto levels = quantile_levels(v, q);
  ASSERT_TRUE(levels);
  EXPECT_EQ(*levels, (std::vector<double>{2, 3}));
  std::vector<double> zeros(4, 0.0);
  EXPECT_TRUE(quantile_levels(zeros, q)->empty());
  const std::vector<double> bad{1.0};
  EXPECT_FALSE(quantile_levels(v, bad));
}

TEST(Contours, RejectsBadLevels) {
  GridGeometry g{.origin_x = 0, .origin_y = 0, .cell = 10, .nx = 3, .ny = 3};
  std::vector<double> v(9, 1.0);
  const std::vector<double> descending{2, 1}, none{};
  EXPECT_FALSE(contour_bands(v, g, descending));
  EXPECT_FALSE(contour_bands(v, g, none));
  std::vector<double> wrong(8, 1.0);
  const std::vector<double> one{0.5};
  EXPECT_FALSE(contour_bands(wrong, g, one));
}

}  // namespace
}  // namespace hotspot::analysis
