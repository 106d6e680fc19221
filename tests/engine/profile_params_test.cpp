// engine::ProfileParams (/api/profile) against plain structs: parsing, the
// combinations it refuses, and run() for the whole selection, one town
// centre and one DBSCAN cluster of the fixture's snapshot, with the
// hour-of-week matrix counted here from the picture.

#include "hotspot/engine/profile.hpp"

#include "snapshot_fixture.hpp"

#include <gtest/gtest.h>

namespace hotspot::engine {
namespace {

using namespace fixture;

// The hour-of-week matrix of the named rows, from the picture's own local
// dates and times (Monday = 0).
analysis::HourOfWeek expected_matrix(const std::vector<std::uint32_t>& rows) {
  analysis::HourOfWeek m;
  for (std::uint32_t row : rows) {
    const Incident& i = kIncidents[row];
    m.counts[std::size_t(data::weekday_from_days(day_of(i)))][std::size_t(i.hour)] += 1;
    m.total += 1;
  }
  return m;
}

TEST(ProfileParams, ParsesTownCentreOrCluster) {
  const auto none = parsed<ProfileParams>({});
  EXPECT_TRUE(none.town_centre.empty());
  EXPECT_EQ(none.town_centre_index, data::kNoArea);
  EXPECT_TRUE(none.cluster.empty());

  const auto tc = parsed<ProfileParams>({{"town_centre", "TC-B"}});
  EXPECT_EQ(tc.town_centre, "TC-B");
  EXPECT_EQ(tc.town_centre_index, TC_B);

  auto cl = parse<ProfileParams>({{"cluster", "0123456789abcdef"}, {"eps", "50"},
                                  {"min_points", "3"}});
  ASSERT_TRUE(cl) << cl.error().message;
  EXPECT_EQ(cl->cluster, "0123456789abcdef");
  EXPECT_EQ(cl->town_centre_index, data::kNoArea);
  EXPECT_DOUBLE_EQ(cl->dbscan.eps, 50);
  EXPECT_EQ(cl->dbscan.min_points, 3u);
}

TEST(ProfileParams, RefusesInvalidCombinationsNamingTheParameter) {
  // Both a town centre and a cluster: the refusal names both.
  const auto both = parse<ProfileParams>({{"town_centre", "TC-A"}, {"cluster", "abc"}});
  EXPECT_TRUE(refuses(both, "town_centre"));
  EXPECT_TRUE(refuses(both, "cluster"));
  expect_refused<ProfileParams>("town_centre", {"TC-Z"});
  expect_refused<ProfileParams>("cluster", {""});
  // eps and min_points mean something only with cluster=.
  expect_refused<ProfileParams>("eps", {"50"});
  expect_refused<ProfileParams>("min_points", {"3"}, {{"town_centre", "TC-A"}});
  expect_refused<ProfileParams>("eps", {"9000"}, {{"cluster", "abc"}});
  expect_refused<ProfileParams>("min_points", {"0"}, {{"cluster", "abc"}});
  EXPECT_TRUE(refuses(parse<ProfileParams>({{"from", "2024-04-01"}, {"to", "2024-03-01"}}),
                      "from"));
}

TEST(ProfileRun, WholeSelection) {
  auto r = parse_and_run<ProfileParams>({});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->selected_before, kIncidents.size());
  EXPECT_EQ(r->selection.rows.size(), kIncidents.size());
  std::vector<std::uint32_t> every = rows_where([](const Incident&) { return true; });
  const analysis::HourOfWeek want = expected_matrix(every);
  EXPECT_EQ(r->profile.hour_of_week.counts, want.counts);
  EXPECT_EQ(r->profile.hour_of_week.total, 16u);
  // March (15 rows) and April (n3).
  ASSERT_EQ(r->profile.monthly.size(), 2u);
  EXPECT_EQ(r->profile.monthly[0].year, 2024);
  EXPECT_EQ(r->profile.monthly[0].month, 3u);
  EXPECT_EQ(r->profile.monthly[0].count, 15u);
  EXPECT_EQ(r->profile.monthly[1].month, 4u);
  EXPECT_EQ(r->profile.monthly[1].count, 1u);
  EXPECT_TRUE(r->profile.excluded.empty());
}

TEST(ProfileRun, TownCentreCountsOnlyItsRows) {
  // TC-A holds a0..a4 and n0: Fri 22, Sat 23, Fri 21, Sat 22, Fri 01, Sun 02.
  auto r = parse_and_run<ProfileParams>({{"town_centre", "TC-A"}});
  ASSERT_TRUE(r) << r.error().message;
  const auto rows = rows_where([](const Incident& i) { return i.centre == TC_A; });
  ASSERT_EQ(rows, rows_of({"a0", "a1", "a2", "a3", "a4", "n0"}));
  EXPECT_EQ(r->selected_before, 16u);
  EXPECT_EQ(r->selection.rows, rows);
  const analysis::HourOfWeek& m = r->profile.hour_of_week;
  EXPECT_EQ(m.counts, expected_matrix(rows).counts);
  EXPECT_EQ(m.total, 6u);
  EXPECT_EQ(m.counts[4][22], 1u);  // a0, Friday 1 March
  EXPECT_EQ(m.counts[4][21], 1u);  // a2
  EXPECT_EQ(m.counts[4][1], 1u);   // a4
  EXPECT_EQ(m.counts[5][23], 1u);  // a1
  EXPECT_EQ(m.counts[5][22], 1u);  // a3
  EXPECT_EQ(m.counts[6][2], 1u);   // n0, Sunday 10 March
  ASSERT_EQ(r->profile.monthly.size(), 1u);
  EXPECT_EQ(r->profile.monthly[0].count, 6u);

  // With a selection first: violence in TC-A is a0 a1 a3 n0.
  auto rv = parse_and_run<ProfileParams>({{"town_centre", "TC-A"}, {"category", "violence"}});
  ASSERT_TRUE(rv) << rv.error().message;
  EXPECT_EQ(rv->selected_before, 9u);  // every violence row
  EXPECT_EQ(rv->selection.rows, rows_of({"a0", "a1", "a3", "n0"}));
  EXPECT_EQ(rv->profile.hour_of_week.total, 4u);

  // TC-B: b0..b3, Tue 12, Wed 13, Thu 14, Sat 23.
  auto b = parse<ProfileParams>({{"town_centre", "TC-B"}});
  ASSERT_TRUE(b);
  auto rb = run(snapshot(), *b);
  ASSERT_TRUE(rb);
  EXPECT_EQ(rb->selection.rows, rows_of({"b0", "b1", "b2", "b3"}));
  EXPECT_EQ(rb->profile.hour_of_week.counts[1][12], 1u);
  EXPECT_EQ(rb->profile.hour_of_week.counts[5][23], 1u);
}

TEST(ProfileRun, ClusterCountsOnlyItsMembers) {
  // The cluster's id from its members alone (no DBSCAN run here).
  const auto members = rows_of({"a0", "a1", "a2", "a3", "a4"});
  const std::string id = analysis::cluster_id(*snapshot().incidents, members);
  auto r = parse_and_run<ProfileParams>({{"cluster", id}, {"eps", "50"}, {"min_points", "3"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->selected_before, 16u);
  EXPECT_EQ(r->selection.rows, members);  // n0 is in TC-A but not in the cluster
  EXPECT_EQ(r->profile.hour_of_week.counts, expected_matrix(members).counts);
  EXPECT_EQ(r->profile.hour_of_week.total, 5u);

  // Cluster C, DBSCAN's third: Wed 20, Thu 20, Sat 21.
  const auto c_members = rows_of({"c0", "c1", "c2"});
  const std::string c_id = analysis::cluster_id(*snapshot().incidents, c_members);
  auto rc = parse_and_run<ProfileParams>({{"cluster", c_id}, {"eps", "50"}, {"min_points", "3"}});
  ASSERT_TRUE(rc) << rc.error().message;
  EXPECT_EQ(rc->selection.rows, c_members);
  EXPECT_EQ(rc->profile.hour_of_week.counts[2][20], 1u);
  EXPECT_EQ(rc->profile.hour_of_week.counts[3][20], 1u);
  EXPECT_EQ(rc->profile.hour_of_week.counts[5][21], 1u);
  EXPECT_EQ(rc->profile.hour_of_week.total, 3u);

  // The same id under other DBSCAN parameters is no cluster: at eps 10 no
  // point has a neighbour.
  auto other = parse<ProfileParams>({{"cluster", id}, {"eps", "10"}, {"min_points", "3"}});
  ASSERT_TRUE(other) << other.error().message;
  auto missing = run(snapshot(), *other);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_NE(missing.error().message.find("'cluster'"), std::string::npos);

  // Nor under a selection that splits it (criminal damage and public order
  // only leave a2 and a4 of it).
  auto split = parse<ProfileParams>({{"cluster", id}, {"eps", "50"}, {"min_points", "2"},
                                     {"category", "criminal_damage,public_order"}});
  ASSERT_TRUE(split) << split.error().message;
  auto gone = run(snapshot(), *split);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace hotspot::engine
