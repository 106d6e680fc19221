#include "hotspot/analysis/profile.hpp"

#include "table_fixture.hpp"

#include <gtest/gtest.h>

#include <random>

namespace hotspot::analysis {
namespace {

using table_fixture::add_instant;
using table_fixture::add_row;
using table_fixture::day;
using table_fixture::hm;
using table_fixture::Row;

std::int64_t utc(int y, unsigned m, unsigned d, int h) {
  return static_cast<std::int64_t>(day(y, m, d)) * 86400 + h * 3600;
}

TEST(Profile, MatrixAndTrendMatchBruteForce) {
  std::mt19937 rng(17);
  data::IncidentTable t;
  for (int i = 0; i < 5000; ++i) {
    Row r;
    r.precision = static_cast<data::TimePrecision>(rng() % 3);
    r.day = day(2023, 11, 1) + static_cast<std::int32_t>(rng() % 200);
    r.minute = r.precision == data::TimePrecision::minute ? static_cast<std::uint16_t>(rng() % 1440) : 0;
    add_row(t, r);
  }
  Selection s;
  for (std::uint32_t i = 0; i < t.size(); i += 2) s.rows.push_back(i);
  const TemporalProfile p = temporal_profile(t, s);

  std::array<std::array<std::size_t, 24>, 7> want{};
  std::size_t month_only = 0, day_only = 0, minute = 0;
  std::map<std::pair<int, unsigned>, std::size_t> months;
  for (auto row : s.rows) {
    const auto c = data::civil_from_days(t.local_day[row]);
    ++months[{c.year, c.month}];
    if (t.precision[row] == data::TimePrecision::month) { ++month_only; continue; }
    if (t.precision[row] == data::TimePrecision::day) { ++day_only; continue; }
    ++want[static_cast<std::size_t>(data::weekday_from_days(t.local_day[row]))][t.local_minute[row] / 60];
    ++minute;
  }
  EXPECT_EQ(p.hour_of_week.counts, want);
  EXPECT_EQ(p.hour_of_week.total, minute);
  EXPECT_EQ(p.excluded.at(kProfileExcludedMonth), month_only);
  EXPECT_EQ(p.excluded.at(kProfileExcludedDay), day_only);
  ASSERT_EQ(p.monthly.size(), months.size());  // 7 months, none empty here
  std::size_t total = 0;
  for (const MonthCount& m : p.monthly) {
    EXPECT_EQ(m.count, (months[{m.year, m.month}])) << m.year << "-" << m.month;
    total += m.count;
  }
  EXPECT_EQ(total, s.rows.size());
  EXPECT_EQ(p.monthly.front().year, 2023);
  EXPECT_EQ(p.monthly.front().month, 11u);
}

TEST(Profile, MonthlySeriesFillsGapsAcrossYears) {
  data::IncidentTable t;
  add_row(t, Row{.day = day(2023, 11, 1), .precision = data::TimePrecision::month});
  add_row(t, Row{.day = day(2024, 2, 29), .minute = hm(23, 59)});
  add_row(t, Row{.day = day(2024, 2, 1), .precision = data::TimePrecision::day});
  Selection s;
  s.rows = {0, 1, 2};
  const TemporalProfile p = temporal_profile(t, s);
  ASSERT_EQ(p.monthly.size(), 4u);  // Nov, Dec, Jan, Feb
  EXPECT_EQ(p.monthly[0].count, 1u);
  EXPECT_EQ(p.monthly[1].count, 0u);
  EXPECT_EQ(p.monthly[1].month, 12u);
  EXPECT_EQ(p.monthly[2].year, 2024);
  EXPECT_EQ(p.monthly[2].month, 1u);
  EXPECT_EQ(p.monthly[3].count, 2u);
  // Thursday 29 Feb 2024, 23:59.
  EXPECT_EQ(p.hour_of_week.counts[3][23], 1u);
  EXPECT_EQ(p.hour_of_week.total, 1u);
  EXPECT_TRUE(temporal_profile(t, Selection{}).monthly.empty());
}

// Incidents every 10 real minutes from Saturday 12:00 UTC to Sunday 12:00
// UTC around a clock change, profiled.
HourOfWeek profile_of(std::int64_t from_utc, std::int64_t to_utc) {
  data::IncidentTable t;
  for (std::int64_t s = from_utc; s < to_utc; s += 600) add_instant(t, s);
  Selection sel;
  for (std::uint32_t i = 0; i < t.size(); ++i) sel.rows.push_back(i);
  const TemporalProfile p = temporal_profile(t, sel);
  EXPECT_EQ(p.hour_of_week.total, t.size());
  return p.hour_of_week;
}

std::size_t sum(const std::array<std::size_t, 24>& hours) {
  std::size_t s = 0;
  for (auto v : hours) s += v;
  return s;
}

// What a weekend around a clock change must hold: Sunday's local hours
// 00, 01 and 02, and the totals of Saturday and Sunday.
struct Weekend {
  std::array<std::size_t, 3> sunday_small_hours;
  std::size_t saturday, sunday;
};

void expect_weekend(const HourOfWeek& h, const Weekend& want) {
  for (std::size_t hour = 0; hour < want.sunday_small_hours.size(); ++hour) {
    EXPECT_EQ(h.counts[6][hour], want.sunday_small_hours[hour]) << "Sunday " << hour << ":00";
  }
  EXPECT_EQ(sum(h.counts[5]), want.saturday);
  EXPECT_EQ(sum(h.counts[6]), want.sunday);
}

TEST(Profile, SpringForwardSundayHasNoOneOClockHour) {
  // Clocks go from 01:00 GMT to 02:00 BST at 01:00 UTC on Sunday 31 Mar 2024.
  expect_weekend(profile_of(utc(2024, 3, 30, 12), utc(2024, 3, 31, 12)),
                 {.sunday_small_hours = {6, 0, 6},
                  .saturday = 12 * 6,   // Saturday 12:00-24:00 GMT
                  .sunday = 12 * 6});   // Sunday 00:00 GMT-13:00 BST: 12 real hours
}

TEST(Profile, FallBackSundayHasTwoOneOClockHours) {
  // Clocks go from 02:00 BST back to 01:00 GMT at 01:00 UTC on Sunday 27 Oct 2024.
  expect_weekend(profile_of(utc(2024, 10, 26, 12), utc(2024, 10, 27, 12)),
                 {.sunday_small_hours = {6, 12, 6},
                  .saturday = 11 * 6,   // Saturday 13:00-24:00 BST
                  .sunday = 13 * 6});   // Sunday 00:00-12:00 GMT plus the repeated hour
}

TEST(Profile, PerGroupMatrices) {
  const std::int32_t mon = day(2024, 5, 6);
  data::IncidentTable t;
  add_row(t, Row{.day = mon, .minute = hm(9, 15)});
  add_row(t, Row{.day = mon + 5, .minute = hm(23, 5)});
  add_row(t, Row{.day = mon + 5, .minute = hm(23, 50)});
  add_row(t, Row{.day = mon + 5, .precision = data::TimePrecision::day});
  Selection s;
  s.rows = {0, 1, 2, 3};
  const std::vector<std::int32_t> group = {0, 1, 1, 1};
  const auto m = hour_of_week_by_group(t, s, group, 2);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].counts[0][9], 1u);
  EXPECT_EQ(m[0].total, 1u);
  EXPECT_EQ(m[1].counts[5][23], 2u);
  EXPECT_EQ(m[1].total, 2u);
}

}  // namespace
}  // namespace hotspot::analysis
