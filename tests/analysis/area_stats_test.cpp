#include "hotspot/analysis/area_stats.hpp"

#include "table_fixture.hpp"

#include "hotspot/data/snapshot.hpp"
#include "hotspot/geo/geos.hpp"
#include "hotspot/geo/polygon_index.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>

namespace hotspot::analysis {
namespace {

using data::Category;
using table_fixture::add_row;
using table_fixture::Row;

//   y
//  2000 +---------+---------+
//       |         |         |
//       |   W1    |   W2    |      W0: 0..2000 x 0..1000 (2 km²)
//  1000 +---------+---------+      W1: 0..1000 x 1000..2000 (1 km²)
//       |        W0         |      W2: 1000..2000 x 1000..2000 with a
//     0 +-------------------+          500 m square hole at its centre
//       0       1000      2000 x
data::BoundaryLayer three_wards() {
  data::BoundaryLayer layer;
  layer.kind = "wards";
  const auto square = [](double x0, double y0, double x1, double y1) {
    return geo::Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
  };
  const std::vector<geo::MultiPolygonRings> parts = {
      {{square(0, 0, 2000, 1000)}},
      {{square(0, 1000, 1000, 2000)}},
      {{square(1000, 1000, 2000, 2000), square(1250, 1250, 1750, 1750)}},
  };
  for (std::size_t i = 0; i < parts.size(); ++i) {
    layer.ids.push_back("W" + std::to_string(i));
    layer.names.push_back("Ward " + std::to_string(i));
    layer.geometries.push_back(geo::make_multipolygon(parts[i]));
    layer.area_m2.push_back(geo::area(layer.geometries.back().get()));
  }
  std::vector<const GEOSGeom_t*> raw;
  for (const auto& g : layer.geometries) raw.push_back(g.get());
  layer.index = std::make_unique<geo::PolygonIndex>(raw);
  return layer;
}

TEST(AreaStats, CountsMatchBruteForceGeosContainment) {
  const data::BoundaryLayer wards = three_wards();
  ASSERT_EQ(wards.size(), 3u);
  EXPECT_NEAR(wards.area_m2[2], 1e6 - 0.25e6, 1e-6);

  std::vector<const GEOSGeom_t*> raw;
  for (const auto& g : wards.geometries) raw.push_back(g.get());
  std::mt19937 rng(11);
  data::IncidentTable t;
  for (int i = 0; i < 3000; ++i) {
    Row r;
    r.x = std::uniform_real_distribution<double>(-200, 2200)(rng);
    r.y = std::uniform_real_distribution<double>(-200, 2200)(rng);
    r.category = static_cast<Category>(rng() % 5);
    r.ward = geo::locate_brute_force(raw, {r.x, r.y});
    add_row(t, r);
  }
  // The table's join and the layer's own index agree with brute force.
  EXPECT_EQ(locate_rows(t, wards, 2), t.ward);

  Selection s;
  for (std::uint32_t i = 0; i < t.size(); ++i)
    if (t.category[i] != Category::other) s.rows.push_back(i);

  PopulationTable pop;
  pop.by_id = {{"W0", 4000}, {"W1", 0}, {"W9", 10}};
  const AreaStats stats = ward_stats(t, s, wards, &pop);
  ASSERT_EQ(stats.areas.size(), 3u);

  // Brute force: every selected row tested against every polygon with GEOS.
  std::vector<std::array<std::size_t, 5>> want(3);
  std::size_t outside = 0;
  for (const std::uint32_t row : s.rows) {
    const std::int32_t w = geo::locate_brute_force(raw, t.point(row));
    if (w < 0) {
      ++outside;
      continue;
    }
    ++want[static_cast<std::size_t>(w)][static_cast<std::size_t>(t.category[row])];
  }
  std::size_t in_areas = 0;
  for (std::size_t a = 0; a < 3; ++a) {
    const AreaCounts& c = stats.areas[a];
    EXPECT_EQ(c.id, "W" + std::to_string(a));
    EXPECT_EQ(c.by_category, want[a]) << a;
    std::size_t total = 0;
    for (auto v : want[a]) total += v;
    EXPECT_EQ(c.total, total);
    EXPECT_EQ(c.by_category[static_cast<std::size_t>(Category::other)], 0u);
    EXPECT_NEAR(c.per_km2, static_cast<double>(total) / (wards.area_m2[a] / 1e6), 1e-9);
    in_areas += c.total;
  }
  EXPECT_EQ(stats.outside, outside);
  EXPECT_EQ(in_areas + stats.outside, s.rows.size());
  EXPECT_EQ(stats.selected, s.rows.size());
  EXPECT_NEAR(stats.areas[0].area_km2, 2.0, 1e-9);

  // Population: W0 has a rate, W1 has population 0 (no rate), W2 none at all.
  ASSERT_TRUE(stats.areas[0].per_1000.has_value());
  EXPECT_NEAR(*stats.areas[0].per_1000, 1000.0 * stats.areas[0].total / 4000.0, 1e-9);
  EXPECT_EQ(stats.areas[1].population, 0.0);
  EXPECT_FALSE(stats.areas[1].per_1000.has_value());
  EXPECT_FALSE(stats.areas[2].population.has_value());
  EXPECT_EQ(stats.missing_population, (std::vector<std::string>{"W2"}));
  EXPECT_EQ(stats.unused_population, (std::vector<std::string>{"W9"}));
}

TEST(AreaStats, TownCentreColumnAndOutOfRangeIndices) {
  const auto centres = table_fixture::ids_only_layer(2);
  data::IncidentTable t;
  add_row(t, Row{.town_centre = 0});
  add_row(t, Row{.town_centre = 1});
  add_row(t, Row{.town_centre = 1});
  add_row(t, Row{.town_centre = data::kNoArea});
  add_row(t, Row{.town_centre = 5});  // not in this layer: counted outside
  Selection s;
  s.rows = {0, 1, 2, 3, 4};
  const AreaStats stats = town_centre_stats(t, s, centres);
  EXPECT_EQ(stats.areas[0].total, 1u);
  EXPECT_EQ(stats.areas[1].total, 2u);
  EXPECT_EQ(stats.outside, 2u);
  EXPECT_TRUE(stats.missing_population.empty());
}

TEST(PopulationCsv, ParsesCommonShapes) {
  const auto t = parse_population_csv(
      "\xEF\xBB\xBFWD22CD,WD22NM,Population\r\nE05008776,Aycliffe East,5712\r\n"
      "\"E05008777\",\"Aycliffe North, and Middridge\",\"12,345\"\r\n\r\n",
      "pop.csv");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->by_id.size(), 2u);
  EXPECT_EQ(t->by_id.at("E05008776"), 5712);
  EXPECT_EQ(t->by_id.at("E05008777"), 12345);
  const auto simple = parse_population_csv("id,population\na,1.5\nb,0\n", "p");
  ASSERT_TRUE(simple);
  EXPECT_EQ(simple->by_id.at("a"), 1.5);
}

TEST(PopulationCsv, ErrorsNameTheLine) {
  const auto expect_error = [](std::string_view text, std::string_view fragment, ErrorCode code) {
    const auto t = parse_population_csv(text, "pop.csv");
    ASSERT_FALSE(t) << text;
    EXPECT_EQ(t.error().code, code);
    EXPECT_NE(t.error().message.find(fragment), std::string::npos) << t.error().message;
    EXPECT_NE(t.error().message.find("pop.csv"), std::string::npos);
  };
  expect_error("id,population\na,12\nb,abc\n", "line 3", ErrorCode::unreadable_input);
  expect_error("id,population\na,-4\n", "line 2", ErrorCode::unreadable_input);
  expect_error("id,population\na,4\na,5\n", "twice", ErrorCode::unreadable_input);
  expect_error("name,count\na,4\n", "header", ErrorCode::unreadable_input);
  expect_error("id,population\na\n", "line 2", ErrorCode::unreadable_input);
  expect_error("id,population\n\"a,4\n", "quote", ErrorCode::unreadable_input);
  expect_error("id,population\n,4\n", "empty id", ErrorCode::unreadable_input);
  expect_error("id,population\na,nan\n", "line 2", ErrorCode::unreadable_input);
  expect_error("", "empty", ErrorCode::empty_input);
  expect_error("id,population\n", "no population rows", ErrorCode::empty_input);
}

TEST(PopulationCsv, ReadsFilesAndReportsMissingOnes) {
  const std::string path = std::string(HOTSPOT_BINARY_DIR) + "/population_test.csv";
  {
    std::ofstream out(path);
    out << "code,population\nE1,100\nE2,200\n";
  }
  const auto t = read_population_csv(path);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->by_id.at("E2"), 200);
  std::remove(path.c_str());
  const auto missing = read_population_csv(path);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::unreadable_input);
  EXPECT_NE(missing.error().message.find(path), std::string::npos);
}

// County Durham's real ward boundaries (ONS) and the repository's town
// centres, loaded and joined by the data module; the per-ward counts and the
// town-centre scope are checked against GEOS containment row by row.
TEST(AreaStats, RealWardsAgainstBruteForce) {
  data::FileReport report;
  data::BoundaryOptions ward_options;
  ward_options.path = std::string(HOTSPOT_SHARED_DIR) + "/geodata/ons/wards-E06000047.json";
  auto wards = data::load_boundaries(ward_options, report);
  ASSERT_TRUE(wards) << wards.error().message;
  data::BoundaryOptions tc_options;
  tc_options.path = std::string(HOTSPOT_SOURCE_DIR) + "/geodata/town-centres.geojson";
  tc_options.kind = "town-centres";
  auto centres = data::load_boundaries(tc_options, report);
  ASSERT_TRUE(centres) << centres.error().message;
  ASSERT_GT(wards->size(), 50u);
  ASSERT_GT(centres->size(), 0u);

  // Points spread over the county, plus some placed inside each town centre.
  std::mt19937 rng(1);
  data::IncidentTable t;
  const geo::Box e = wards->extent;
  for (int i = 0; i < 1500; ++i) {
    add_row(t, Row{.x = std::uniform_real_distribution<double>(e.min_x, e.max_x)(rng),
                   .y = std::uniform_real_distribution<double>(e.min_y, e.max_y)(rng),
                   .category = static_cast<Category>(rng() % 5)});
  }
  for (const geo::Box& b : centres->envelopes) {
    for (int i = 0; i < 20; ++i) {
      add_row(t, Row{.x = std::uniform_real_distribution<double>(b.min_x, b.max_x)(rng),
                     .y = std::uniform_real_distribution<double>(b.min_y, b.max_y)(rng),
                     .category = static_cast<Category>(rng() % 5)});
    }
  }
  data::join_areas(t, *wards, *centres, 2);

  SelectionParams params;
  params.scope = Scope::town_centres;
  const Selection in_centres = select(t, *centres, params);
  params.scope = Scope::everywhere;
  const Selection all = select(t, *centres, params);
  ASSERT_EQ(all.rows.size(), t.size());

  std::vector<const GEOSGeom_t*> ward_geoms, centre_geoms;
  for (const auto& g : wards->geometries) ward_geoms.push_back(g.get());
  for (const auto& g : centres->geometries) centre_geoms.push_back(g.get());
  std::vector<std::size_t> want(wards->size(), 0);
  std::size_t outside = 0;
  std::vector<std::uint32_t> want_in_centres;
  for (std::uint32_t row = 0; row < t.size(); ++row) {
    const std::int32_t w = geo::locate_brute_force(ward_geoms, t.point(row));
    if (w < 0) ++outside; else ++want[static_cast<std::size_t>(w)];
    if (geo::locate_brute_force(centre_geoms, t.point(row)) >= 0) want_in_centres.push_back(row);
  }
  const AreaStats stats = ward_stats(t, all, *wards);
  for (std::size_t a = 0; a < wards->size(); ++a) {
    EXPECT_EQ(stats.areas[a].total, want[a]) << wards->ids[a];
    EXPECT_GT(stats.areas[a].area_km2, 0.0) << wards->ids[a];
  }
  EXPECT_EQ(stats.outside, outside);
  EXPECT_EQ(in_centres.rows, want_in_centres);
  EXPECT_FALSE(want_in_centres.empty());
}

}  // namespace
}  // namespace hotspot::analysis
