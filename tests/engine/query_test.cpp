#include "hotspot/engine/query.hpp"

#include "hotspot/data/local_time.hpp"

#include <gtest/gtest.h>

namespace hotspot::engine {
namespace {

TEST(ParseInt, ConsumesWholeStringWithinRange) {
  EXPECT_EQ(*parse_int("n", "42", 0, 100), 42);
  EXPECT_EQ(*parse_int("n", "-3", -5, 5), -3);
  for (const char* bad : {"", "10abc", "abc", " 1", "1 ", "+1", "1.0", "0x10", "101", "-1",
                          "99999999999999999999999"}) {
    auto v = parse_int("n", bad, 0, 100);
    ASSERT_FALSE(v) << bad;
    EXPECT_EQ(v.error().code, ErrorCode::invalid_parameter);
    EXPECT_NE(v.error().message.find("'n'"), std::string::npos) << v.error().message;
  }
}

TEST(ParseDouble, RejectsNonFiniteExponentsAndJunk) {
  EXPECT_DOUBLE_EQ(*parse_double("x", "1.5", 0, 2), 1.5);
  EXPECT_DOUBLE_EQ(*parse_double("x", "-0.25", -1, 0), -0.25);
  for (const char* bad : {"", "1e3", "inf", "nan", "-inf", "1.5.", ".", "1,5", "2.0001", " 1"}) {
    EXPECT_FALSE(parse_double("x", bad, 0, 2)) << bad;
  }
}

TEST(ParseDate, Calendar) {
  // Days from 1970-01-01 counted independently: 2024-03-01 is 19783.
  EXPECT_EQ(*parse_date("from", "2024-03-01"), 19783);
  EXPECT_EQ(*parse_date("from", "2024-02-29"), 19782);
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-1-01",
                          "24-01-01", "2024/01/01", "2024-01-01T00:00", "1995-12-31",
                          "2100-01-01", ""}) {
    EXPECT_FALSE(parse_date("from", bad)) << bad;
  }
}

TEST(ParseClock, HoursAndMinutes) {
  EXPECT_EQ(*parse_clock("w", "00:00"), 0);
  EXPECT_EQ(*parse_clock("w", "20:30"), 20 * 60 + 30);
  EXPECT_EQ(*parse_clock("w", "23:59"), 1439);
  for (const char* bad : {"24:00", "12:60", "1:00", "12:0", "12-00", "ab:cd", ""}) {
    EXPECT_FALSE(parse_clock("w", bad)) << bad;
  }
}

TEST(ParseList, RefusesEmptyItems) {
  auto items = parse_list("c", "a,b,c");
  ASSERT_TRUE(items);
  EXPECT_EQ(items->size(), 3u);
  for (const char* bad : {"", ",", "a,", ",a", "a,,b"}) EXPECT_FALSE(parse_list("c", bad)) << bad;
}

TEST(ParseBbox, OrderAndRanges) {
  auto box = parse_bbox("bbox", "-1.7,54.6,-1.4,54.8");
  ASSERT_TRUE(box);
  EXPECT_DOUBLE_EQ(box->min_lon, -1.7);
  EXPECT_DOUBLE_EQ(box->max_lat, 54.8);
  for (const char* bad : {"-1.4,54.6,-1.7,54.8", "-1.7,54.8,-1.4,54.6", "-1.7,54.6,-1.4",
                          "-1.7,54.6,-1.4,54.8,1", "-181,54,-1,55", "-1,-91,1,55", "a,b,c,d",
                          "-1.7,54.6,-1.7,54.8"}) {
    EXPECT_FALSE(parse_bbox("bbox", bad)) << bad;
  }
}

constexpr std::string_view kLimitOffsetBbox[] = {"limit", "offset", "bbox"};
constexpr std::string_view kLimitOffset[] = {"limit", "offset"};
constexpr std::string_view kLimit[] = {"limit"};

TEST(Query, UnknownAndDuplicateNamesAreRefused) {
  NameValues pairs = {{"limit", "5"}, {"offset", "0"}};
  auto ok = Query::parse(pairs, kLimitOffsetBbox);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok->get("limit"), "5");
  EXPECT_EQ(ok->get("bbox"), nullptr);

  pairs.emplace_back("colour", "red");
  auto unknown = Query::parse(pairs, kLimitOffset);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::unknown_parameter);
  EXPECT_NE(unknown.error().message.find("'colour'"), std::string::npos);

  pairs = {{"limit", "5"}, {"limit", "6"}};
  auto duplicate = Query::parse(pairs, kLimit);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::invalid_parameter);
  EXPECT_NE(duplicate.error().message.find("'limit'"), std::string::npos);
}

TEST(ParseBool, OnlyTrueAndFalse) {
  EXPECT_TRUE(*parse_bool("all", "true"));
  EXPECT_FALSE(*parse_bool("all", "false"));
  for (const char* bad : {"", "1", "yes", "True", "false "}) EXPECT_FALSE(parse_bool("all", bad)) << bad;
}

TEST(Format, RoundTrips) {
  EXPECT_EQ(format_date(19783), "2024-03-01");
  EXPECT_EQ(format_clock(20 * 60 + 5), "20:05");
  EXPECT_EQ(format_number(0.5), "0.5");
  // Fixed notation, never 9e-115 or 1e+21, so that an echoed value reads
  // back (found by fuzz_query_parser: a canonical eps=9e-115 was refused).
  for (const double v : {9e-115, 5e-324, 1e21, -1.7976931348623157e308, 250.0, 0.1}) {
    const std::string text = format_number(v);
    EXPECT_EQ(text.find('e'), std::string::npos) << text;
    const auto back = parse_number("x", text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(*back, v) << text;
  }
}

}  // namespace
}  // namespace hotspot::engine
