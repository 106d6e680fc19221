#include "hotspot/http/log.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hotspot::http {
namespace {

TEST(EscapeForLog, PrintableAsciiIsKept) {
  EXPECT_EQ(escape_for_log("/api/incidents?limit=5&x=a b"), "/api/incidents?limit=5&x=a b");
  EXPECT_EQ(escape_for_log(""), "");
}

TEST(EscapeForLog, ControlBytesAndNewlinesAreEscaped) {
  EXPECT_EQ(escape_for_log("/x\nGET /forged 200"), "/x\\x0aGET /forged 200");
  EXPECT_EQ(escape_for_log("a\r\nb"), "a\\x0d\\x0ab");
  EXPECT_EQ(escape_for_log(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(escape_for_log("\x1b[31mred\t\x7f"), "\\x1b[31mred\\x09\\x7f");
}

TEST(EscapeForLog, BackslashIsDoubledSoEscapesAreUnambiguous) {
  EXPECT_EQ(escape_for_log("\\x0a"), "\\\\x0a");
}

TEST(EscapeForLog, ValidUtf8IsKept) {
  EXPECT_EQ(escape_for_log("/caf\xc3\xa9"), "/caf\xc3\xa9");        // é
  EXPECT_EQ(escape_for_log("\xe2\x82\xac"), "\xe2\x82\xac");          // €
  EXPECT_EQ(escape_for_log("\xf0\x9f\x97\xba"), "\xf0\x9f\x97\xba");  // a map emoji
}

TEST(EscapeForLog, InvalidUtf8IsEscapedByteByByte) {
  EXPECT_EQ(escape_for_log("\xff"), "\\xff");
  EXPECT_EQ(escape_for_log("a\xc3"), "a\\xc3");                  // truncated
  EXPECT_EQ(escape_for_log("\xc3("), "\\xc3(");                  // bad continuation
  EXPECT_EQ(escape_for_log("\xc0\xaf"), "\\xc0\\xaf");            // overlong '/'
  EXPECT_EQ(escape_for_log("\xe0\x80\x8a"), "\\xe0\\x80\\x8a");  // overlong '\n'
  EXPECT_EQ(escape_for_log("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_EQ(escape_for_log("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // over U+10FFFF
}

TEST(EscapeForLog, UnicodeControlsAndLineSeparatorsAreEscaped) {
  EXPECT_EQ(escape_for_log("\xc2\x85"), "\\xc2\\x85");          // NEL (C1)
  EXPECT_EQ(escape_for_log("\xe2\x80\xa8"), "\\xe2\\x80\\xa8");  // U+2028
  EXPECT_EQ(escape_for_log("\xe2\x80\xa9"), "\\xe2\\x80\\xa9");  // U+2029
}

}  // namespace
}  // namespace hotspot::http
