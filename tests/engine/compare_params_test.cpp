// engine::CompareParams (/api/compare) against plain structs: parsing, the
// combinations it refuses, and run() by wards, town centres and DBSCAN
// clusters on the fixture's snapshot, counted from the picture.
//
//   period A: 2024-03-01 .. 2024-03-14     period B: 2024-03-15 .. 2024-03-28
//   A: a0 a1 a2 b0 b1 b2 b3 n0 n1 (9)      B: a3 a4 c0 c1 c2 n2 (6)
//   n3 (2024-04-15) is in neither.

#include "hotspot/engine/compare.hpp"

#include "hotspot/analysis/poisson_test.hpp"

#include "snapshot_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace hotspot::engine {
namespace {

using namespace fixture;

const NameValues kPeriods{{"a_from", "2024-03-01"},
                          {"a_to", "2024-03-14"},
                          {"b_from", "2024-03-15"},
                          {"b_to", "2024-03-28"}};

NameValues periods_and(NameValues more) {
  NameValues all = kPeriods;
  all.insert(all.end(), more.begin(), more.end());
  return all;
}

// A group's counts in period A and in period B.
::testing::AssertionResult counts_are(const analysis::GroupChange& g, std::size_t a,
                                      std::size_t b) {
  if (g.count_a == a && g.count_b == b) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "counts " << g.count_a << " -> " << g.count_b
                                       << ", not " << a << " -> " << b;
}

// A group new in period B: none in A, `b` in B, so no percent change and an
// infinite rate ratio.
::testing::AssertionResult only_in_b(const analysis::GroupChange& g, std::size_t b) {
  if (!counts_are(g, 0, b)) return counts_are(g, 0, b);
  if (g.percent_change) {
    return ::testing::AssertionFailure() << "percent change " << *g.percent_change;
  }
  if (!std::isinf(g.rate_ratio)) {
    return ::testing::AssertionFailure() << "rate ratio " << g.rate_ratio;
  }
  return ::testing::AssertionSuccess();
}

TEST(CompareParams, ParsesPeriodsAndGrouping) {
  auto p = parse<CompareParams>(kPeriods);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->a.from_day, day(2024, 3, 1));
  EXPECT_EQ(p->a.to_day, day(2024, 3, 14));
  EXPECT_EQ(p->b.from_day, day(2024, 3, 15));
  EXPECT_EQ(p->b.to_day, day(2024, 3, 28));
  EXPECT_EQ(p->by, CompareBy::wards);
  EXPECT_FALSE(p->selection.dated);

  auto tc = parse<CompareParams>(periods_and({{"by", "town-centres"}}));
  ASSERT_TRUE(tc) << tc.error().message;
  EXPECT_EQ(tc->by, CompareBy::town_centres);

  auto cl = parse<CompareParams>(periods_and({{"by", "clusters"}, {"eps", "50"}, {"min_points", "3"}}));
  ASSERT_TRUE(cl) << cl.error().message;
  EXPECT_EQ(cl->by, CompareBy::clusters);
  EXPECT_DOUBLE_EQ(cl->dbscan.eps, 50);
  EXPECT_EQ(cl->dbscan.min_points, 3u);
}

TEST(CompareParams, FromAndToAreNotItsParameters) {
  // The periods replace the selection's dates: from/to are unknown names.
  const NameValues pairs = periods_and({{"from", "2024-03-01"}});
  auto q = Query::parse(pairs, CompareParams::names());
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, ErrorCode::unknown_parameter);
  EXPECT_NE(q.error().message.find("from"), std::string::npos);
}

TEST(CompareParams, RefusesInvalidCombinationsNamingTheParameter) {
  for (const char* missing : {"a_from", "a_to", "b_from", "b_to"}) {
    NameValues pairs;
    for (const auto& kv : kPeriods) {
      if (kv.first != missing) pairs.push_back(kv);
    }
    EXPECT_TRUE(refuses(parse<CompareParams>(pairs), missing)) << missing;
  }
  EXPECT_TRUE(refuses(parse<CompareParams>({{"a_from", "2024-03-14"},
                                            {"a_to", "2024-03-01"},
                                            {"b_from", "2024-03-15"},
                                            {"b_to", "2024-03-28"}}),
                      "a_from"));
  EXPECT_TRUE(refuses(parse<CompareParams>({{"a_from", "2024-03-01"},
                                            {"a_to", "2024-03-14"},
                                            {"b_from", "2024-03-28"},
                                            {"b_to", "2024-03-15"}}),
                      "b_from"));
  // Overlapping periods (one shared day), either way round.
  for (const NameValues& overlap :
       {NameValues{{"a_from", "2024-03-01"}, {"a_to", "2024-03-15"},
                   {"b_from", "2024-03-15"}, {"b_to", "2024-03-28"}},
        NameValues{{"a_from", "2024-03-15"}, {"a_to", "2024-03-28"},
                   {"b_from", "2024-03-01"}, {"b_to", "2024-03-15"}}}) {
    auto p = parse<CompareParams>(overlap);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, ErrorCode::invalid_parameter);
    EXPECT_NE(p.error().message.find("overlap"), std::string::npos) << p.error().message;
  }
  // A period with none of the selected weekdays (2024-03-04 is a Monday).
  auto no_day = parse<CompareParams>({{"a_from", "2024-03-04"}, {"a_to", "2024-03-04"},
                                      {"b_from", "2024-03-08"}, {"b_to", "2024-03-09"},
                                      {"days", "fri,sat"}});
  ASSERT_FALSE(no_day);
  EXPECT_NE(no_day.error().message.find("a_from"), std::string::npos) << no_day.error().message;
  EXPECT_TRUE(refuses(parse<CompareParams>(periods_and({{"eps", "50"}})), "eps"));
  EXPECT_TRUE(refuses(parse<CompareParams>(periods_and({{"by", "wards"}, {"min_points", "3"}})),
                      "min_points"));
  EXPECT_TRUE(refuses(parse<CompareParams>(periods_and({{"by", "town-centres"}, {"eps", "50"}})),
                      "eps"));
  EXPECT_TRUE(refuses(parse<CompareParams>(periods_and({{"by", "clusters"}, {"eps", "0"}})), "eps"));
  EXPECT_TRUE(refuses(parse<CompareParams>(periods_and({{"by", "lsoas"}})), "by"));
  EXPECT_TRUE(refuses(parse<CompareParams>({{"a_from", "2024-02-30"},
                                            {"a_to", "2024-03-14"},
                                            {"b_from", "2024-03-15"},
                                            {"b_to", "2024-03-28"}}),
                      "a_from"));
}

TEST(CompareRun, ByWardsCountsEachPeriodFromThePicture) {
  auto p = parse<CompareParams>(kPeriods);
  ASSERT_TRUE(p) << p.error().message;
  auto r = run(snapshot(), *p);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->clusters.has_value());
  const analysis::Comparison& c = r->comparison;
  EXPECT_EQ(c.exposure_a, 14);
  EXPECT_EQ(c.exposure_b, 14);
  // Brute force over the picture's own ward of each incident.
  const auto in = [](const Incident& i, std::int32_t from, std::int32_t to) {
    return day_of(i) >= from && day_of(i) <= to;
  };
  ASSERT_EQ(c.groups.size(), 4u);
  for (std::int32_t w = 0; w < 4; ++w) {
    const auto a = rows_where([&](const Incident& i) { return i.ward == w && in(i, p->a.from_day, p->a.to_day); });
    const auto b = rows_where([&](const Incident& i) { return i.ward == w && in(i, p->b.from_day, p->b.to_day); });
    EXPECT_EQ(c.groups[w].group, w);
    EXPECT_EQ(c.groups[w].count_a, a.size()) << w;
    EXPECT_EQ(c.groups[w].count_b, b.size()) << w;
    EXPECT_EQ(c.groups[w].change, std::int64_t(b.size()) - std::int64_t(a.size())) << w;
    EXPECT_NEAR(c.groups[w].p_value,
                analysis::poisson_rate_test(b.size(), a.size(), 14, 14).p_value, 1e-12)
        << w;
  }
  // The same numbers written out: W0 4 -> 2, W1 1 -> 0, W2 4 -> 0, W3 0 -> 4.
  EXPECT_TRUE(counts_are(c.groups[W0], 4, 2));
  EXPECT_TRUE(counts_are(c.groups[W1], 1, 0));
  EXPECT_TRUE(counts_are(c.groups[W2], 4, 0));
  EXPECT_TRUE(only_in_b(c.groups[W3], 4));
  EXPECT_DOUBLE_EQ(*c.groups[W2].percent_change, -100);
  // Equal exposures: binom.test(4, 4, 0.5) = 0.125, binom.test(2, 6, 0.5) = 0.6875.
  EXPECT_NEAR(c.groups[W3].p_value, 0.125, 1e-12);
  EXPECT_NEAR(c.groups[W2].p_value, 0.125, 1e-12);
  EXPECT_NEAR(c.groups[W0].p_value, 0.6875, 1e-12);
  EXPECT_EQ(c.total.count_a, 9u);
  EXPECT_EQ(c.total.count_b, 6u);
  EXPECT_EQ(c.ungrouped_a, 0u);
  EXPECT_EQ(c.ungrouped_b, 0u);
  EXPECT_EQ(c.selection_a.rows, rows_of({"a0", "a1", "a2", "b0", "b1", "b2", "b3", "n0", "n1"}));
  EXPECT_EQ(c.selection_b.rows, rows_of({"a3", "a4", "c0", "c1", "c2", "n2"}));
}

TEST(CompareRun, ByTownCentresLeavesTheRestUngrouped) {
  auto r = parse_and_run<CompareParams>(periods_and({{"by", "town-centres"}}));
  ASSERT_TRUE(r) << r.error().message;
  const analysis::Comparison& c = r->comparison;
  ASSERT_EQ(c.groups.size(), 2u);
  // TC-A: a0 a1 a2 n0 in A, a3 a4 in B; TC-B: b0..b3 in A only.
  EXPECT_TRUE(counts_are(c.groups[TC_A], 4, 2));
  EXPECT_TRUE(counts_are(c.groups[TC_B], 4, 0));
  EXPECT_EQ(c.ungrouped_a, 1u);  // n1
  EXPECT_EQ(c.ungrouped_b, 4u);  // c0 c1 c2 n2
}

TEST(CompareRun, ByClustersPutsAClusterOfOnlyPeriodBAtCountAZero) {
  auto r = parse_and_run<CompareParams>(
      periods_and({{"by", "clusters"}, {"eps", "50"}, {"min_points", "3"}}));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->clusters.has_value());
  const ClusterRun& run = *r->clusters;
  const analysis::Comparison& c = r->comparison;

  // DBSCAN ran over both periods' rows together (every row but n3).
  const std::vector<std::uint32_t> both =
      rows_where([](const Incident& i) { return std::string(i.name) != "n3"; });
  ASSERT_EQ(run.labels.labels.size(), both.size());
  EXPECT_EQ(run.labels.cluster_count, 3);
  ASSERT_EQ(c.groups.size(), 3u);
  const auto label_of = [&](const char* name) {
    const auto at = std::find(both.begin(), both.end(), row_of(name));
    return run.labels.labels[std::size_t(at - both.begin())];
  };
  const std::int32_t a = label_of("a0"), b = label_of("b0"), cc = label_of("c0");
  ASSERT_NE(a, analysis::kNoise);
  ASSERT_NE(b, analysis::kNoise);
  ASSERT_NE(cc, analysis::kNoise);
  // Cluster A spans both periods, B only A, C only B.
  EXPECT_TRUE(counts_are(c.groups[a], 3, 2));
  EXPECT_TRUE(counts_are(c.groups[b], 4, 0));
  EXPECT_TRUE(only_in_b(c.groups[cc], 3));
  EXPECT_EQ(c.groups[cc].change, 3);
  // Noise is ungrouped: n0 n1 in A, n2 in B.
  EXPECT_EQ(c.ungrouped_a, 2u);
  EXPECT_EQ(c.ungrouped_b, 1u);
  EXPECT_EQ(c.total.count_a, 9u);
  EXPECT_EQ(c.total.count_b, 6u);
  // The summaries carry the ids of the same members.
  for (const auto& s : run.summaries.clusters) {
    if (s.label == cc) {
      EXPECT_EQ(s.id, analysis::cluster_id(*snapshot().incidents, rows_of({"c0", "c1", "c2"})));
    }
  }
}

TEST(CompareRun, ClustersUnderASelection) {
  // Violence only: A = a0 a1 (period A) + a3 (period B) still clusters at
  // min_points 3; b3 alone is noise; C = c0..c2 (period B).
  auto r = parse_and_run<CompareParams>(periods_and(
      {{"by", "clusters"}, {"eps", "50"}, {"min_points", "3"}, {"category", "violence"}}));
  ASSERT_TRUE(r) << r.error().message;
  const analysis::Comparison& c = r->comparison;
  ASSERT_EQ(c.groups.size(), 2u);
  std::vector<std::pair<std::size_t, std::size_t>> counts;
  for (const auto& g : c.groups) counts.emplace_back(g.count_a, g.count_b);
  std::sort(counts.begin(), counts.end());
  EXPECT_EQ(counts, (std::vector<std::pair<std::size_t, std::size_t>>{{0, 3}, {2, 1}}));
  EXPECT_EQ(c.ungrouped_a, 2u);  // b3, n0
  EXPECT_EQ(c.ungrouped_b, 0u);
}

}  // namespace
}  // namespace hotspot::engine
