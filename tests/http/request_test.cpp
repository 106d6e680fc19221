#include "hotspot/http/request.hpp"

#include <gtest/gtest.h>

namespace hotspot::http {
namespace {

TEST(PercentDecode, DecodesEscapesAndPlus) {
  EXPECT_EQ(*percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(*percent_decode("a%20b+c", false), "a b+c");
  EXPECT_EQ(*percent_decode("%2C%2c%41", true), ",,A");
  EXPECT_EQ(*percent_decode("%C3%A9", true), "\xC3\xA9");
  EXPECT_EQ(*percent_decode("", true), "");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  for (const char* bad : {"%", "%2", "a%2", "%G0", "%0G", "%%", "%-1", "% 1", "%00"}) {
    auto decoded = percent_decode(bad, true);
    ASSERT_FALSE(decoded) << bad;
    EXPECT_EQ(decoded.error().code, ErrorCode::invalid_parameter) << bad;
  }
}

TEST(QueryString, SplitsDecodesAndKeepsDuplicates) {
  auto pairs = parse_query_string("a=1&b=x%2By+z&&c&a=2&d=");
  ASSERT_TRUE(pairs);
  using P = std::pair<std::string, std::string>;
  const std::vector<P> expected{{"a", "1"}, {"b", "x+y z"}, {"c", ""}, {"a", "2"}, {"d", ""}};
  EXPECT_EQ(*pairs, expected);
  EXPECT_FALSE(parse_query_string("a=%zz"));
  EXPECT_FALSE(parse_query_string("%=1"));
}

TEST(MakeRequest, SplitsPathQueryAndFragment) {
  auto r = make_request("GET", "/api/x%20y?limit=5#top");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->path, "/api/x y");
  ASSERT_EQ(r->query.size(), 1u);
  EXPECT_EQ(r->query[0].second, "5");
  // '+' in a path is a plus, not a space.
  EXPECT_EQ(make_request("GET", "/a+b")->path, "/a+b");
  EXPECT_FALSE(make_request("GET", "/a%2"));
}

}  // namespace
}  // namespace hotspot::http
