// bbox selects exactly the points inside the lon/lat box: keep_inside
// against projecting every point, and the grid box it skips projection in
// lying inside the lon/lat box.
#include "hotspot/data/incident_table.hpp"
#include "hotspot/engine/projection.hpp"
#include "hotspot/engine/selection.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace hotspot::engine {
namespace {

// A grid of points over Durham, about 60 m apart, in EPSG:27700.
data::IncidentTable durham_points() {
  data::IncidentTable t;
  for (double x = 420000; x < 435000; x += 59.7) {
    for (double y = 535000; y < 550000; y += 61.3) {
      t.x.push_back(x);
      t.y.push_back(y);
    }
  }
  return t;
}

TEST(BboxExact, KeepInsideMatchesProjectingEveryPoint) {
  const data::IncidentTable table = durham_points();
  auto to_lonlat = to_wgs84();
  ASSERT_TRUE(to_lonlat);
  std::mt19937 random(7);
  std::uniform_real_distribution<double> lon(-1.66, -1.52), lat(54.72, 54.84);
  for (int trial = 0; trial < 5; ++trial) {
    const double a = lon(random), b = lon(random), c = lat(random), d = lat(random);
    const LonLatBox box{std::min(a, b), std::min(c, d), std::max(a, b), std::max(c, d)};
    analysis::Selection selection;
    std::vector<std::uint32_t> expected;
    for (std::uint32_t i = 0; i < table.x.size(); ++i) {
      selection.rows.push_back(i);
      const geo::Point p = (*to_lonlat)->transform({table.x[i], table.y[i]});
      if (p.x >= box.min_lon && p.x <= box.max_lon && p.y >= box.min_lat && p.y <= box.max_lat) {
        expected.push_back(i);
      }
    }
    keep_inside(selection, table, box);
    EXPECT_EQ(selection.rows, expected) << "trial " << trial;
    EXPECT_GT(expected.size(), 0u);
  }
}

TEST(BboxExact, InnerGridBoxLiesInsideTheLonLatBox) {
  const LonLatBox box{-1.62, 54.74, -1.55, 54.80};
  const geo::Box inner = bbox_inside_bng(box);
  ASSERT_FALSE(inner.empty());
  const geo::Box outer = *bbox_to_bng(box);
  // Inside the enclosing box, and not much smaller than it.
  EXPECT_GT(inner.min_x, outer.min_x);
  EXPECT_LT(inner.max_x, outer.max_x);
  EXPECT_GT((inner.max_x - inner.min_x) * (inner.max_y - inner.min_y),
            0.95 * (outer.max_x - outer.min_x) * (outer.max_y - outer.min_y));
  auto to_lonlat = to_wgs84();
  ASSERT_TRUE(to_lonlat);
  for (int i = 0; i <= 200; ++i) {
    const double t = i / 200.0;
    for (geo::Point p : {geo::Point{inner.min_x + t * (inner.max_x - inner.min_x), inner.min_y},
                         geo::Point{inner.min_x + t * (inner.max_x - inner.min_x), inner.max_y},
                         geo::Point{inner.min_x, inner.min_y + t * (inner.max_y - inner.min_y)},
                         geo::Point{inner.max_x, inner.min_y + t * (inner.max_y - inner.min_y)}}) {
      const geo::Point q = (*to_lonlat)->transform(p);
      EXPECT_TRUE(q.x > box.min_lon && q.x < box.max_lon && q.y > box.min_lat && q.y < box.max_lat)
          << q.x << "," << q.y;
    }
  }
}

}  // namespace
}  // namespace hotspot::engine
