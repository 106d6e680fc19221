#include "hotspot/data/csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hotspot::data {
namespace {

struct Parsed {
  std::vector<std::vector<std::string>> records;
  std::vector<std::size_t> lines;
  std::size_t malformed = 0;
};

Parsed parse(std::string text) {
  Parsed out;
  CsvCursor cursor(std::span<char>(text.data(), text.size()));
  std::vector<std::string_view> fields;
  for (;;) {
    auto status = cursor.next(fields);
    if (status == CsvCursor::Status::end) break;
    if (status == CsvCursor::Status::malformed) {
      ++out.malformed;
      continue;
    }
    out.records.emplace_back(fields.begin(), fields.end());
    out.lines.push_back(cursor.record_line());
  }
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(Csv, PlainAndCrlfAndTrailingBlankLine) {
  auto p = parse("a,b,c\r\n1,2,3\r\n\r\n4,,6\n");
  EXPECT_EQ(p.records, (Rows{{"a", "b", "c"}, {"1", "2", "3"}, {"4", "", "6"}}));
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{1, 2, 4}));
  EXPECT_EQ(p.malformed, 0u);
}

TEST(Csv, QuotedFields) {
  auto p = parse("id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,\"\"\n5,x\n");
  EXPECT_EQ(p.records, (Rows{{"id", "text"}, {"1", "a, b"}, {"2", "say \"hi\""}, {"3", "two\nlines"},
                             {"4", ""}, {"5", "x"}}));
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{1, 2, 3, 4, 6, 7}));
}

TEST(Csv, QuotedFieldWithCrlf) {
  auto p = parse("\"a\"\r\n\"b\"\r\n");
  EXPECT_EQ(p.records, (Rows{{"a"}, {"b"}}));
}

TEST(Csv, NoFinalNewlineAndTrailingComma) {
  auto p = parse("a,b\n1,");
  EXPECT_EQ(p.records, (Rows{{"a", "b"}, {"1", ""}}));
}

TEST(Csv, MalformedQuotesAreReportedAndSkipped) {
  auto p = parse("a,b\n\"x\"y,1\n2,3\n\"unterminated,4\n5,6\n");
  EXPECT_EQ(p.records, (Rows{{"a", "b"}, {"2", "3"}}));
  EXPECT_EQ(p.malformed, 2u);  // text after a closing quote; unterminated quote eats the rest
}

TEST(Csv, BomIsStripped) {
  std::string text = "\xEF\xBB\xBFid,x\n";
  auto span = strip_bom(std::span<char>(text.data(), text.size()));
  EXPECT_EQ(std::string(span.data(), span.size()), "id,x\n");
}

TEST(Csv, NamesNormalise) {
  EXPECT_EQ(normalise_name("Crime ID"), "crimeid");
  EXPECT_EQ(normalise_name("occurred_at"), "occurredat");
  EXPECT_EQ(trim("  x \t"), "x");
}

}  // namespace
}  // namespace hotspot::data
