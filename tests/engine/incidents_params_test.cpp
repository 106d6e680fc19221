// engine::IncidentsParams (/api/incidents) against plain structs: parsing,
// the values it refuses, and run()'s page [begin, end) of the selection on
// the fixture's snapshot.

#include "hotspot/engine/incidents.hpp"

#include "snapshot_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace hotspot::engine {
namespace {

using namespace fixture;

TEST(IncidentsParams, ParsesLimitAndOffset) {
  const auto d = parsed<IncidentsParams>({});
  EXPECT_EQ(d.limit, IncidentsParams::kDefaultLimit);
  EXPECT_EQ(d.offset, 0u);

  const auto p = parsed<IncidentsParams>({{"limit", "10000"}, {"offset", "25"}});
  EXPECT_EQ(p.limit, 10000u);
  EXPECT_EQ(p.offset, 25u);
}

TEST(IncidentsParams, RefusesInvalidValuesNamingTheParameter) {
  expect_refused<IncidentsParams>("limit", {"0", "10001", "-1", "ten"});
  expect_refused<IncidentsParams>("offset", {"-1", "1.5", "99999999999"});
  EXPECT_TRUE(refuses(parse<IncidentsParams>({{"from", "2024-03-02"}, {"to", "2024-03-01"}}),
                      "from"));
  EXPECT_TRUE(refuses(parse<IncidentsParams>({{"scope", "everywhere"}, {"buffer", "100"}}),
                      "buffer"));
  // A struct built in code: validate() holds the same limit rule.
  IncidentsParams p;
  p.limit = 0;
  ASSERT_TRUE(p.validate());
  EXPECT_NE(p.validate()->message.find("'limit'"), std::string::npos);
}

TEST(IncidentsRun, PagesThroughTheSelection) {
  struct Case {
    const char* limit;
    const char* offset;
    std::size_t begin, end;
  };
  // 16 rows selected.
  for (const Case& c : {Case{"5", "0", 0, 5}, Case{"5", "5", 5, 10}, Case{"5", "14", 14, 16},
                        Case{"1", "15", 15, 16}, Case{"5", "16", 16, 16}, Case{"5", "40", 16, 16},
                        Case{"10000", "0", 0, 16}}) {
    auto r = parse_and_run<IncidentsParams>({{"limit", c.limit}, {"offset", c.offset}});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->selection.rows.size(), 16u);
    EXPECT_EQ(r->begin, c.begin) << c.limit << " " << c.offset;
    EXPECT_EQ(r->end, c.end) << c.limit << " " << c.offset;
  }
}

TEST(IncidentsRun, PagesOfAFilteredSelection) {
  // Friday and Saturday nights 20:00-04:00: a0 (Fri 22:00), a1 (Sat 23:30),
  // a2 (Fri 21:00), a3 (Sat 22:15), a4 (Fri 01:30 = Thursday night, out),
  // b3 (Sat 23:00), c2 (Sat 21:00); n0 (Sun 02:00 = Saturday night).
  auto r = parse_and_run<IncidentsParams>({{"days", "fri,sat"}, {"window", "20:00-04:00"},
                                           {"limit", "3"}, {"offset", "6"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->selection.rows, rows_of({"a0", "a1", "a2", "a3", "b3", "c2", "n0"}));
  EXPECT_EQ(r->begin, 6u);
  EXPECT_EQ(r->end, 7u);
  EXPECT_EQ(r->selection.considered, 16u);

  // Town centres only, by the table's join: TC-A and TC-B rows.
  auto rt = parse_and_run<IncidentsParams>({{"scope", "town-centres"}});
  ASSERT_TRUE(rt) << rt.error().message;
  EXPECT_EQ(rt->selection.rows,
            rows_where([](const Incident& i) { return i.centre != kNoCentre; }));
  EXPECT_EQ(rt->end, 10u);

  // Within 150 m of a town centre: the same rows. The nearest of the rest
  // is n3 (100,900), 509.9 m from TC-A's corner (200,400); n1 is 707 m from
  // TC-B, c0..c2 900 m and more.
  auto rb = parse_and_run<IncidentsParams>({{"scope", "buffer"}, {"buffer", "150"}});
  ASSERT_TRUE(rb) << rb.error().message;
  EXPECT_EQ(rb->selection.rows, rt->selection.rows);
  // 510 m reaches n3 (sqrt(100^2 + 500^2) = 509.9 m), and nothing else.
  auto rw = parse_and_run<IncidentsParams>({{"scope", "buffer"}, {"buffer", "510"}});
  ASSERT_TRUE(rw) << rw.error().message;
  auto want = rt->selection.rows;
  want.push_back(row_of("n3"));
  std::sort(want.begin(), want.end());
  EXPECT_EQ(rw->selection.rows, want);
}

}  // namespace
}  // namespace hotspot::engine
