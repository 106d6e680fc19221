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
  auto d = parse<IncidentsParams>({});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->limit, IncidentsParams::kDefaultLimit);
  EXPECT_EQ(d->offset, 0u);

  auto p = parse<IncidentsParams>({{"limit", "10000"}, {"offset", "25"}});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->limit, 10000u);
  EXPECT_EQ(p->offset, 25u);
}

TEST(IncidentsParams, RefusesInvalidValuesNamingTheParameter) {
  EXPECT_TRUE(refuses(parse<IncidentsParams>({{"limit", "0"}}), "limit"));
  EXPECT_TRUE(refuses(parse<IncidentsParams>({{"limit", "10001"}}), "limit"));
  EXPECT_TRUE(refuses(parse<IncidentsParams>({{"limit", "-1"}}), "limit"));
  EXPECT_TRUE(refuses(parse<IncidentsParams>({{"limit", "ten"}}), "limit"));
  EXPECT_TRUE(refuses(parse<IncidentsParams>({{"offset", "-1"}}), "offset"));
  EXPECT_TRUE(refuses(parse<IncidentsParams>({{"offset", "1.5"}}), "offset"));
  EXPECT_TRUE(refuses(parse<IncidentsParams>({{"offset", "99999999999"}}), "offset"));
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
    auto p = parse<IncidentsParams>({{"limit", c.limit}, {"offset", c.offset}});
    ASSERT_TRUE(p) << p.error().message;
    auto r = run(snapshot(), *p);
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
  auto p = parse<IncidentsParams>({{"days", "fri,sat"}, {"window", "20:00-04:00"},
                                   {"limit", "3"}, {"offset", "6"}});
  ASSERT_TRUE(p) << p.error().message;
  auto r = run(snapshot(), *p);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->selection.rows, rows_of({"a0", "a1", "a2", "a3", "b3", "c2", "n0"}));
  EXPECT_EQ(r->begin, 6u);
  EXPECT_EQ(r->end, 7u);
  EXPECT_EQ(r->selection.considered, 16u);

  // Town centres only, by the table's join: TC-A and TC-B rows.
  auto tc = parse<IncidentsParams>({{"scope", "town-centres"}});
  ASSERT_TRUE(tc) << tc.error().message;
  auto rt = run(snapshot(), *tc);
  ASSERT_TRUE(rt) << rt.error().message;
  EXPECT_EQ(rt->selection.rows,
            rows_where([](const Incident& i) { return i.centre != kNoCentre; }));
  EXPECT_EQ(rt->end, 10u);

  // Within 150 m of a town centre: the same rows. The nearest of the rest
  // is n3 (100,900), 509.9 m from TC-A's corner (200,400); n1 is 707 m from
  // TC-B, c0..c2 900 m and more.
  auto buffer = parse<IncidentsParams>({{"scope", "buffer"}, {"buffer", "150"}});
  ASSERT_TRUE(buffer) << buffer.error().message;
  auto rb = run(snapshot(), *buffer);
  ASSERT_TRUE(rb) << rb.error().message;
  EXPECT_EQ(rb->selection.rows, rt->selection.rows);
  // 510 m reaches n3 (sqrt(100^2 + 500^2) = 509.9 m), and nothing else.
  auto wide = parse<IncidentsParams>({{"scope", "buffer"}, {"buffer", "510"}});
  ASSERT_TRUE(wide) << wide.error().message;
  auto rw = run(snapshot(), *wide);
  ASSERT_TRUE(rw) << rw.error().message;
  auto want = rt->selection.rows;
  want.push_back(row_of("n3"));
  std::sort(want.begin(), want.end());
  EXPECT_EQ(rw->selection.rows, want);
}

}  // namespace
}  // namespace hotspot::engine
