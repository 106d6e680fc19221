#include "hotspot/geo/crs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace hotspot::geo {
namespace {

// Metres between two lon/lat points, small-distance approximation on a
// sphere; good to far better than a millimetre at these separations.
double metres_apart(Point a, Point b) {
  constexpr double kRadius = 6371000.0;
  constexpr double kDeg = M_PI / 180.0;
  const double dx = (a.x - b.x) * kDeg * std::cos(a.y * kDeg) * kRadius;
  const double dy = (a.y - b.y) * kDeg * kRadius;
  return std::hypot(dx, dy);
}

TEST(Transformer, DurhamMarketPlaceMatchesPublishedGridReference) {
  // cs2cs EPSG:4326 EPSG:27700 on "54.7768 -1.5757" prints 427391.003 542514.270.
  auto t = Transformer::create(kWgs84, kWorkingCrs);
  ASSERT_TRUE(t) << t.error().message;
  const Point p = t->transform(Point{-1.5757, 54.7768});
  EXPECT_NEAR(p.x, 427391.00, 0.05);
  EXPECT_NEAR(p.y, 542514.27, 0.05);
}

TEST(Transformer, RoundTripIsWithinOneCentimetre) {
  auto forward = Transformer::create(kWgs84, kWorkingCrs);
  auto back = Transformer::create(kWorkingCrs, kWgs84);
  ASSERT_TRUE(forward && back);
  const std::vector<Point> places = {
      {-1.5757, 54.7768},  // Durham
      {-1.9239, 54.5434},  // Barnard Castle
      {-1.3357, 54.7600},  // Peterlee
      {-0.1276, 51.5072},  // London
      {-3.1883, 55.9533},  // Edinburgh
      {-5.7150, 50.0660},  // Land's End
  };
  for (const Point lonlat : places) {
    const Point grid = forward->transform(lonlat);
    ASSERT_TRUE(std::isfinite(grid.x) && std::isfinite(grid.y));
    // Projected coordinates, not degrees: the axis order is easting first.
    EXPECT_GT(grid.x, 1000.0);
    EXPECT_GT(grid.y, 1000.0);
    const Point again = back->transform(grid);
    EXPECT_LT(metres_apart(lonlat, again), 0.01) << lonlat.x << "," << lonlat.y;
  }
}

TEST(Transformer, BatchAgreesWithSinglePointsAndCountsFailures) {
  auto t = Transformer::create(kWgs84, kWorkingCrs);
  ASSERT_TRUE(t);
  std::vector<double> xs = {-1.5757, -1.6775, NAN, -1.8310};
  std::vector<double> ys = {54.7768, 54.6642, 54.0, 54.8532};
  const std::vector<double> x0 = xs, y0 = ys;
  EXPECT_EQ(t->transform(xs, ys), 1u);
  for (std::size_t i : {0u, 1u, 3u}) {
    const Point single = t->transform(Point{x0[i], y0[i]});
    EXPECT_DOUBLE_EQ(xs[i], single.x);
    EXPECT_DOUBLE_EQ(ys[i], single.y);
  }
  EXPECT_TRUE(std::isinf(xs[2]) && std::isinf(ys[2]));
}

TEST(Transformer, FailedPointIsNulloptOrNaN) {
  auto t = Transformer::create(kWgs84, kWorkingCrs);
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->try_transform(Point{NAN, 54.0}));
  EXPECT_TRUE(t->try_transform(Point{-1.5, 54.0}));
  const Point p = t->transform(Point{INFINITY, 54.0});
  EXPECT_TRUE(std::isnan(p.x) && std::isnan(p.y));
}

TEST(Transformer, UnknownCrsIsAnError) {
  auto t = Transformer::create("EPSG:999999", kWorkingCrs);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::projection_failed);
  EXPECT_NE(t.error().message.find("EPSG:999999"), std::string::npos);
  EXPECT_FALSE(Transformer::create(kWgs84, "not a crs"));
}

TEST(Transformer, MovedTransformerStillWorks) {
  auto t = Transformer::create(kWgs84, kWorkingCrs);
  ASSERT_TRUE(t);
  Transformer moved = std::move(t.value());
  EXPECT_NEAR(moved.transform(Point{-1.5757, 54.7768}).x, 427391.0, 0.05);
  EXPECT_EQ(moved.source(), kWgs84);
}

// A lon/lat box over County Durham: its envelope on the grid holds every
// point of the box's edges, projected one by one, and no more than the
// densified outline needs.
TEST(TransformBox, EnvelopeOfTheDensifiedOutline) {
  auto t = Transformer::create(kWgs84, kWorkingCrs);
  ASSERT_TRUE(t);
  const Box lonlat{-2.0, 54.5, -1.3, 54.9};
  const Box grid = transform_box(lonlat, *t, 8);
  ASSERT_FALSE(grid.empty());
  Box reference;
  for (int i = 0; i <= 100; ++i) {
    const double f = i / 100.0;
    for (Point p : {Point{-2.0 + 0.7 * f, 54.5}, Point{-2.0 + 0.7 * f, 54.9},
                    Point{-2.0, 54.5 + 0.4 * f}, Point{-1.3, 54.5 + 0.4 * f}}) {
      reference.expand(t->transform(p));
    }
  }
  // Eight steps per edge come within a metre of a hundred.
  EXPECT_NEAR(grid.min_x, reference.min_x, 1.0);
  EXPECT_NEAR(grid.min_y, reference.min_y, 1.0);
  EXPECT_NEAR(grid.max_x, reference.max_x, 1.0);
  EXPECT_NEAR(grid.max_y, reference.max_y, 1.0);
  EXPECT_TRUE(transform_box(Box{}, *t).empty());
}

}  // namespace
}  // namespace hotspot::geo
