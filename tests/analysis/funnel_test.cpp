// The selection funnel against a count by hand: each step's rule is written
// out again below, one row and one step at a time, and every row is charged
// to the first step (in the order the API documents) it fails.
#include "hotspot/analysis/selection.hpp"

#include "table_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace hotspot::analysis {
namespace {

using data::Category;
using data::TimePrecision;
using table_fixture::add_row;
using table_fixture::day;
using table_fixture::hm;
using table_fixture::Row;

constexpr std::uint8_t kFriday = 1u << 4;
constexpr std::uint8_t kSaturday = 1u << 5;

// Why one step removes one row: not at all, placed outside, or too coarse.
enum class Verdict { passes, outside, coarse };

struct Month {
  std::int32_t first, last;
};
Month month_of(std::int32_t d) {
  const auto c = data::civil_from_days(d);
  Month m{day(c.year, c.month, 1), day(c.year, c.month, 1)};
  while (data::civil_from_days(m.last + 1).month == c.month) ++m.last;
  return m;
}

// The night a minute row belongs to: before a crossing window's end, the evening before.
std::int32_t night_of(const data::IncidentTable& t, std::size_t i, const SelectionParams& p) {
  const bool crosses = p.window && p.window->start_minute > p.window->end_minute;
  return crosses && t.local_minute[i] < p.window->end_minute ? t.local_day[i] - 1 : t.local_day[i];
}

Verdict judge(const data::IncidentTable& t, std::size_t i, const SelectionParams& p, FunnelStep step,
              bool centres_loaded) {
  const auto outside_if = [](bool fails) { return fails ? Verdict::outside : Verdict::passes; };
  const TimePrecision precision = t.precision[i];
  switch (step) {
    case FunnelStep::category:
      return outside_if(((p.categories >> static_cast<unsigned>(t.category[i])) & 1u) == 0);
    case FunnelStep::domestic:
    case FunnelStep::alcohol:
      return Verdict::passes;  // these tables have no domestic or alcohol column
    case FunnelStep::dates: {
      const std::int32_t from = p.from_day.value_or(-1000000);
      const std::int32_t to = p.to_day.value_or(1000000);
      if (precision == TimePrecision::month) {
        const Month m = month_of(t.local_day[i]);
        if (m.last < from || m.first > to) return Verdict::outside;
        return m.first < from || m.last > to ? Verdict::coarse : Verdict::passes;
      }
      const std::int32_t d = precision == TimePrecision::day ? t.local_day[i] : night_of(t, i, p);
      return outside_if(d < from || d > to);
    }
    case FunnelStep::days: {
      if (p.weekdays == kAllWeekdays) return Verdict::passes;
      if (precision == TimePrecision::month) return Verdict::coarse;
      const std::int32_t d = precision == TimePrecision::day ? t.local_day[i] : night_of(t, i, p);
      return outside_if(((p.weekdays >> data::weekday_from_days(d)) & 1u) == 0);
    }
    case FunnelStep::window:
      if (!p.window) return Verdict::passes;
      if (precision != TimePrecision::minute) return Verdict::coarse;
      return outside_if(!p.window->contains(t.local_minute[i]));
    case FunnelStep::area: {
      const bool ward_ok = p.wards.empty() ||
                           std::find(p.wards.begin(), p.wards.end(), t.ward[i]) != p.wards.end();
      const bool box_ok = !p.bbox || (t.x[i] >= p.bbox->min_x && t.x[i] <= p.bbox->max_x &&
                                      t.y[i] >= p.bbox->min_y && t.y[i] <= p.bbox->max_y);
      return outside_if(!(ward_ok && box_ok));
    }
    case FunnelStep::scope:
      if (p.scope == Scope::everywhere) return Verdict::passes;
      if (!centres_loaded) return Verdict::coarse;  // counted as unjudged
      if (p.scope == Scope::town_centres) return outside_if(t.town_centre[i] < 0);
      return outside_if(!(t.town_centre_distance[i] <= p.buffer_m));
  }
  return Verdict::passes;
}

// The funnel counted by hand, for the steps the selection reported.
void expect_funnel_by_hand(const data::IncidentTable& t, const SelectionParams& p, const Selection& s,
                           bool centres_loaded) {
  std::size_t entering = t.size();
  for (const FunnelCount& step : s.funnel) {
    std::size_t removed = 0, month_only = 0, day_only = 0, unjudged = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      // Only rows that passed every earlier step reach this one.
      bool reaches = true;
      for (unsigned earlier = 0; earlier < static_cast<unsigned>(step.step) && reaches; ++earlier) {
        reaches = judge(t, i, p, static_cast<FunnelStep>(earlier), centres_loaded) == Verdict::passes;
      }
      if (!reaches) continue;
      const Verdict v = judge(t, i, p, step.step, centres_loaded);
      if (v == Verdict::passes) continue;
      ++removed;
      if (v != Verdict::coarse) continue;
      if (step.step == FunnelStep::scope) {
        ++unjudged;
      } else {
        (t.precision[i] == TimePrecision::month ? month_only : day_only) += 1;
      }
    }
    SCOPED_TRACE(std::string(funnel_step_name(step.step)));
    EXPECT_EQ(step.entering, entering);
    EXPECT_EQ(step.removed, removed);
    EXPECT_EQ(step.removed_month_only, month_only);
    EXPECT_EQ(step.removed_day_only, day_only);
    EXPECT_EQ(step.removed_unjudged, unjudged);
    entering -= removed;
  }
  EXPECT_EQ(entering, s.rows.size());
}

// Real police.uk data: every row month-only, so the night-time-economy view
// removes all of it at "days" (month-only, cannot be placed), before the
// town-centre buffer can remove anything, and says so.
TEST(Funnel, MonthOnlyRowsLeaveAtTheDaysStepUnderTheNightTimePreset) {
  data::IncidentTable t;
  for (int i = 0; i < 30; ++i) {
    add_row(t, Row{.day = day(2024, 1 + i % 6, 1), .precision = TimePrecision::month,
                   .category = static_cast<Category>(i % 5), .ward = i % 3,
                   .town_centre_distance = i % 2 == 0 ? 100.0f : 5000.0f});
  }
  const auto tc = table_fixture::ids_only_layer(2);
  const SelectionParams p = SelectionParams::nte();
  const Selection s = select(t, tc, p);
  EXPECT_TRUE(s.rows.empty());
  std::vector<FunnelStep> steps;
  for (const auto& step : s.funnel) steps.push_back(step.step);
  EXPECT_EQ(steps, (std::vector<FunnelStep>{FunnelStep::category, FunnelStep::domestic,
                                            FunnelStep::days, FunnelStep::window, FunnelStep::scope}));
  expect_funnel_by_hand(t, p, s, true);
  // Violence (i%5==0) and criminal damage (i%5==1): 12 rows reach "days".
  ASSERT_EQ(s.funnel[2].step, FunnelStep::days);
  EXPECT_EQ(s.funnel[2].removed_month_only, s.funnel[2].entering);
  EXPECT_EQ(s.excluded.at(kExcludedMonthWeekday), s.funnel[2].removed);
  // Nothing is left for the window and the scope.
  EXPECT_EQ(s.funnel[3].entering, 0u);
  EXPECT_EQ(s.funnel[4].entering, 0u);
}

TEST(Funnel, DefaultSelectionHasOnlyTheCategoryStepRemovingNothing) {
  data::IncidentTable t;
  for (int i = 0; i < 10; ++i) add_row(t, Row{.day = day(2024, 2, 1) + i, .minute = hm(12, 0)});
  const Selection s = select(t, table_fixture::ids_only_layer(0), SelectionParams{});
  ASSERT_EQ(s.funnel.size(), 1u);
  EXPECT_EQ(s.funnel[0].step, FunnelStep::category);
  EXPECT_EQ(s.funnel[0].entering, 10u);
  EXPECT_EQ(s.funnel[0].removed, 0u);
}

TEST(Funnel, DayOnlyRowsCannotBePlacedInATimeWindow) {
  const std::int32_t fri = day(2024, 5, 10);
  data::IncidentTable t;
  add_row(t, Row{.day = fri, .precision = TimePrecision::day});                  // coarse at window
  add_row(t, Row{.day = fri + 2, .precision = TimePrecision::day});              // Sunday: days
  add_row(t, Row{.day = fri, .minute = hm(21, 0)});                              // kept
  add_row(t, Row{.day = fri, .minute = hm(12, 0)});                              // outside window
  add_row(t, Row{.day = fri + 1, .minute = hm(1, 0)});                           // Fri night: kept
  SelectionParams p;
  p.weekdays = kFriday | kSaturday;
  p.window = TimeWindow{hm(20, 0), hm(4, 0)};
  const Selection s = select(t, table_fixture::ids_only_layer(0), p);
  EXPECT_EQ(s.rows, (std::vector<std::uint32_t>{2, 4}));
  expect_funnel_by_hand(t, p, s, false);
  const FunnelCount& window = s.funnel.back();
  ASSERT_EQ(window.step, FunnelStep::window);
  EXPECT_EQ(window.removed_day_only, 1u);
  EXPECT_EQ(window.removed_placed_outside(), 1u);
}

TEST(Funnel, NoTownCentresLoadedIsUnjudgedNotOutside) {
  data::IncidentTable t;
  for (int i = 0; i < 4; ++i) add_row(t, Row{.day = day(2024, 3, 1), .minute = hm(10, 0)});
  SelectionParams p;
  p.scope = Scope::town_centres;
  const Selection s = select(t, table_fixture::ids_only_layer(0), p);
  expect_funnel_by_hand(t, p, s, false);
  EXPECT_EQ(s.funnel.back().removed_unjudged, 4u);
  EXPECT_EQ(s.excluded.at(kExcludedNoTownCentres), 4u);
}

TEST(Funnel, MatchesCountByHandOnRandomInput) {
  std::mt19937 rng(1212);
  const std::int32_t d0 = day(2023, 12, 1);
  const data::IncidentTable t = table_fixture::random_table(rng, 3000, d0);
  for (int trial = 0; trial < 200; ++trial) {
    const SelectionParams p = table_fixture::random_params(rng, d0);
    const bool centres = rng() % 5 != 0;
    ASSERT_FALSE(p.validate().has_value());
    SCOPED_TRACE("trial " + std::to_string(trial));
    const Selection s = select(t, table_fixture::ids_only_layer(centres ? 1 : 0), p);
    expect_funnel_by_hand(t, p, s, centres);
    // The steps reported are exactly those set, in order.
    std::vector<FunnelStep> expected{FunnelStep::category};
    if (p.filters_dates()) expected.push_back(FunnelStep::dates);
    if (p.filters_weekdays()) expected.push_back(FunnelStep::days);
    if (p.window) expected.push_back(FunnelStep::window);
    if (!p.wards.empty() || p.bbox) expected.push_back(FunnelStep::area);
    if (p.scope != Scope::everywhere) expected.push_back(FunnelStep::scope);
    std::vector<FunnelStep> steps;
    for (const auto& step : s.funnel) steps.push_back(step.step);
    EXPECT_EQ(steps, expected);
  }
}

}  // namespace
}  // namespace hotspot::analysis
