#include "hotspot/analysis/selection.hpp"

#include "table_fixture.hpp"

#include <gtest/gtest.h>

#include <random>

namespace hotspot::analysis {
namespace {

using data::Category;
using data::TimePrecision;
using table_fixture::add_instant;
using table_fixture::add_row;
using table_fixture::day;
using table_fixture::hm;
using table_fixture::Row;

constexpr std::uint8_t kFriday = 1u << 4;
constexpr std::uint8_t kSaturday = 1u << 5;

std::uint8_t bit(Category c) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(c)); }

std::int64_t utc(int y, unsigned m, unsigned d, int h, int min) {
  return static_cast<std::int64_t>(day(y, m, d)) * 86400 + h * 3600 + min * 60;
}

TEST(TimeWindow, ContainsMatchesDefinitionForEveryMinute) {
  const TimeWindow plain{hm(9, 0), hm(17, 30)};
  const TimeWindow night{hm(20, 0), hm(4, 0)};
  for (std::uint16_t m = 0; m < kMinutesPerDay; ++m) {
    EXPECT_EQ(plain.contains(m), m >= 540 && m < 1050) << m;
    EXPECT_EQ(night.contains(m), m >= 1200 || m < 240) << m;
  }
  EXPECT_FALSE(plain.crosses_midnight());
  EXPECT_TRUE(night.crosses_midnight());
  EXPECT_FALSE((TimeWindow{hm(3, 0), hm(3, 0)}).contains(hm(3, 0)));
}

TEST(Selection, DefaultParamsSelectEverything) {
  data::IncidentTable t;
  for (int i = 0; i < 50; ++i) {
    add_row(t, Row{.day = day(2024, 1, 1) + i, .minute = static_cast<std::uint16_t>(i * 17),
                   .precision = static_cast<TimePrecision>(i % 3),
                   .category = static_cast<Category>(i % 5)});
  }
  const auto tc = table_fixture::ids_only_layer(0);
  const Selection s = select(t, tc, SelectionParams{});
  ASSERT_EQ(s.rows.size(), 50u);
  EXPECT_EQ(s.considered, 50u);
  EXPECT_TRUE(s.excluded.empty());
  for (std::size_t i = 0; i < s.rows.size(); ++i) EXPECT_EQ(s.rows[i], i);
}

// Saturday 01:30 under 20:00-04:00 belongs to Friday night, for weekdays and dates.
TEST(Selection, SmallHoursBelongToTheEveningBefore) {
  const std::int32_t fri = day(2024, 5, 10);
  ASSERT_EQ(data::weekday_from_days(fri), 4);
  data::IncidentTable t;
  add_row(t, Row{.day = fri + 1, .minute = hm(1, 30)});   // 0: Sat 01:30 -> Friday night
  add_row(t, Row{.day = fri + 1, .minute = hm(22, 0)});   // 1: Sat 22:00 -> Saturday night
  add_row(t, Row{.day = fri, .minute = hm(20, 0)});       // 2: Fri 20:00 -> Friday night
  add_row(t, Row{.day = fri + 1, .minute = hm(4, 0)});    // 3: Sat 04:00 -> outside window
  add_row(t, Row{.day = fri + 1, .minute = hm(3, 59)});   // 4: Sat 03:59 -> Friday night
  const auto tc = table_fixture::ids_only_layer(0);

  SelectionParams p;
  p.window = TimeWindow{hm(20, 0), hm(4, 0)};
  p.weekdays = kFriday;
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{0, 2, 4}));
  p.weekdays = kSaturday;
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{1}));

  // The date filter uses the night's date too.
  p.weekdays = kAllWeekdays;
  p.from_day = fri;
  p.to_day = fri;
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{0, 2, 4}));
  p.from_day = fri + 1;
  p.to_day = fri + 1;
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{1}));

  // Without a window a row keeps its calendar date.
  p.window.reset();
  p.from_day = fri;
  p.to_day = fri;
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(night_day(fri + 1, hm(1, 30), TimeWindow{hm(20, 0), hm(4, 0)}), fri);
  EXPECT_EQ(night_day(fri + 1, hm(1, 30), TimeWindow{hm(0, 0), hm(4, 0)}), fri + 1);
}

// Incidents every 10 real minutes from 12:00 UTC on `evening` to 12:00 UTC
// the next day. The 20:00-04:00 window of the night that starts on `evening`
// must hold (real hours * 6) of them: exactly those in [start_utc, end_utc),
// the window's ends in UTC.
void expect_night(std::int32_t evening, std::int64_t start_utc, std::int64_t end_utc, unsigned hours) {
  const std::int64_t from_utc = static_cast<std::int64_t>(evening) * 86400 + 12 * 3600;
  const std::int64_t to_utc = from_utc + 86400;
  data::IncidentTable t;
  for (std::int64_t s = from_utc; s < to_utc; s += 600) add_instant(t, s);
  EXPECT_EQ(t.size(), 144u);
  SelectionParams p;
  p.window = TimeWindow{hm(20, 0), hm(4, 0)};
  p.from_day = evening;
  p.to_day = evening;
  p.weekdays = static_cast<std::uint8_t>(1u << data::weekday_from_days(evening));
  EXPECT_FALSE(p.validate().has_value());
  const auto tc = table_fixture::ids_only_layer(0);
  const std::size_t n = select(t, tc, p).rows.size();
  EXPECT_EQ(n, hours * 6u);
  // Independent real-time count: instants in [start_utc, end_utc).
  std::size_t real = 0;
  for (std::int64_t s = from_utc; s < to_utc; s += 600) real += s >= start_utc && s < end_utc;
  EXPECT_EQ(n, real);
}

TEST(Selection, SpringForwardNightIsSevenHours) {
  // Sat 30 Mar 2024: 20:00 GMT = 20:00 UTC; Sun 04:00 BST = 03:00 UTC.
  expect_night(day(2024, 3, 30), utc(2024, 3, 30, 20, 0), utc(2024, 3, 31, 3, 0), 7);
}

TEST(Selection, FallBackNightIsNineHours) {
  // Sat 26 Oct 2024: 20:00 BST = 19:00 UTC; Sun 04:00 GMT = 04:00 UTC.
  expect_night(day(2024, 10, 26), utc(2024, 10, 26, 19, 0), utc(2024, 10, 27, 4, 0), 9);
}

TEST(Selection, OrdinaryNightIsEightHours) {
  // A GMT night in March and a BST night in July.
  expect_night(day(2024, 3, 16), utc(2024, 3, 16, 20, 0), utc(2024, 3, 17, 4, 0), 8);
  expect_night(day(2024, 7, 13), utc(2024, 7, 13, 19, 0), utc(2024, 7, 14, 3, 0), 8);
}

TEST(Selection, MonthRecordsNeedTheWholeMonthInsideTheRange) {
  data::IncidentTable t;
  add_row(t, Row{.day = day(2024, 3, 1), .precision = TimePrecision::month});  // 0: March
  add_row(t, Row{.day = day(2024, 2, 1), .precision = TimePrecision::month});  // 1: Feb (leap)
  add_row(t, Row{.day = day(2024, 3, 15), .minute = hm(12, 0)});              // 2: minute row
  const auto tc = table_fixture::ids_only_layer(0);
  SelectionParams p;

  p.from_day = day(2024, 3, 1);
  p.to_day = day(2024, 3, 31);
  Selection s = select(t, tc, p);
  EXPECT_EQ(s.rows, (std::vector<std::uint32_t>{0, 2}));
  EXPECT_TRUE(s.excluded.empty());  // February is simply outside
  EXPECT_FALSE(s.rules.empty());

  p.from_day = day(2024, 2, 1);
  p.to_day = day(2024, 2, 29);
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{1}));
  p.to_day = day(2024, 2, 28);  // one day short of the leap month
  s = select(t, tc, p);
  EXPECT_TRUE(s.rows.empty());
  EXPECT_EQ(s.excluded.at(kExcludedMonthPartial), 1u);

  p.from_day = day(2024, 3, 2);
  p.to_day = day(2024, 4, 30);
  s = select(t, tc, p);
  EXPECT_EQ(s.rows, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(s.excluded.at(kExcludedMonthPartial), 1u);
}

TEST(Selection, MonthRecordsAreExcludedFromWeekdayAndWindowFilters) {
  data::IncidentTable t;
  add_row(t, Row{.day = day(2024, 3, 1), .precision = TimePrecision::month});
  add_row(t, Row{.day = day(2024, 4, 1), .precision = TimePrecision::month});
  const auto tc = table_fixture::ids_only_layer(0);
  SelectionParams p;
  p.weekdays = kFriday;
  Selection s = select(t, tc, p);
  EXPECT_TRUE(s.rows.empty());
  EXPECT_EQ(s.excluded.at(kExcludedMonthWeekday), 2u);
  p.weekdays = kAllWeekdays;
  p.window = TimeWindow{hm(20, 0), hm(4, 0)};
  s = select(t, tc, p);
  EXPECT_TRUE(s.rows.empty());
  EXPECT_EQ(s.excluded.at(kExcludedMonthWindow), 2u);
  EXPECT_EQ(s.excluded.size(), 1u);  // each row counted once
}

TEST(Selection, DayRecordsTakeDatesAndWeekdaysButNotWindows) {
  const std::int32_t fri = day(2024, 5, 10);
  data::IncidentTable t;
  add_row(t, Row{.day = fri, .precision = TimePrecision::day});      // 0
  add_row(t, Row{.day = fri + 1, .precision = TimePrecision::day});  // 1
  const auto tc = table_fixture::ids_only_layer(0);
  SelectionParams p;
  p.weekdays = kFriday;
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{0}));
  p.weekdays = kAllWeekdays;
  p.from_day = fri + 1;
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{1}));
  p.from_day.reset();
  p.window = TimeWindow{hm(0, 0), hm(23, 59)};
  const Selection s = select(t, tc, p);
  EXPECT_TRUE(s.rows.empty());
  EXPECT_EQ(s.excluded.at(kExcludedDayWindow), 2u);
  EXPECT_FALSE(s.rules.empty());
}

TEST(Selection, SpatialFiltersAndScopes) {
  data::IncidentTable t;
  add_row(t, Row{.x = 100, .y = 100, .category = Category::violence, .ward = 0,
                 .town_centre = 0, .town_centre_distance = 0});                       // 0
  add_row(t, Row{.x = 200, .y = 200, .category = Category::asb, .ward = 1,
                 .town_centre_distance = 300});                                        // 1
  add_row(t, Row{.x = 300, .y = 300, .category = Category::other, .ward = 2,
                 .town_centre_distance = 800});                                        // 2
  add_row(t, Row{.x = 400, .y = 400, .category = Category::public_order});           // 3
  const auto tc = table_fixture::ids_only_layer(1);
  SelectionParams p;
  p.categories = bit(Category::asb) | bit(Category::other);
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{1, 2}));
  p = {};
  p.wards = {2, 0, 77};
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{0, 2}));
  p = {};
  p.bbox = geo::Box{150, 150, 300, 300};  // edges inclusive
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{1, 2}));
  p = {};
  p.scope = Scope::town_centres;
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{0}));
  p.scope = Scope::buffer;
  p.buffer_m = 500;
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{0, 1}));
  p.buffer_m = 0;
  EXPECT_EQ(select(t, tc, p).rows, (std::vector<std::uint32_t>{0}));

  // No town centres loaded: nothing can be judged, and that is said.
  const auto none = table_fixture::ids_only_layer(0);
  p.buffer_m = 500;
  const Selection s = select(t, none, p);
  EXPECT_TRUE(s.rows.empty());
  EXPECT_EQ(s.excluded.at(kExcludedNoTownCentres), 4u);
}

TEST(Selection, ValidateNamesTheParameter) {
  EXPECT_FALSE(SelectionParams{}.validate().has_value());
  EXPECT_FALSE(SelectionParams::nte().validate().has_value());
  const auto message = [](const SelectionParams& p) {
    const auto e = p.validate();
    EXPECT_TRUE(e.has_value());
    if (e) {
      EXPECT_EQ(e->code, ErrorCode::invalid_parameter);
    }
    return e ? e->message : std::string();
  };
  SelectionParams p;
  p.categories = 0;
  EXPECT_NE(message(p).find("'category'"), std::string::npos);
  p = {};
  p.from_day = day(2024, 5, 2);
  p.to_day = day(2024, 5, 1);
  EXPECT_NE(message(p).find("2024-05-02"), std::string::npos);
  p.to_day = p.from_day;
  EXPECT_FALSE(p.validate().has_value());
  p = {};
  p.weekdays = 0;
  EXPECT_NE(message(p).find("'days'"), std::string::npos);
  p = {};
  p.buffer_m = -1;
  EXPECT_NE(message(p).find("'buffer'"), std::string::npos);
  p.buffer_m = 5000.5;
  EXPECT_NE(message(p).find("'buffer'"), std::string::npos);
  p.buffer_m = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(message(p).find("'buffer'"), std::string::npos);
  p.buffer_m = 5000;
  EXPECT_FALSE(p.validate().has_value());
  p = {};
  p.window = TimeWindow{1440, 10};
  EXPECT_NE(message(p).find("'window'"), std::string::npos);
  p.window = TimeWindow{600, 600};
  EXPECT_NE(message(p).find("'window'"), std::string::npos);
  p = {};
  p.bbox = geo::Box{10, 0, 10, 5};
  EXPECT_NE(message(p).find("'bbox'"), std::string::npos);
  p.bbox = geo::Box{0, 0, 10, std::numeric_limits<double>::infinity()};
  EXPECT_NE(message(p).find("'bbox'"), std::string::npos);
  p = {};
  p.wards = {3, -2};
  EXPECT_NE(message(p).find("'ward'"), std::string::npos);
}

TEST(Selection, NightTimeEconomyPreset) {
  const SelectionParams p = SelectionParams::nte();
  EXPECT_EQ(p.categories, bit(Category::violence) | bit(Category::criminal_damage));
  EXPECT_EQ(p.weekdays, kFriday | kSaturday);
  ASSERT_TRUE(p.window.has_value());
  EXPECT_EQ(p.window->start_minute, hm(20, 0));
  EXPECT_EQ(p.window->end_minute, hm(4, 0));
  EXPECT_EQ(p.scope, Scope::buffer);
  EXPECT_EQ(p.buffer_m, 500);

  const std::int32_t sat = day(2024, 6, 15);
  ASSERT_EQ(data::weekday_from_days(sat), 5);
  data::IncidentTable t;
  const float near = 120;
  add_row(t, Row{.day = sat, .minute = hm(23, 0), .town_centre_distance = near});        // 0 in
  add_row(t, Row{.day = sat, .minute = hm(23, 0), .category = Category::public_order,
                 .town_centre_distance = near});                                          // 1 out
  add_row(t, Row{.day = sat - 2, .minute = hm(23, 0), .town_centre_distance = near});    // 2 Thu out
  add_row(t, Row{.day = sat, .minute = hm(1, 30), .category = Category::criminal_damage,
                 .town_centre_distance = near});                                          // 3 Fri night in
  add_row(t, Row{.day = sat + 1, .minute = hm(1, 30), .town_centre_distance = 0});       // 4 Sat night in
  add_row(t, Row{.day = sat + 1, .minute = hm(22, 0), .town_centre_distance = near});    // 5 Sun out
  add_row(t, Row{.day = sat, .minute = hm(23, 0), .town_centre_distance = 600});         // 6 far out
  add_row(t, Row{.day = sat, .precision = TimePrecision::day, .town_centre_distance = near});  // 7
  add_row(t, Row{.day = sat - 1, .minute = hm(19, 59), .town_centre_distance = near});   // 8 early
  const auto tc = table_fixture::ids_only_layer(1);
  const Selection s = select(t, tc, p);
  EXPECT_EQ(s.rows, (std::vector<std::uint32_t>{0, 3, 4}));
  EXPECT_EQ(s.excluded.at(kExcludedDayWindow), 1u);
}

// select() against a row-by-row restatement of the rules, on random tables
// and random parameters.
bool reference_keeps(const data::IncidentTable& t, std::size_t i, const SelectionParams& p,
                     bool centres_loaded) {
  if (!(p.categories & bit(t.category[i]))) return false;
  if (!p.wards.empty() && std::find(p.wards.begin(), p.wards.end(), t.ward[i]) == p.wards.end())
    return false;
  if (p.bbox && !(t.x[i] >= p.bbox->min_x && t.x[i] <= p.bbox->max_x && t.y[i] >= p.bbox->min_y &&
                  t.y[i] <= p.bbox->max_y))
    return false;
  if (p.scope != Scope::everywhere && !centres_loaded) return false;
  if (p.scope == Scope::town_centres && t.town_centre[i] < 0) return false;
  if (p.scope == Scope::buffer && !(t.town_centre_distance[i] <= p.buffer_m)) return false;
  const std::int32_t from = p.from_day.value_or(-1000000);
  const std::int32_t to = p.to_day.value_or(1000000);
  const std::int32_t d = t.local_day[i];
  switch (t.precision[i]) {
    case TimePrecision::month: {
      const auto c = data::civil_from_days(d);
      const std::int32_t first = day(c.year, c.month, 1);
      std::int32_t last = first;
      while (data::civil_from_days(last + 1).month == c.month) ++last;
      if (first < from || last > to) return false;
      return !p.window && p.weekdays == kAllWeekdays;
    }
    case TimePrecision::day:
      if (d < from || d > to) return false;
      if (!(p.weekdays & (1u << data::weekday_from_days(d)))) return false;
      return !p.window;
    case TimePrecision::minute: {
      const int m = t.local_minute[i];
      std::int32_t night = d;
      if (p.window) {
        const int a = p.window->start_minute;
        const int b = p.window->end_minute;
        if (a < b && !(m >= a && m < b)) return false;
        if (a > b) {
          if (!(m >= a || m < b)) return false;
          if (m < b) night = d - 1;
        }
      }
      if (night < from || night > to) return false;
      return (p.weekdays >> data::weekday_from_days(night)) & 1u;
    }
  }
  return false;
}

TEST(Selection, MatchesRowByRowReferenceOnRandomInput) {
  std::mt19937 rng(20240331);
  const std::int32_t d0 = day(2023, 12, 1);
  const data::IncidentTable t = table_fixture::random_table(rng, 4000, d0);
  const auto tc = table_fixture::ids_only_layer(1);
  for (int trial = 0; trial < 300; ++trial) {
    const SelectionParams p = table_fixture::random_params(rng, d0);
    ASSERT_FALSE(p.validate().has_value());
    const Selection s = select(t, tc, p);
    std::vector<std::uint32_t> expected;
    for (std::size_t i = 0; i < t.size(); ++i)
      if (reference_keeps(t, i, p, true)) expected.push_back(static_cast<std::uint32_t>(i));
    ASSERT_EQ(s.rows, expected) << "trial " << trial;
    // Every row is either selected, filtered, or counted as excluded: the
    // exclusion counts never exceed what is left.
    std::size_t excluded = 0;
    for (const auto& [reason, count] : s.excluded) excluded += count;
    EXPECT_LE(s.rows.size() + excluded, t.size());
  }
}

}  // namespace
}  // namespace hotspot::analysis
