#include "hotspot/analysis/compare.hpp"

#include "table_fixture.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace hotspot::analysis {
namespace {

using table_fixture::add_row;
using table_fixture::day;
using table_fixture::hm;
using table_fixture::Row;

TEST(Compare, ExposureCountsSelectedWeekdays) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    const Period p{day(2024, 1, 1) + static_cast<std::int32_t>(rng() % 400),
                   0};
    const Period q{p.from_day, p.from_day + static_cast<std::int32_t>(rng() % 60)};
    const auto mask = static_cast<std::uint8_t>(1 + rng() % 127);
    int want = 0;
    for (std::int32_t d = q.from_day; d <= q.to_day; ++d) want += (mask >> data::weekday_from_days(d)) & 1;
    EXPECT_EQ(exposure_days(q, mask), want);
  }
  EXPECT_EQ(exposure_days({day(2024, 1, 1), day(2024, 12, 31)}, kAllWeekdays), 366);
  // Fridays and Saturdays over two whole weeks.
  EXPECT_EQ(exposure_days({day(2024, 5, 6), day(2024, 5, 19)}, (1u << 4) | (1u << 5)), 4);
}

TEST(Compare, MakeChangeFillsEveryField) {
  const GroupChange g = make_change(4, 10, 20, 30, 30);
  EXPECT_EQ(g.group, 4);
  EXPECT_EQ(g.change, 10);
  ASSERT_TRUE(g.percent_change.has_value());
  EXPECT_DOUBLE_EQ(*g.percent_change, 100.0);
  EXPECT_DOUBLE_EQ(g.rate_ratio, 2.0);
  // binom.test(10, 30, 0.5) = 0.09874 (R), checked by brute force in poisson_test.cpp.
  EXPECT_NEAR(g.p_value, 0.09874, 5e-6);
  const GroupChange fresh = make_change(0, 0, 5, 10, 10);
  EXPECT_FALSE(fresh.percent_change.has_value());
  EXPECT_TRUE(std::isinf(fresh.rate_ratio));
  const GroupChange fall = make_change(0, 20, 5, 10, 10);
  EXPECT_DOUBLE_EQ(*fall.percent_change, -75.0);
  EXPECT_EQ(fall.change, -15);
}

TEST(Compare, RowsPerGroupMatchBruteForce) {
  std::mt19937 rng(5);
  const std::size_t rows = 2000;
  const std::size_t groups = 6;
  std::vector<std::int32_t> group(rows);
  for (auto& g : group) g = static_cast<std::int32_t>(rng() % (groups + 2)) - 1;  // -1 and 6 ungrouped
  std::vector<std::uint32_t> a, b;
  for (std::uint32_t i = 0; i < rows; ++i) {
    if (rng() % 3 == 0) a.push_back(i);
    else if (rng() % 2 == 0) b.push_back(i);
  }
  const Comparison c = compare_rows(group, groups, a, b, 90, 120);
  ASSERT_EQ(c.groups.size(), groups);
  std::size_t ungrouped_a = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    std::size_t ca = 0, cb = 0;
    for (auto r : a) ca += group[r] == static_cast<std::int32_t>(g);
    for (auto r : b) cb += group[r] == static_cast<std::int32_t>(g);
    EXPECT_EQ(c.groups[g].count_a, ca);
    EXPECT_EQ(c.groups[g].count_b, cb);
    EXPECT_NEAR(c.groups[g].p_value, poisson_rate_test(cb, ca, 120, 90).p_value, 1e-15);
    EXPECT_NEAR(c.groups[g].rate_a, ca / 90.0, 1e-12);
  }
  for (auto r : a) ungrouped_a += group[r] < 0 || group[r] >= static_cast<std::int32_t>(groups);
  EXPECT_EQ(c.ungrouped_a, ungrouped_a);
  EXPECT_EQ(c.total.count_a, a.size());
  EXPECT_EQ(c.total.count_b, b.size());
}

TEST(Compare, PeriodsUseTheSelectionAndWardColumn) {
  // Two wards; ward 0 doubles after the intervention, ward 1 is flat.
  const std::int32_t before = day(2024, 1, 1);
  const std::int32_t after = day(2024, 2, 1);
  data::IncidentTable t;
  for (int i = 0; i < 10; ++i) add_row(t, Row{.day = before + i, .minute = hm(22, 0), .ward = 0});
  for (int i = 0; i < 20; ++i) add_row(t, Row{.day = after + i, .minute = hm(22, 0), .ward = 0});
  for (int i = 0; i < 7; ++i) add_row(t, Row{.day = before + i, .minute = hm(23, 0), .ward = 1});
  for (int i = 0; i < 7; ++i) add_row(t, Row{.day = after + i, .minute = hm(23, 0), .ward = 1});
  add_row(t, Row{.day = before + 3, .minute = hm(12, 0), .ward = 0});  // outside the window
  add_row(t, Row{.day = after, .precision = data::TimePrecision::month, .ward = 0});
  const auto tc = table_fixture::ids_only_layer(0);
  SelectionParams params;
  params.window = TimeWindow{hm(20, 0), hm(4, 0)};
  const Period a{before, before + 30};
  const Period b{after, after + 30};
  const auto c = compare_periods(t, tc, params, a, b, t.ward, 2);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->exposure_a, 31);
  EXPECT_EQ(c->exposure_b, 31);
  EXPECT_EQ(c->groups[0].count_a, 10u);
  EXPECT_EQ(c->groups[0].count_b, 20u);
  EXPECT_NEAR(c->groups[0].p_value, 0.09874, 5e-6);
  EXPECT_EQ(c->groups[1].count_a, 7u);
  EXPECT_EQ(c->groups[1].count_b, 7u);
  EXPECT_EQ(c->groups[1].p_value, 1.0);
  EXPECT_EQ(c->selection_b.excluded.at(kExcludedMonthWindow), 1u);

  // Bad periods and params are errors, not crashes.
  EXPECT_FALSE(compare_periods(t, tc, params, a, Period{before + 30, after}, t.ward, 2));
  EXPECT_FALSE(compare_periods(t, tc, params, Period{after, before}, b, t.ward, 2));
  SelectionParams bad = params;
  bad.weekdays = 0;
  EXPECT_FALSE(compare_periods(t, tc, bad, a, b, t.ward, 2));
  bad = params;
  bad.weekdays = 1;  // Mondays only, in a one-day period that is a Tuesday
  const auto no_days = compare_periods(t, tc, bad, Period{day(2024, 1, 2), day(2024, 1, 2)}, b, t.ward, 2);
  ASSERT_FALSE(no_days);
  EXPECT_NE(no_days.error().message.find("a_from..a_to"), std::string::npos);
  const std::vector<std::int32_t> short_labels(3, 0);
  EXPECT_FALSE(compare_periods(t, tc, params, a, b, short_labels, 1));
}

TEST(Compare, ClusterLabelsSpreadToRows) {
  const std::vector<std::uint32_t> rows = {1, 4, 5};
  const std::vector<std::int32_t> labels = {2, -1, 0};
  EXPECT_EQ(labels_by_row(7, rows, labels),
            (std::vector<std::int32_t>{kNoGroup, 2, kNoGroup, kNoGroup, kNoGroup, 0, kNoGroup}));
}

}  // namespace
}  // namespace hotspot::analysis
