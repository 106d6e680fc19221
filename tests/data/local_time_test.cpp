#include "hotspot/data/local_time.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>

namespace hotspot::data {
namespace {

std::int64_t utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  return static_cast<std::int64_t>(days_from_civil(y, mo, d)) * 86400 + h * 3600 + mi * 60 + s;
}

TEST(CivilDate, RoundTripsAndKnownDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);   // published epoch-day value
  EXPECT_EQ(days_from_civil(2024, 2, 29), 19782);
  for (std::int32_t d = -800000; d < 800000; d += 97) {
    const CivilDate c = civil_from_days(d);
    ASSERT_EQ(days_from_civil(c.year, c.month, c.day), d);
  }
  EXPECT_EQ(weekday_from_days(0), 3);                              // 1970-01-01 Thursday
  EXPECT_EQ(weekday_from_days(days_from_civil(2024, 3, 31)), 6);   // Sunday
  EXPECT_EQ(weekday_from_days(days_from_civil(2024, 12, 20)), 4);  // Friday
  EXPECT_EQ(weekday_from_days(-1), 2);
}

TEST(LondonTime, SwitchesIn2024) {
  // BST 2024: 31 March 01:00 UTC to 27 October 01:00 UTC.
  EXPECT_EQ(to_london(utc(2024, 3, 31, 0, 59)).utc_offset_hours, 0);
  EXPECT_EQ(to_london(utc(2024, 3, 31, 0, 59)).minute_of_day, 59);
  const LondonTime after = to_london(utc(2024, 3, 31, 1, 0));
  EXPECT_EQ(after.utc_offset_hours, 1);
  EXPECT_EQ(after.minute_of_day, 120);  // clocks jump to 02:00
  EXPECT_EQ(to_london(utc(2024, 10, 27, 0, 59)).utc_offset_hours, 1);
  EXPECT_EQ(to_london(utc(2024, 10, 27, 0, 59)).minute_of_day, 119);
  EXPECT_EQ(to_london(utc(2024, 10, 27, 1, 0)).utc_offset_hours, 0);
  EXPECT_EQ(to_london(utc(2024, 10, 27, 1, 0)).minute_of_day, 60);  // back to 01:00
  // Local date rolls over at local midnight in summer.
  const LondonTime late = to_london(utc(2024, 7, 5, 23, 30));
  EXPECT_EQ(late.local_day, days_from_civil(2024, 7, 6));
  EXPECT_EQ(late.minute_of_day, 30);
}

TEST(LondonTime, SwitchesIn2019) {
  // BST 2019: 31 March to 27 October.
  EXPECT_EQ(to_london(utc(2019, 3, 31, 0, 59)).utc_offset_hours, 0);
  EXPECT_EQ(to_london(utc(2019, 3, 31, 1, 0)).utc_offset_hours, 1);
  EXPECT_EQ(to_london(utc(2019, 10, 27, 0, 59)).utc_offset_hours, 1);
  EXPECT_EQ(to_london(utc(2019, 10, 27, 1, 0)).utc_offset_hours, 0);
  // 2023: 26 March and 29 October.
  EXPECT_EQ(to_london(utc(2023, 3, 26, 1, 0)).utc_offset_hours, 1);
  EXPECT_EQ(to_london(utc(2023, 3, 25, 12, 0)).utc_offset_hours, 0);
  EXPECT_EQ(to_london(utc(2023, 10, 29, 0, 59)).utc_offset_hours, 1);
  EXPECT_EQ(to_london(utc(2023, 10, 29, 1, 0)).utc_offset_hours, 0);
}

TEST(LondonTime, GapAndRepeatedHour) {
  const std::int32_t spring = days_from_civil(2024, 3, 31);
  // 01:30 does not exist: moved an hour later, to 02:30 BST = 01:30 UTC.
  EXPECT_EQ(london_to_utc(spring, 1 * 3600 + 30 * 60), utc(2024, 3, 31, 1, 30));
  EXPECT_EQ(london_to_utc(spring, 0 * 3600 + 59 * 60), utc(2024, 3, 31, 0, 59));
  EXPECT_EQ(london_to_utc(spring, 2 * 3600), utc(2024, 3, 31, 1, 0));
  const std::int32_t autumn = days_from_civil(2024, 10, 27);
  // 01:30 happens twice: the first (BST) is taken, 00:30 UTC.
  EXPECT_EQ(london_to_utc(autumn, 1 * 3600 + 30 * 60), utc(2024, 10, 27, 0, 30));
  EXPECT_EQ(london_to_utc(autumn, 2 * 3600), utc(2024, 10, 27, 2, 0));
  EXPECT_EQ(london_to_utc(days_from_civil(2024, 1, 15), 12 * 3600), utc(2024, 1, 15, 12, 0));
  EXPECT_EQ(london_to_utc(days_from_civil(2024, 6, 15), 12 * 3600), utc(2024, 6, 15, 11, 0));
}

// The system time-zone database as an independent reference.
TEST(LondonTime, AgreesWithTzdataEveryHour) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/London"))
    GTEST_SKIP() << "no tzdata on this machine";
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  setenv("TZ", "Europe/London", 1);
  tzset();
  std::size_t checked = 0;
  for (std::int64_t t = utc(1996, 1, 1, 0, 0); t < utc(2037, 12, 31, 0, 0); t += 3600 * 7 + 60) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm local{};
    localtime_r(&tt, &local);
    const LondonTime mine = to_london(t);
    const CivilDate date = civil_from_days(mine.local_day);
    ASSERT_EQ(date.year, local.tm_year + 1900) << t;
    ASSERT_EQ(static_cast<int>(date.month), local.tm_mon + 1) << t;
    ASSERT_EQ(static_cast<int>(date.day), local.tm_mday) << t;
    ASSERT_EQ(mine.minute_of_day, local.tm_hour * 60 + local.tm_min) << t;
    ASSERT_EQ(mine.utc_offset_hours * 3600, local.tm_gmtoff) << t;
    ++checked;
  }
  if (old) setenv("TZ", saved.c_str(), 1); else unsetenv("TZ");
  tzset();
  EXPECT_GT(checked, 40000u);
}

TEST(ParseTime, Precisions) {
  auto month = parse_time("2024-03");
  ASSERT_TRUE(month);
  EXPECT_EQ(month->precision, TimePrecision::month);
  EXPECT_EQ(month->utc_seconds, utc(2024, 3, 1, 0, 0));
  auto july = parse_time("2024-07");  // local midnight in BST is 23:00 UTC the day before
  ASSERT_TRUE(july);
  EXPECT_EQ(july->utc_seconds, utc(2024, 6, 30, 23, 0));
  auto day = parse_time("2024-10-27");
  ASSERT_TRUE(day);
  EXPECT_EQ(day->precision, TimePrecision::day);
  EXPECT_EQ(day->utc_seconds, utc(2024, 10, 26, 23, 0));
  auto minute = parse_time("2024-03-15 22:41");
  ASSERT_TRUE(minute);
  EXPECT_EQ(minute->precision, TimePrecision::minute);
  EXPECT_EQ(minute->utc_seconds, utc(2024, 3, 15, 22, 41));
}

TEST(ParseTime, OffsetsAndWallClock) {
  EXPECT_EQ(parse_time("2024-03-15T22:41:07+00:00")->utc_seconds, utc(2024, 3, 15, 22, 41, 7));
  EXPECT_EQ(parse_time("2024-03-15T22:41:07Z")->utc_seconds, utc(2024, 3, 15, 22, 41, 7));
  EXPECT_EQ(parse_time("2024-06-15T22:41:07+01:00")->utc_seconds, utc(2024, 6, 15, 21, 41, 7));
  EXPECT_EQ(parse_time("2024-06-15T22:41:07-05:30")->utc_seconds, utc(2024, 6, 16, 4, 11, 7));
  EXPECT_EQ(parse_time("2024-06-15T22:41:07")->utc_seconds, utc(2024, 6, 15, 21, 41, 7));
  EXPECT_EQ(parse_time("2024-06-15T22:41:07.250Z")->utc_seconds, utc(2024, 6, 15, 22, 41, 7));
  EXPECT_EQ(parse_time(" 2024-03-31 01:30 ")->utc_seconds, utc(2024, 3, 31, 1, 30));  // gap
  EXPECT_EQ(parse_time("2024-10-27 01:30")->utc_seconds, utc(2024, 10, 27, 0, 30));   // BST
  EXPECT_TRUE(parse_time("2024-12-31T23:59:60Z"));  // leap second
}

TEST(ParseTime, RejectsMalformedAndOutOfRange) {
  for (const char* bad :
       {"", "2024", "2024-3", "2024-13", "2024-00", "2024-02-30", "2023-02-29", "2024-04-31",
        "2024-01-01T24:00", "2024-01-01T12:60", "2024-01-01T12:00:61", "2024-01-01T12",
        "2024-01-01X12:00", "2024-01-01T12:00+1:00", "2024-01-01T12:00+01", "2024-01-01T12:00+24:00",
        "2024-01-01T12:00Zjunk", "1995-12-31", "2100-01-01", "0000-01", "abcd-ef", "2024-01-01T12:00:07.",
        "2024/01/01", "+2024-01-01", "2024-01-01 12:00:00 +00:00"}) {
    EXPECT_FALSE(parse_time(bad)) << bad;
  }
  EXPECT_TRUE(parse_time("1996-01"));
  EXPECT_TRUE(parse_time("2099-12-31T23:59:59Z"));
  EXPECT_TRUE(parse_time("2024-02-29"));
}

TEST(Weekdays, NamesRoundTripMondayFirst) {
  for (int d = 0; d < 7; ++d) {
    EXPECT_EQ(parse_weekday(kWeekdayNames[static_cast<std::size_t>(d)]), d);
  }
  EXPECT_EQ(kWeekdayNames[static_cast<std::size_t>(weekday_from_days(days_from_civil(2024, 12, 20)))],
            "fri");
  static_assert(parse_weekday("sun") == 6);
  for (const char* bad : {"", "Mon", "MON", "monday", "mo", "mon ", " tue", "xyz"}) {
    EXPECT_FALSE(parse_weekday(bad)) << bad;
  }
}

TEST(UtcNow, IsoSecondsWithZAndNow) {
  const std::time_t before = std::time(nullptr);
  const std::string stamp = utc_now_iso8601();
  const std::time_t after = std::time(nullptr);
  ASSERT_EQ(stamp.size(), 20u) << stamp;
  EXPECT_EQ(stamp[4], '-');
  EXPECT_EQ(stamp[10], 'T');
  EXPECT_EQ(stamp.back(), 'Z');
  const auto parsed = parse_time(stamp);
  ASSERT_TRUE(parsed) << stamp;
  EXPECT_GE(parsed->utc_seconds, static_cast<std::int64_t>(before));
  EXPECT_LE(parsed->utc_seconds, static_cast<std::int64_t>(after));
}

}  // namespace
}  // namespace hotspot::data
