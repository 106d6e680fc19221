// engine::AreaStatsParams (/api/stats/wards, /api/stats/town-centres)
// against plain structs: parsing, the values it refuses, and run() per ward
// and per town centre on the fixture's snapshot, counted from the picture.
// First, the fixture itself: its join agrees with the picture.

#include "hotspot/engine/area_stats.hpp"

#include "snapshot_fixture.hpp"

#include <gtest/gtest.h>

namespace hotspot::engine {
namespace {

using namespace fixture;

TEST(EngineFixture, JoinAgreesWithThePicture) {
  const data::Snapshot& s = snapshot();
  ASSERT_EQ(s.incidents->size(), kIncidents.size());
  ASSERT_EQ(s.wards->size(), 4u);
  ASSERT_EQ(s.town_centres->size(), 2u);
  for (std::size_t i = 0; i < kIncidents.size(); ++i) {
    EXPECT_EQ(s.incidents->ward[i], kIncidents[i].ward) << kIncidents[i].name;
    EXPECT_EQ(s.incidents->town_centre[i], kIncidents[i].centre) << kIncidents[i].name;
  }
  EXPECT_DOUBLE_EQ(s.wards->extent.min_x, kX0);
  EXPECT_DOUBLE_EQ(s.wards->extent.max_y, kY0 + 2000);
  EXPECT_NEAR(s.town_centres->area_m2[TC_A], 40000, 1e-6);
}

TEST(AreaStatsParams, ParsesTheSelectionAndTakesTheLayer) {
  auto p = AreaStatsParams::parse(query({{"ward", "W1,W3"}, {"category", "other"}},
                                        AreaStatsParams::names()),
                                  snapshot(), AreaLayer::town_centres);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->layer, AreaLayer::town_centres);
  EXPECT_EQ(p->selection.filter.wards, (std::vector<std::int32_t>{W1, W3}));
  EXPECT_EQ(p->selection.filter.categories, 1u << unsigned(Category::other));
  EXPECT_EQ(&layer_of(snapshot(), p->layer), snapshot().town_centres.get());
  EXPECT_EQ(&layer_of(snapshot(), AreaLayer::wards), snapshot().wards.get());
}

TEST(AreaStatsParams, RefusesInvalidSelectionsNamingTheParameter) {
  const auto parse_wards = [](const NameValues& pairs) {
    return AreaStatsParams::parse(query(pairs, AreaStatsParams::names()), snapshot(),
                                  AreaLayer::wards);
  };
  EXPECT_TRUE(refuses(parse_wards({{"ward", "W0,W9"}}), "ward"));
  EXPECT_TRUE(refuses(parse_wards({{"ward", "W0,,W1"}}), "ward"));
  EXPECT_TRUE(refuses(parse_wards({{"from", "2024-03-31"}, {"to", "2024-03-01"}}), "from"));
  EXPECT_TRUE(refuses(parse_wards({{"buffer", "100"}}), "buffer"));
  EXPECT_TRUE(refuses(parse_wards({{"scope", "buffer"}, {"buffer", "-1"}}), "buffer"));
  EXPECT_TRUE(refuses(parse_wards({{"scope", "near"}}), "scope"));
  EXPECT_TRUE(refuses(parse_wards({{"window", "20:00"}}), "window"));
  EXPECT_TRUE(refuses(parse_wards({{"window", "25:00-04:00"}}), "window"));
  EXPECT_TRUE(refuses(parse_wards({{"days", ""}}), "days"));
  EXPECT_TRUE(refuses(parse_wards({{"to", "2024-02-30"}}), "to"));
  EXPECT_TRUE(refuses(parse_wards({{"bbox", "-1.5,54.8,-1.6,54.9"}}), "bbox"));
}

TEST(AreaStatsRun, PerWardFromThePicture) {
  auto p = AreaStatsParams::parse(query({}, AreaStatsParams::names()), snapshot(), AreaLayer::wards);
  ASSERT_TRUE(p) << p.error().message;
  auto r = run(snapshot(), *p);
  ASSERT_TRUE(r) << r.error().message;
  const analysis::AreaStats& s = r->stats;
  EXPECT_EQ(s.selected, 16u);
  EXPECT_EQ(s.outside, 0u);
  ASSERT_EQ(s.areas.size(), 4u);
  for (std::int32_t w = 0; w < 4; ++w) {
    const analysis::AreaCounts& a = s.areas[std::size_t(w)];
    EXPECT_EQ(a.area, w);
    EXPECT_EQ(a.id, "W" + std::to_string(w));
    std::array<std::size_t, data::kCategoryCount> by_category{};
    std::size_t total = 0;
    for (const Incident& i : kIncidents) {
      if (i.ward != w) continue;
      by_category[std::size_t(i.category)] += 1;
      total += 1;
    }
    EXPECT_EQ(a.by_category, by_category) << w;
    EXPECT_EQ(a.total, total) << w;
    EXPECT_NEAR(a.area_km2, 1, 1e-9);
    EXPECT_NEAR(a.per_km2, double(total), 1e-9);
    EXPECT_FALSE(a.population.has_value());
  }
  // Written out: W0 7, W1 1, W2 4, W3 4.
  EXPECT_EQ(s.areas[W0].total, 7u);
  EXPECT_EQ(s.areas[W1].total, 1u);
  EXPECT_EQ(s.areas[W2].total, 4u);
  EXPECT_EQ(s.areas[W3].total, 4u);
}

TEST(AreaStatsRun, PerTownCentreWithASelectionAndPopulation) {
  auto p = AreaStatsParams::parse(query({{"category", "violence,criminal_damage"}},
                                        AreaStatsParams::names()),
                                  snapshot(), AreaLayer::town_centres);
  ASSERT_TRUE(p) << p.error().message;
  // Residents come with the snapshot, as --population loads them.
  data::PopulationTable population;
  population.by_id = {{"TC-A", 2000}, {"TC-Q", 5}};
  data::Populations populations;
  populations.town_centres = data::LayerPopulation{"town-centres.csv", population, "", 0};
  data::Snapshot with_population = snapshot();
  with_population.populations = std::make_shared<const data::Populations>(populations);
  auto r = run(with_population, *p);
  ASSERT_TRUE(r) << r.error().message;
  const analysis::AreaStats& s = r->stats;
  // Violence and criminal damage: a0 a1 a2 a3 n0 in TC-A; b3 in TC-B;
  // c0 c1 c2 n2 n3 in no town centre.
  EXPECT_EQ(s.selected, 11u);
  EXPECT_EQ(s.outside, 5u);
  ASSERT_EQ(s.areas.size(), 2u);
  const analysis::AreaCounts& a = s.areas[TC_A];
  EXPECT_EQ(a.total, 5u);
  EXPECT_EQ(a.by_category[std::size_t(Category::violence)], 4u);
  EXPECT_EQ(a.by_category[std::size_t(Category::criminal_damage)], 1u);
  EXPECT_NEAR(a.area_km2, 0.04, 1e-12);
  EXPECT_NEAR(a.per_km2, 5 / 0.04, 1e-9);
  ASSERT_TRUE(a.per_1000.has_value());
  EXPECT_NEAR(*a.per_1000, 5 * 1000.0 / 2000, 1e-12);
  EXPECT_EQ(s.areas[TC_B].total, 1u);
  EXPECT_FALSE(s.areas[TC_B].population.has_value());
  EXPECT_EQ(s.missing_population, (std::vector<std::string>{"TC-B"}));
  EXPECT_EQ(s.unused_population, (std::vector<std::string>{"TC-Q"}));
}

TEST(AreaStatsRun, WardFilterAndDates) {
  // Wards W2 and W3 in period B only (2024-03-15..28): c0 c1 c2 n2.
  auto p = AreaStatsParams::parse(query({{"ward", "W2,W3"}, {"from", "2024-03-15"},
                                         {"to", "2024-03-28"}},
                                        AreaStatsParams::names()),
                                  snapshot(), AreaLayer::wards);
  ASSERT_TRUE(p) << p.error().message;
  auto r = run(snapshot(), *p);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->selection.rows, rows_of({"c0", "c1", "c2", "n2"}));
  EXPECT_EQ(r->stats.areas[W0].total, 0u);
  EXPECT_EQ(r->stats.areas[W2].total, 0u);
  EXPECT_EQ(r->stats.areas[W3].total, 4u);
  EXPECT_EQ(r->stats.areas[W3].by_category[std::size_t(Category::criminal_damage)], 1u);
}

}  // namespace
}  // namespace hotspot::engine
