// Cluster summaries on small hand-made tables.

#include "hotspot/analysis/clusters.hpp"

#include "hotspot/geo/polygon_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

namespace hotspot::analysis {
namespace {

struct Row {
  double x, y;
  data::Category category;
  std::int32_t ward;
  std::uint16_t minute;      // local minute of day
  std::int32_t day;          // local day
  std::string id;
};

data::IncidentTable make_table(const std::vector<Row>& rows) {
  data::IncidentTable t;
  for (const Row& r : rows) {
    t.x.push_back(r.x);
    t.y.push_back(r.y);
    t.instant.push_back(std::int64_t{r.day} * 86400 + r.minute * 60);
    t.local_day.push_back(r.day);
    t.local_minute.push_back(r.minute);
    t.precision.push_back(data::TimePrecision::minute);
    t.category.push_back(r.category);
    t.category_label.push_back(0);
    t.ward.push_back(r.ward);
    t.town_centre.push_back(data::kNoArea);
    t.town_centre_distance.push_back(0);
    t.source.push_back(0);
    t.id_chars += r.id;
    t.id_offset.push_back(static_cast<std::uint32_t>(t.id_chars.size()));
  }
  t.category_labels = {"x"};
  return t;
}

// Two groups and a stray point (eps 60, min_points 3):
//
//   y=300  .                                      (stray, noise)
//   y=100  a---b         e f
//          |   |  (square 100 x 100 with a centre point)
//   y=0    c---d   + centre (50, 50)      g (near e, f)
std::vector<Row> sample_rows() {
  std::vector<Row> rows;
  const int day = 19720;  // 2023-12-29, a Friday
  auto add = [&](double x, double y, data::Category c, std::int32_t ward, int hour, int d) {
    rows.push_back({x, y, c, ward, static_cast<std::uint16_t>(hour * 60 + 5), day + d,
                    "id-" + std::to_string(rows.size())});
  };
  using data::Category;
  // Square: corners 50 from the centre point in x and y (70.7 apart diagonally).
  for (double x : {0.0, 50.0, 100.0}) {
    for (double y : {0.0, 50.0, 100.0}) add(x, y, Category::violence, 3, 23, 0);
  }
  rows[0].category = Category::asb;
  rows[1].ward = 5;
  rows[2].minute = 60 * 22;
  add(1000, 1000, Category::public_order, 7, 1, 1);
  add(1040, 1000, Category::public_order, 7, 1, 1);
  add(1020, 1030, Category::criminal_damage, 7, 2, 1);
  add(-500, 300, Category::other, data::kNoArea, 12, 3);
  return rows;
}

TEST(Clusters, SummariesMatchTheMembers) {
  const data::IncidentTable table = make_table(sample_rows());
  std::vector<std::uint32_t> rows(table.size());
  std::iota(rows.begin(), rows.end(), 0u);
  auto labels = dbscan(table.x, table.y, {.eps = 60, .min_points = 3});
  ASSERT_TRUE(labels);
  data::BoundaryLayer none;
  auto r = summarise_clusters(table, rows, *labels, none);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->clusters.size(), 2u);
  EXPECT_EQ(r->noise, 1u);
  EXPECT_EQ(r->selection_size, 13u);

  const ClusterSummary& square = r->clusters[0];
  EXPECT_EQ(square.members, 9u);
  EXPECT_EQ(square.by_category[std::size_t(data::Category::violence)], 8u);
  EXPECT_EQ(square.by_category[std::size_t(data::Category::asb)], 1u);
  EXPECT_NEAR(square.area_m2, 10000, 1e-6);
  EXPECT_NEAR(square.density_per_km2, 9 / 0.01, 1e-6);
  EXPECT_NEAR(square.centroid.x, 50, 1e-9);
  EXPECT_NEAR(square.centroid.y, 50, 1e-9);
  EXPECT_EQ(square.wards, (std::vector<std::int32_t>{3, 5}));
  EXPECT_EQ(square.busiest_hour, 23);
  EXPECT_EQ(square.busiest_weekday, 4);  // Friday
  EXPECT_NEAR(square.share, 9.0 / 13, 1e-12);
  EXPECT_TRUE(std::isinf(square.town_centre_distance_m));
  ASSERT_EQ(square.hull.size(), 1u);
  EXPECT_EQ(square.hull[0][0].size(), 5u);  // closed square ring

  const ClusterSummary& triangle = r->clusters[1];
  EXPECT_EQ(triangle.members, 3u);
  EXPECT_NEAR(triangle.area_m2, 0.5 * 40 * 30, 1e-6);
  EXPECT_EQ(triangle.busiest_hour, 1);
  EXPECT_EQ(triangle.busiest_weekday, 5);
  EXPECT_EQ(triangle.id.size(), 16u);
  EXPECT_NE(triangle.id, square.id);
}

TEST(Clusters, IdDoesNotDependOnRowOrder) {
  std::vector<Row> rows = sample_rows();
  const data::IncidentTable a = make_table(rows);
  std::reverse(rows.begin(), rows.end());
  const data::IncidentTable b = make_table(rows);
  auto summarise = [](const data::IncidentTable& t) {
    std::vector<std::uint32_t> all(t.size());
    std::iota(all.begin(), all.end(), 0u);
    auto labels = dbscan(t.x, t.y, {.eps = 60, .min_points = 3});
    data::BoundaryLayer none;
    return *summarise_clusters(t, all, *labels, none);
  };
  const ClusterSummaries sa = summarise(a), sb = summarise(b);
  ASSERT_EQ(sa.clusters.size(), sb.clusters.size());
  for (std::size_t i = 0; i < sa.clusters.size(); ++i) EXPECT_EQ(sa.clusters[i].id, sb.clusters[i].id);
}

TEST(Clusters, NearestTownCentreFromTheCentroid) {
  const data::IncidentTable table = make_table(sample_rows());
  std::vector<std::uint32_t> rows(table.size());
  std::iota(rows.begin(), rows.end(), 0u);
  auto labels = dbscan(table.x, table.y, {.eps = 60, .min_points = 3});
  data::BoundaryLayer centres;
  centres.geometries.push_back(geo::from_wkt("POLYGON((200 0, 300 0, 300 100, 200 100, 200 0))"));
  centres.geometries.push_back(geo::from_wkt("POLYGON((1000 1100, 1100 1100, 1100 1200, 1000 1200, 1000 1100))"));
  centres.ids = {"east", "north"};
  centres.index = std::make_unique<geo::PolygonIndex>(std::vector<const GEOSGeom_t*>{
      centres.geometries[0].get(), centres.geometries[1].get()});
  auto r = summarise_clusters(table, rows, *labels, centres);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->clusters[0].nearest_town_centre, 0);
  EXPECT_NEAR(r->clusters[0].town_centre_distance_m, 150, 1e-9);  // centroid (50, 50)
  EXPECT_EQ(r->clusters[1].nearest_town_centre, 1);
  EXPECT_NEAR(r->clusters[1].town_centre_distance_m, 90, 1e-9);   // centroid (1020, 1010)
}

TEST(Clusters, ConcaveHullAndCollinearClusters) {
  std::vector<Row> rows;
  for (int i = 0; i < 5; ++i) rows.push_back({i * 10.0, 0, data::Category::asb, 1, 0, 19720, "l" + std::to_string(i)});
  const data::IncidentTable table = make_table(rows);
  std::vector<std::uint32_t> all{0, 1, 2, 3, 4};
  auto labels = dbscan(table.x, table.y, {.eps = 15, .min_points = 2});
  data::BoundaryLayer none;
  auto r = summarise_clusters(table, all, *labels, none, {.concave = true, .concave_ratio = 0.5});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->clusters.size(), 1u);
  EXPECT_TRUE(r->clusters[0].hull.empty());  // a line has no area
  EXPECT_EQ(r->clusters[0].area_m2, 0);
  EXPECT_EQ(r->clusters[0].density_per_km2, 0);
  EXPECT_FALSE(summarise_clusters(table, all, *labels, none, {.concave_ratio = 2}));
  std::vector<std::uint32_t> short_rows{0, 1};
  EXPECT_FALSE(summarise_clusters(table, short_rows, *labels, none));
}

}  // namespace
}  // namespace hotspot::analysis

namespace hotspot::analysis {
namespace {

// Snap points: members counted by distinct coordinates (eps 10, min_points 3).
//   (0,0) x4            one map point: 4 members, 1 location
//   (500,0) (505,0) x2, (500,5)   4 members, 3 locations
TEST(Clusters, DistinctLocationsCountStackedMembersOnce) {
  std::vector<Row> rows;
  const auto add = [&](double x, double y) {
    rows.push_back({x, y, data::Category::violence, 1, 60, 19720, "s" + std::to_string(rows.size())});
  };
  for (int k = 0; k < 4; ++k) add(0, 0);
  add(500, 0);
  add(505, 0);
  add(505, 0);
  add(500, 5);
  const data::IncidentTable table = make_table(rows);
  std::vector<std::uint32_t> all(table.size());
  std::iota(all.begin(), all.end(), 0u);
  auto labels = dbscan(table.x, table.y, {.eps = 10, .min_points = 3});
  ASSERT_TRUE(labels);
  data::BoundaryLayer none;
  auto r = summarise_clusters(table, all, *labels, none);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->clusters.size(), 2u);
  for (const ClusterSummary& c : r->clusters) {
    EXPECT_EQ(c.members, 4u);
    EXPECT_EQ(c.distinct_locations, c.centroid.x < 100 ? 1u : 3u);
  }
}

}  // namespace
}  // namespace hotspot::analysis
