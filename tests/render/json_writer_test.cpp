#include "hotspot/render/json_writer.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace hotspot::render {
namespace {

TEST(JsonWriter, NumbersAreFixedTrimmedAndFinite) {
  JsonWriter w;
  w.begin_array().number(1.23456789, 6).number(2.0, 6).number(-0.0000001, 6);
  w.number(std::numeric_limits<double>::quiet_NaN(), 6);
  w.number(std::numeric_limits<double>::infinity(), 3).number(-1.5, 0).integer(-42);
  w.real(0.1).real(std::numeric_limits<double>::infinity()).end_array();
  EXPECT_EQ(w.text(), "[1.234568,2,0,null,null,-2,-42,0.1,null]");
}

TEST(JsonWriter, PlacesItsOwnCommas) {
  JsonWriter w;
  w.begin_object().key("a").integer(1).key("b").begin_array();
  w.begin_object().end_object().begin_array().end_array().null().boolean(true);
  w.end_array().key("c").json(R"({"x":[1,2]})").key("d").lonlat(-1.5, 54.25).end_object();
  EXPECT_EQ(w.text(), R"({"a":1,"b":[{},[],null,true],"c":{"x":[1,2]},"d":[-1.5,54.25]})");
  EXPECT_TRUE(nlohmann::json::accept(w.text()));
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
  JsonWriter w;
  w.begin_object().key("k\"").string(nasty).end_object();
  EXPECT_EQ(nlohmann::json::parse(w.text())["k\""], back);
}

}  // namespace
}  // namespace hotspot::render
