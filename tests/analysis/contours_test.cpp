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

// The work estimates, on a small picture (row 0 at the bottom, as grids run):
//
//   row 3   9 . . . 9
//   row 2   9 . 5 . .      '9' and '5' are values, '.' is 0
//   row 1   . . 5 5 .
//   row 0   9 9 . . 9
//
// Patches are 8-connected groups of cells at or above a level, counted here
// by a flood fill; crossings are neighbour pairs (across, up) on either side
// of it, counted pair by pair.
TEST(Contours, WorkEstimatesMatchAFloodFillAndAPairCount) {
  const char* rows[] = {"99..9", "..55.", "9.5..", "9...9"};  // row 0 first
  GridGeometry g{.origin_x = 0, .origin_y = 0, .cell = 10, .nx = 5, .ny = 4};
  std::vector<double> v(g.size(), 0);
  for (std::size_t iy = 0; iy < 4; ++iy) {
    for (std::size_t ix = 0; ix < 5; ++ix) {
      const char c = rows[iy][ix];
      v[iy * 5 + ix] = c == '.' ? 0 : c - '0';
    }
  }
  const auto brute = [&](double level, std::size_t& patches, std::size_t& crossings) {
    std::vector<int> seen(v.size(), 0);
    patches = crossings = 0;
    for (std::size_t start = 0; start < v.size(); ++start) {
      if (seen[start] || v[start] < level) continue;
      ++patches;
      std::vector<std::size_t> stack{start};
      seen[start] = 1;
      while (!stack.empty()) {
        const std::size_t c = stack.back();
        stack.pop_back();
        const int cx = int(c % 5), cy = int(c / 5);
        for (int dy = -1; dy <= 1; ++dy) {
          for (int dx = -1; dx <= 1; ++dx) {
            const int x = cx + dx, y = cy + dy;
            if (x < 0 || y < 0 || x >= 5 || y >= 4) continue;
            const std::size_t n = std::size_t(y) * 5 + std::size_t(x);
            if (!seen[n] && v[n] >= level) {
              seen[n] = 1;
              stack.push_back(n);
            }
          }
        }
      }
    }
    for (std::size_t iy = 0; iy < 4; ++iy) {
      for (std::size_t ix = 0; ix < 5; ++ix) {
        const bool here = v[iy * 5 + ix] >= level;
        if (ix + 1 < 5) crossings += here != (v[iy * 5 + ix + 1] >= level);
        if (iy + 1 < 4) crossings += here != (v[(iy + 1) * 5 + ix] >= level);
      }
    }
  };
  std::size_t patches_total = 0, crossings_total = 0;
  for (double level : {1.0, 6.0}) {
    std::size_t p = 0, c = 0;
    brute(level, p, c);
    const double one[] = {level};
    EXPECT_EQ(contour_patches(v, g, one), p) << level;
    EXPECT_EQ(contour_crossings(v, g, one), c) << level;
    patches_total += p;
    crossings_total += c;
  }
  const double both[] = {1.0, 6.0};
  EXPECT_EQ(contour_patches(v, g, both), patches_total);
  EXPECT_EQ(contour_crossings(v, g, both), crossings_total);
  // Read off the picture at level 6: the 9s make four patches, the
  // bottom-left pair, the bottom-right one, the left column pair and the
  // top-right one.
  const double six[] = {6.0};
  EXPECT_EQ(contour_patches(v, g, six), 4u);
}

}  // namespace
}  // namespace hotspot::analysis
