#include "hotspot/http/json_writer.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace hotspot::http {
namespace {

TEST(JsonWriter, NumbersAreFixedTrimmedAndFinite) {
  JsonWriter w;
  w.number(1.23456789, 6).raw(" ").number(2.0, 6).raw(" ").number(-0.0000001, 6).raw(" ");
  w.number(std::numeric_limits<double>::quiet_NaN(), 6).raw(" ");
  w.number(std::numeric_limits<double>::infinity(), 3).raw(" ").number(-1.5, 0).raw(" ");
  w.integer(-42);
  EXPECT_EQ(w.text(), "1.234568 2 0 null null -2 -42");
}

TEST(JsonWriter, StringsAreEscapedAndValidUtf8) {
  const std::string nasty = std::string("q\"b\\n\n\t\x01 caf\xC3\xA9 bad\xFF end");
  const std::string quoted = json_quote(nasty);
  // The result parses back (strictly) to the same text with U+FFFD for the bad byte.
  const auto back = nlohmann::json::parse(quoted);
  EXPECT_EQ(back.get<std::string>(),
            std::string("q\"b\\n\n\t\x01 caf\xC3\xA9 bad\xEF\xBF\xBD end"));
  // Overlong encodings and lone surrogates are not UTF-8 either.
  EXPECT_EQ(nlohmann::json::parse(json_quote("\xC0\xAF")).get<std::string>(),
            "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(nlohmann::json::parse(json_quote("\xED\xA0\x80")).get<std::string>(),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(JsonWriter, PolygonAndMultiPolygonGeometry) {
  //  (0,1)+----+(1,1)     one square, exterior counter-clockwise
  //       |    |
  //  (0,0)+----+(1,0)
  const geo::Ring square{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}};
  JsonWriter one;
  write_polygon_geometry(one, {{square}});
  const auto polygon = nlohmann::json::parse(one.text());
  EXPECT_EQ(polygon["type"], "Polygon");
  ASSERT_EQ(polygon["coordinates"].size(), 1u);
  EXPECT_EQ(polygon["coordinates"][0].size(), 5u);
  EXPECT_EQ(polygon["coordinates"][0][2], nlohmann::json::parse("[1,1]"));

  JsonWriter two;
  write_polygon_geometry(two, {{square}, {square}});
  const auto multi = nlohmann::json::parse(two.text());
  EXPECT_EQ(multi["type"], "MultiPolygon");
  EXPECT_EQ(multi["coordinates"].size(), 2u);
  EXPECT_EQ(multi["coordinates"][1][0][1], nlohmann::json::parse("[1,0]"));
}

}  // namespace
}  // namespace hotspot::http
