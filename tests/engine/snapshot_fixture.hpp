#pragma once
// A small hand-built data::Snapshot for the engine tests: four square wards,
// two square town centres and sixteen incidents whose every column is
// written directly (table_fixture's rows), joined to the layers with
// data::join_areas. Each incident also carries the ward and town centre the
// picture below puts it in, so a test's expectation comes from the picture,
// never from the code under test.
//
//  Coordinates in metres east and north of (420000, 540000), EPSG:27700.
//
//   2000 +------------------------+------------------------+
//        |                        |                        |
//        |  W1          n1        |  W2   +-----------+    |
//        |              (700,1700)|       | TC-B b2 b3|    |
//        |                        |       |      b0 b1|    |
//        |                        |       +-----------+    |
//   1000 +------------------------+------------------------+
//        | n3 (100,900)           |  W3                    |
//        |                        |                        |
//        |  +-----------+         |                        |
//        |  | TC-A   n0 |         |     c2                 |
//        |  |   a2      |         |   c0 c1  (1500,500)    |
//        |  | a3 a0 a1  |         |                        |
//        |  |   a4      |         |                        |
//        |  +-----------+         |                   n2   |
//      0 +------------------------+------------------------+
//        0                       1000                     2000
//
//   a0 (300,300); a1 a2 a3 a4 20 m east, north, west, south of it; n0 (380,380)
//   b0 (1500,1500), b1 (1530,1500), b2 (1500,1530), b3 (1530,1530)
//   c0 (1500,500), c1 (1520,500), c2 (1510,520); n2 (1900,100)
//   TC-A: 200..400 x 200..400      TC-B: 1400..1600 x 1400..1600
//
// With eps = 50 m and min_points = 3, DBSCAN finds three clusters:
//   A = a0..a4 (5 points, all core), B = b0..b3 (4), C = c0..c2 (3);
//   n0..n3 are noise (n0 is 100 m from a1 and a2, the nearest).
// Dates: 2024-03-01 is a Friday. Period A below is 2024-03-01..03-14,
// period B 2024-03-15..03-28: cluster B happens only in period A, cluster C
// only in period B, n3 (2024-04-15) in neither.

#include "../analysis/table_fixture.hpp"

#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/query.hpp"
#include "hotspot/geo/geos.hpp"
#include "hotspot/geo/polygon_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace hotspot::engine::fixture {

using analysis::table_fixture::day;
using analysis::table_fixture::hm;
using data::Category;

inline constexpr double kX0 = 420000;
inline constexpr double kY0 = 540000;

// Layer indices in the picture.
enum Ward : std::int32_t { W0, W1, W2, W3 };
enum Centre : std::int32_t { TC_A, TC_B, kNoCentre = data::kNoArea };

struct Incident {
  const char* name;  // a0, b1, ... as in the picture
  double dx, dy;     // metres from (kX0, kY0)
  int year;
  unsigned month, dom;
  int hour, minute;
  Category category;
  Ward ward;          // from the picture
  std::int32_t centre;  // from the picture
};

// Table row i is kIncidents[i].
inline const std::vector<Incident> kIncidents{
    // cluster A, in TC-A and W0; three rows in period A, two in period B
    {"a0", 300, 300, 2024, 3, 1, 22, 0, Category::violence, W0, TC_A},
    {"a1", 320, 300, 2024, 3, 2, 23, 30, Category::violence, W0, TC_A},
    {"a2", 300, 320, 2024, 3, 8, 21, 0, Category::criminal_damage, W0, TC_A},
    {"a3", 280, 300, 2024, 3, 16, 22, 15, Category::violence, W0, TC_A},
    {"a4", 300, 280, 2024, 3, 22, 1, 30, Category::public_order, W0, TC_A},
    // cluster B, in TC-B and W2; period A only
    {"b0", 1500, 1500, 2024, 3, 5, 12, 0, Category::asb, W2, TC_B},
    {"b1", 1530, 1500, 2024, 3, 6, 13, 0, Category::asb, W2, TC_B},
    {"b2", 1500, 1530, 2024, 3, 7, 14, 0, Category::other, W2, TC_B},
    {"b3", 1530, 1530, 2024, 3, 9, 23, 0, Category::violence, W2, TC_B},
    // cluster C, in W3 and no town centre; period B only
    {"c0", 1500, 500, 2024, 3, 20, 20, 0, Category::violence, W3, kNoCentre},
    {"c1", 1520, 500, 2024, 3, 21, 20, 30, Category::violence, W3, kNoCentre},
    {"c2", 1510, 520, 2024, 3, 23, 21, 0, Category::violence, W3, kNoCentre},
    // noise
    {"n0", 380, 380, 2024, 3, 10, 2, 0, Category::violence, W0, TC_A},
    {"n1", 700, 1700, 2024, 3, 12, 10, 0, Category::other, W1, kNoCentre},
    {"n2", 1900, 100, 2024, 3, 25, 19, 0, Category::criminal_damage, W3, kNoCentre},
    {"n3", 100, 900, 2024, 4, 15, 22, 0, Category::violence, W0, kNoCentre},
};

inline std::uint32_t row_of(const std::string& name) {
  for (std::size_t i = 0; i < kIncidents.size(); ++i) {
    if (name == kIncidents[i].name) return static_cast<std::uint32_t>(i);
  }
  ADD_FAILURE() << "no incident " << name;
  return 0;
}

// Rows of the named incidents, ascending.
inline std::vector<std::uint32_t> rows_of(std::initializer_list<const char*> names) {
  std::vector<std::uint32_t> rows;
  for (const char* n : names) rows.push_back(row_of(n));
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Rows of kIncidents for which `keep` is true, ascending.
template <typename Keep>
std::vector<std::uint32_t> rows_where(Keep keep) {
  std::vector<std::uint32_t> rows;
  for (std::size_t i = 0; i < kIncidents.size(); ++i) {
    if (keep(kIncidents[i])) rows.push_back(static_cast<std::uint32_t>(i));
  }
  return rows;
}

inline std::int32_t day_of(const Incident& i) { return day(i.year, i.month, i.dom); }

// A layer of axis-aligned squares (x0, y0, x1, y1 relative to kX0, kY0),
// finished the way load_boundaries finishes one: areas, envelopes, extent
// and the polygon index.
inline std::shared_ptr<data::BoundaryLayer> square_layer(
    const std::string& kind, const std::vector<std::string>& ids,
    const std::vector<std::array<double, 4>>& squares) {
  auto layer = std::make_shared<data::BoundaryLayer>();
  layer->kind = kind;
  for (std::size_t i = 0; i < squares.size(); ++i) {
    const auto [x0, y0, x1, y1] = squares[i];
    const geo::Ring ring{{kX0 + x0, kY0 + y0},
                         {kX0 + x1, kY0 + y0},
                         {kX0 + x1, kY0 + y1},
                         {kX0 + x0, kY0 + y1},
                         {kX0 + x0, kY0 + y0}};
    layer->ids.push_back(ids[i]);
    layer->names.push_back(kind + " " + ids[i]);
    layer->properties.emplace_back();
    layer->geometries.push_back(geo::make_multipolygon({{ring}}));
    layer->area_m2.push_back(geo::area(layer->geometries.back().get()));
    layer->envelopes.push_back(geo::envelope(layer->geometries.back().get()));
    layer->extent.expand(layer->envelopes.back());
  }
  std::vector<const GEOSGeom_t*> raw;
  for (const auto& g : layer->geometries) raw.push_back(g.get());
  layer->index = std::make_unique<geo::PolygonIndex>(std::move(raw));
  return layer;
}

inline std::shared_ptr<const data::Snapshot> make_snapshot() {
  auto wards = square_layer("wards", {"W0", "W1", "W2", "W3"},
                            {{0, 0, 1000, 1000},
                             {0, 1000, 1000, 2000},
                             {1000, 1000, 2000, 2000},
                             {1000, 0, 2000, 1000}});
  auto centres = square_layer("town-centres", {"TC-A", "TC-B"},
                              {{200, 200, 400, 400}, {1400, 1400, 1600, 1600}});
  auto table = std::make_shared<data::IncidentTable>();
  for (const Incident& i : kIncidents) {
    analysis::table_fixture::Row r;
    r.x = kX0 + i.dx;
    r.y = kY0 + i.dy;
    r.day = day_of(i);
    r.minute = hm(i.hour, i.minute);
    r.category = i.category;
    analysis::table_fixture::add_row(*table, r);
  }
  data::join_areas(*table, *wards, *centres, 1);
  auto snapshot = std::make_shared<data::Snapshot>();
  snapshot->wards = std::move(wards);
  snapshot->town_centres = std::move(centres);
  snapshot->incidents = std::move(table);
  snapshot->version = "engine-fixture";
  return snapshot;
}

// One snapshot for a test binary (the layers' GEOS objects are read-only).
inline const data::Snapshot& snapshot() {
  static const std::shared_ptr<const data::Snapshot> s = make_snapshot();
  return *s;
}

// Query::parse over an endpoint's names, asserting the names are accepted.
inline Query query(const NameValues& pairs, std::span<const std::string_view> names) {
  auto q = Query::parse(pairs, names);
  EXPECT_TRUE(q) << q.error().message;
  return q ? *q : Query{};
}

// Params::parse of `pairs`; the error when it fails.
template <typename Params>
Expected<Params> parse(const NameValues& pairs) {
  return Params::parse(query(pairs, Params::names()), snapshot());
}

// Params::parse of `pairs`, which must succeed: a refusal fails the test
// (with its message) and gives default Params, as query() gives an empty Query.
template <typename Params>
Params parsed(const NameValues& pairs) {
  auto p = parse<Params>(pairs);
  EXPECT_TRUE(p) << "refused: " << p.error().message;
  return p ? *p : Params{};
}

// parse<Params>(pairs), then run() on the snapshot: the refusal when the
// parse fails, else what run() gives.
template <typename Params>
auto parse_and_run(const NameValues& pairs)
    -> decltype(run(snapshot(), std::declval<const Params&>())) {
  auto p = parse<Params>(pairs);
  if (!p) return p.error();
  return run(snapshot(), *p);
}

// The failure names `parameter` ("'eps'") and is invalid_parameter.
template <typename T>
::testing::AssertionResult refuses(const Expected<T>& got, const std::string& parameter) {
  if (got) return ::testing::AssertionFailure() << "accepted";
  if (got.error().code != ErrorCode::invalid_parameter) {
    return ::testing::AssertionFailure() << "code is not invalid_parameter: " << got.error().message;
  }
  if (got.error().message.find("'" + parameter + "'") == std::string::npos) {
    return ::testing::AssertionFailure() << "does not name '" << parameter
                                         << "': " << got.error().message;
  }
  return ::testing::AssertionSuccess();
}

// Each of `values` of `parameter`, after the pairs `with`, is refused naming
// `parameter`.
template <typename Params>
void expect_refused(const std::string& parameter, std::initializer_list<const char*> values,
                    const NameValues& with = {}) {
  for (const char* value : values) {
    NameValues pairs = with;
    pairs.emplace_back(parameter, value);
    EXPECT_TRUE(refuses(parse<Params>(pairs), parameter)) << parameter << "=" << value;
  }
}

}  // namespace hotspot::engine::fixture
