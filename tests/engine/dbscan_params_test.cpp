// engine::DbscanParams (/api/hotspots/dbscan) against plain structs: what a
// query parses to, which combinations it refuses, and run() on the
// snapshot of snapshot_fixture.hpp checked against the picture and against
// analysis::dbscan_brute_force.

#include "hotspot/engine/clusters.hpp"

#include "snapshot_fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace hotspot::engine {
namespace {

using namespace fixture;

TEST(DbscanParams, DefaultsWithoutParameters) {
  const auto p = parsed<DbscanParams>({});
  EXPECT_DOUBLE_EQ(p.dbscan.eps, 100);
  EXPECT_EQ(p.dbscan.min_points, 10u);
  EXPECT_FALSE(p.summary.concave);
  EXPECT_EQ(p.selection.filter.categories, analysis::kAllCategories);
  EXPECT_FALSE(p.selection.filter.from_day.has_value());
  EXPECT_EQ(p.selection.filter.scope, analysis::Scope::everywhere);
}

TEST(DbscanParams, ParsesEveryParameterIntoTheStruct) {
  auto p = parse<DbscanParams>({{"eps", "75.5"},
                                {"min_points", "4"},
                                {"hull", "concave"},
                                {"concave_ratio", "0.6"},
                                {"category", "violence,asb"},
                                {"from", "2024-03-01"},
                                {"to", "2024-03-31"},
                                {"ward", "W2,W0"},
                                {"window", "20:00-04:00"},
                                {"days", "fri,sat"}});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_DOUBLE_EQ(p->dbscan.eps, 75.5);
  EXPECT_EQ(p->dbscan.min_points, 4u);
  EXPECT_TRUE(p->summary.concave);
  EXPECT_DOUBLE_EQ(p->summary.concave_ratio, 0.6);
  const analysis::SelectionParams& f = p->selection.filter;
  EXPECT_EQ(f.categories, (1u << unsigned(Category::violence)) | (1u << unsigned(Category::asb)));
  EXPECT_EQ(f.from_day, day(2024, 3, 1));
  EXPECT_EQ(f.to_day, day(2024, 3, 31));
  EXPECT_EQ(f.wards, (std::vector<std::int32_t>{W2, W0}));
  EXPECT_EQ(p->selection.ward_ids, (std::vector<std::string>{"W2", "W0"}));
  ASSERT_TRUE(f.window.has_value());
  EXPECT_EQ(f.window->start_minute, hm(20, 0));
  EXPECT_EQ(f.window->end_minute, hm(4, 0));
  EXPECT_EQ(f.weekdays, (1u << 4) | (1u << 5));
}

TEST(DbscanParams, PresetNteSetsTheNightTimeSelection) {
  auto p = parse<DbscanParams>({{"preset", "nte"}});
  ASSERT_TRUE(p) << p.error().message;
  const analysis::SelectionParams& f = p->selection.filter;
  EXPECT_EQ(p->selection.preset, "nte");
  EXPECT_EQ(f.scope, analysis::Scope::buffer);
  EXPECT_DOUBLE_EQ(f.buffer_m, 500);
  EXPECT_EQ(f.weekdays, (1u << 4) | (1u << 5));
  EXPECT_EQ(f.categories,
            (1u << unsigned(Category::violence)) | (1u << unsigned(Category::criminal_damage)));
  // An explicit parameter overrides the preset's value.
  auto wider = parse<DbscanParams>({{"preset", "nte"}, {"buffer", "800"}});
  ASSERT_TRUE(wider) << wider.error().message;
  EXPECT_DOUBLE_EQ(wider->selection.filter.buffer_m, 800);
}

TEST(DbscanParams, RefusesInvalidCombinationsNamingTheParameter) {
  // A concave ratio without a concave hull, or out of (0, 1].
  expect_refused<DbscanParams>("concave_ratio", {"0.5"});
  expect_refused<DbscanParams>("concave_ratio", {"0.5"}, {{"hull", "convex"}});
  expect_refused<DbscanParams>("concave_ratio", {"1.5"}, {{"hull", "concave"}});
  expect_refused<DbscanParams>("hull", {"star"});
  expect_refused<DbscanParams>("eps", {"0", "5000.5", "ten"});
  expect_refused<DbscanParams>("min_points", {"0", "100001", "2.5"});
  // The selection's own rules, through this endpoint.
  EXPECT_TRUE(refuses(parse<DbscanParams>({{"from", "2024-03-10"}, {"to", "2024-03-01"}}), "from"));
  expect_refused<DbscanParams>("buffer", {"300"});
  expect_refused<DbscanParams>("buffer", {"300"}, {{"scope", "town-centres"}});
  expect_refused<DbscanParams>("buffer", {"5001"}, {{"scope", "buffer"}});
  const std::pair<const char*, const char*> unusable[] = {
      {"ward", "W9"}, {"window", "20:00-20:00"}, {"days", "fri,someday"},
      {"category", "arson"}, {"preset", "day"}};
  for (const auto& [parameter, bad] : unusable) expect_refused<DbscanParams>(parameter, {bad});
  // scope=buffer without a buffer (and no preset to give one).
  auto no_buffer = parse<DbscanParams>({{"scope", "buffer"}});
  ASSERT_FALSE(no_buffer);
  EXPECT_EQ(no_buffer.error().code, ErrorCode::invalid_parameter);
  EXPECT_NE(no_buffer.error().message.find("buffer"), std::string::npos);
}

TEST(DbscanParams, ValidateRefusesWhatParseWouldNot) {
  // A struct built in code goes through the same rules.
  DbscanParams p;
  EXPECT_FALSE(p.validate());
  p.dbscan.eps = -1;
  ASSERT_TRUE(p.validate());
  EXPECT_NE(p.validate()->message.find("'eps'"), std::string::npos);
  p.dbscan.eps = 50;
  p.summary.concave_ratio = -0.1;
  ASSERT_TRUE(p.validate());
  EXPECT_NE(p.validate()->message.find("'concave_ratio'"), std::string::npos);
}

// The table rows of cluster `label` in a run over `rows`.
std::set<std::uint32_t> members(const ClusterRun& run, const std::vector<std::uint32_t>& rows,
                                std::int32_t label) {
  const auto m = cluster_members(run, rows, label);
  return {m.begin(), m.end()};
}

std::set<std::uint32_t> as_set(const std::vector<std::uint32_t>& rows) {
  return {rows.begin(), rows.end()};
}

TEST(DbscanRun, FindsThePicturesThreeClusters) {
  auto r = parse_and_run<DbscanParams>({{"eps", "50"}, {"min_points", "3"}});
  ASSERT_TRUE(r) << r.error().message;
  const std::vector<std::uint32_t>& rows = r->selection.rows;
  ASSERT_EQ(rows.size(), kIncidents.size());

  EXPECT_EQ(r->run.labels.cluster_count, 3);
  EXPECT_EQ(r->run.labels.noise_count, 4u);
  const auto& clusters = r->run.summaries.clusters;
  ASSERT_EQ(clusters.size(), 3u);
  // Largest first: A (5), B (4), C (3).
  EXPECT_EQ(clusters[0].members, 5u);
  EXPECT_EQ(clusters[1].members, 4u);
  EXPECT_EQ(clusters[2].members, 3u);
  EXPECT_EQ(members(r->run, rows, clusters[0].label), as_set(rows_of({"a0", "a1", "a2", "a3", "a4"})));
  EXPECT_EQ(members(r->run, rows, clusters[1].label), as_set(rows_of({"b0", "b1", "b2", "b3"})));
  EXPECT_EQ(members(r->run, rows, clusters[2].label), as_set(rows_of({"c0", "c1", "c2"})));
  EXPECT_EQ(r->run.summaries.noise, 4u);
  for (const char* n : {"n0", "n1", "n2", "n3"}) {
    EXPECT_EQ(r->run.labels.labels[row_of(n)], analysis::kNoise) << n;
  }

  // Cluster A: three violence, one criminal damage, one public order; in
  // TC-A and W0; centroid the mean of a0..a4 = a0.
  const analysis::ClusterSummary& a = clusters[0];
  EXPECT_EQ(a.by_category[std::size_t(Category::violence)], 3u);
  EXPECT_EQ(a.by_category[std::size_t(Category::criminal_damage)], 1u);
  EXPECT_EQ(a.by_category[std::size_t(Category::public_order)], 1u);
  EXPECT_EQ(a.wards, (std::vector<std::int32_t>{W0}));
  EXPECT_EQ(a.nearest_town_centre, TC_A);
  EXPECT_NEAR(a.centroid.x, kX0 + 300, 1e-6);
  EXPECT_NEAR(a.centroid.y, kY0 + 300, 1e-6);
  EXPECT_NEAR(a.share, 5.0 / 16, 1e-12);
  // The stable id is the hash of the members, whatever DBSCAN called them.
  EXPECT_EQ(a.id, analysis::cluster_id(*snapshot().incidents, rows_of({"a0", "a1", "a2", "a3", "a4"})));
  // Cluster C's hull is the triangle c0 c1 c2: base 20 m, height 20 m.
  EXPECT_NEAR(clusters[2].area_m2, 200, 1e-6);
  EXPECT_EQ(clusters[2].wards, (std::vector<std::int32_t>{W3}));
}

TEST(DbscanRun, AgreesWithTheBruteForceDefinition) {
  const data::IncidentTable& t = *snapshot().incidents;
  for (double eps : {15.0, 25.0, 35.0, 50.0, 120.0, 1200.0}) {
    for (std::uint32_t min_points : {1u, 2u, 3u, 4u, 5u, 6u}) {
      DbscanParams p;
      p.dbscan.eps = eps;
      p.dbscan.min_points = min_points;
      auto r = run(snapshot(), p);
      ASSERT_TRUE(r) << r.error().message;
      std::vector<double> xs, ys;
      for (std::uint32_t row : r->selection.rows) {
        xs.push_back(t.x[row]);
        ys.push_back(t.y[row]);
      }
      const analysis::DbscanResult want = analysis::dbscan_brute_force(xs, ys, eps, min_points);
      EXPECT_EQ(r->run.labels.cluster_count, want.cluster_count) << eps << " " << min_points;
      EXPECT_EQ(r->run.labels.noise_count, want.noise_count) << eps << " " << min_points;
      EXPECT_EQ(r->run.labels.core, want.core) << eps << " " << min_points;
      EXPECT_EQ(r->run.summaries.clusters.size(), static_cast<std::size_t>(want.cluster_count));
    }
  }
}

TEST(DbscanRun, ClustersOnlyTheSelectedRows) {
  // Violence only: a0 a1 a3 stay a cluster (each within 40 m of the others),
  // b3 is alone, c0..c2 stay a cluster; n0 and n3 are noise.
  auto r = parse_and_run<DbscanParams>(
      {{"eps", "50"}, {"min_points", "3"}, {"category", "violence"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->selection.rows,
            rows_where([](const Incident& i) { return i.category == Category::violence; }));
  ASSERT_EQ(r->run.summaries.clusters.size(), 2u);
  EXPECT_EQ(members(r->run, r->selection.rows, r->run.summaries.clusters[0].label),
            as_set(rows_of({"a0", "a1", "a3"})));
  EXPECT_EQ(members(r->run, r->selection.rows, r->run.summaries.clusters[1].label),
            as_set(rows_of({"c0", "c1", "c2"})));
  EXPECT_EQ(r->run.summaries.noise, 3u);  // b3, n0, n3

  // Ward W2 only: b0..b3 and nothing else.
  auto rw = parse_and_run<DbscanParams>({{"eps", "50"}, {"min_points", "3"}, {"ward", "W2"}});
  ASSERT_TRUE(rw) << rw.error().message;
  EXPECT_EQ(rw->selection.rows, rows_of({"b0", "b1", "b2", "b3"}));
  ASSERT_EQ(rw->run.summaries.clusters.size(), 1u);
  EXPECT_EQ(rw->run.summaries.noise, 0u);
}

TEST(DbscanRun, NothingSelectedIsNoClusters) {
  auto r = parse_and_run<DbscanParams>({{"from", "2023-01-01"}, {"to", "2023-12-31"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->selection.rows.empty());
  EXPECT_EQ(r->run.labels.cluster_count, 0);
  EXPECT_TRUE(r->run.summaries.clusters.empty());
}

// Every member of A, B and C is on its own coordinates, so min_locations
// works like a minimum size here: 4 keeps A (5 map points) and B (4), drops C (3).
TEST(DbscanRun, MinLocationsDropsClustersOnFewerMapPoints) {
  auto all = parse_and_run<DbscanParams>({{"eps", "50"}, {"min_points", "3"}});
  ASSERT_TRUE(all) << all.error().message;
  for (const auto& c : all->run.summaries.clusters) EXPECT_EQ(c.distinct_locations, c.members);
  auto r = parse_and_run<DbscanParams>({{"eps", "50"}, {"min_points", "3"}, {"min_locations", "4"}});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->run.summaries.clusters.size(), 2u);
  EXPECT_EQ(r->run.summaries.clusters[0].members, 5u);
  EXPECT_EQ(r->run.summaries.clusters[1].members, 4u);
  expect_refused<DbscanParams>("min_locations", {"0", "-1", "2.5", "x", "100001"});
  EXPECT_EQ(parsed<DbscanParams>({{"min_locations", "4"}}).canonical().back(),
            (std::pair<std::string, std::string>{"min_locations", "4"}));
}

}  // namespace
}  // namespace hotspot::engine
