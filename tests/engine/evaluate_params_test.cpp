// engine::EvaluateParams (/api/evaluate) on the fixture's snapshot: what it
// refuses, its canonical form, and run() against scores computed here from
// the picture (DBSCAN) or from the KDE's definition evaluated cell by cell
// (kernel_density_at), never from the code under test.
//
//   train = period A: a0 a1 a2 b0 b1 b2 b3 n0 n1 (9)
//   test  = period B: a3 a4 c0 c1 c2 n2 (6)
//   the study area A: four 1 km wards, 4 km^2.

#include "hotspot/engine/evaluate.hpp"

#include "snapshot_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace hotspot::engine {
namespace {

using namespace fixture;

const NameValues kPeriods{{"train_from", "2024-03-01"},
                          {"train_to", "2024-03-14"},
                          {"test_from", "2024-03-15"},
                          {"test_to", "2024-03-28"}};

NameValues periods_and(NameValues more) {
  NameValues all = kPeriods;
  all.insert(all.end(), more.begin(), more.end());
  return all;
}

TEST(EvaluateParams, RefusesWhatCannotBeScored) {
  auto missing = parse<EvaluateParams>({{"train_from", "2024-03-01"}});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("train_to"), std::string::npos);
  auto overlap = parse<EvaluateParams>({{"train_from", "2024-03-01"},
                                        {"train_to", "2024-03-20"},
                                        {"test_from", "2024-03-15"},
                                        {"test_to", "2024-03-28"}});
  ASSERT_FALSE(overlap);
  EXPECT_NE(overlap.error().message.find("overlap"), std::string::npos);
  for (const char* bad : {"5,1", "0", "101", "1,,5", "x"}) {
    auto p = parse<EvaluateParams>(periods_and({{"coverage", bad}}));
    ASSERT_FALSE(p) << bad;
    EXPECT_NE(p.error().message.find("coverage"), std::string::npos) << bad;
  }
  EXPECT_FALSE(parse<EvaluateParams>(periods_and({{"method", "gistar"}, {"bandwidth", "300"}})));
  EXPECT_FALSE(parse<EvaluateParams>(periods_and({{"method", "kde"}, {"eps", "30"}})));
  EXPECT_FALSE(parse<EvaluateParams>(periods_and({{"method", "dbscan"}, {"coverage", "5"}})));
  EXPECT_FALSE(parse<EvaluateParams>(periods_and({{"method", "hexbin"}})));
}

TEST(EvaluateParams, CanonicalFormReadsBackToItself) {
  for (const NameValues& extra :
       {NameValues{}, NameValues{{"method", "gistar"}, {"coverage", "2,20"}, {"band", "500"}},
        NameValues{{"method", "dbscan"}, {"eps", "50"}, {"min_points", "3"}}}) {
    auto p = parse<EvaluateParams>(periods_and(extra));
    ASSERT_TRUE(p) << p.error().message;
    NameValues echo;
    for (const auto& [name, value] : p->canonical()) {
      if (!value.empty()) echo.emplace_back(name, value);
    }
    auto again = parse<EvaluateParams>(echo);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->canonical(), p->canonical());
  }
  auto defaults = parse<EvaluateParams>(kPeriods);
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->coverage, (std::vector<double>{1, 5, 10}));
}

// DBSCAN (eps 50, min_points 3) on period A: hull A' = triangle a0 a1 a2
// (200 m^2), hull B = square b0..b3 (900 m^2). Every training member is on
// its hull's boundary (inside, for the polygon index); n0 and n1 are not.
// No test incident is inside either hull: a3 and a4 lie west and south of
// the triangle.
TEST(Evaluate, DbscanHullsScoredFromThePicture) {
  auto p = parse<EvaluateParams>(periods_and({{"method", "dbscan"}, {"eps", "50"}, {"min_points", "3"}}));
  ASSERT_TRUE(p) << p.error().message;
  auto r = run(snapshot(), *p);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->scores.size(), 1u);
  const analysis::HotspotScore& s = r->scores[0];
  EXPECT_EQ(r->hulls.size(), 2u);
  EXPECT_DOUBLE_EQ(r->study_area_m2, 4e6);
  EXPECT_NEAR(s.area_m2, 1100, 1e-6);
  EXPECT_EQ(s.train_total, 9u);
  EXPECT_EQ(s.test_total, 6u);
  EXPECT_EQ(s.train_in, 7u);
  EXPECT_EQ(s.test_in, 0u);
  EXPECT_DOUBLE_EQ(s.hit_rate, 0);
  EXPECT_DOUBLE_EQ(s.rri, 0);
}

// KDE (cell 100, bandwidth 300) on period A, against the definition: every
// cell's density from kernel_density_at over the training points, ranked,
// and the test points counted into the chosen cells by their coordinates.
TEST(Evaluate, KdeTopCellsMatchTheDefinition) {
  auto p = parse<EvaluateParams>(periods_and({{"bandwidth", "300"}, {"coverage", "1,5,10,50"}}));
  ASSERT_TRUE(p) << p.error().message;
  auto r = run(snapshot(), *p);
  ASSERT_TRUE(r) << r.error().message;
  std::vector<double> train_x, train_y;
  std::vector<std::pair<double, double>> test;
  for (const Incident& i : kIncidents) {
    const std::int32_t d = day_of(i);
    if (d >= day(2024, 3, 1) && d <= day(2024, 3, 14)) {
      train_x.push_back(kX0 + i.dx);
      train_y.push_back(kY0 + i.dy);
    } else if (d >= day(2024, 3, 15) && d <= day(2024, 3, 28)) {
      test.emplace_back(i.dx, i.dy);
    }
  }
  // 20 x 20 cells of 100 m over the wards, origin (kX0, kY0).
  std::vector<double> density(400);
  for (int iy = 0; iy < 20; ++iy) {
    for (int ix = 0; ix < 20; ++ix) {
      density[iy * 20 + ix] = analysis::kernel_density_at(
          train_x, train_y, kX0 + (ix + 0.5) * 100, kY0 + (iy + 0.5) * 100, 300);
    }
  }
  std::vector<std::size_t> order(400);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return density[a] > density[b]; });
  const std::size_t positive =
      static_cast<std::size_t>(std::count_if(density.begin(), density.end(), [](double d) { return d > 0; }));
  const std::vector<std::size_t> cells_at{4, 20, 40, 200};  // 1, 5, 10, 50 % of 400 cells
  ASSERT_EQ(r->scores.size(), 4u);
  for (std::size_t c = 0; c < 4; ++c) {
    const std::size_t k = std::min(cells_at[c], positive);
    std::size_t hits = 0;
    for (auto [x, y] : test) {
      const auto cell = static_cast<std::size_t>(std::floor(y / 100) * 20 + std::floor(x / 100));
      hits += std::find(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), cell) !=
              order.begin() + static_cast<std::ptrdiff_t>(k);
    }
    const analysis::HotspotScore& s = r->scores[c];
    EXPECT_EQ(s.cells, k) << c;
    EXPECT_EQ(s.test_in, hits) << c;
    EXPECT_DOUBLE_EQ(s.area_share, static_cast<double>(k) / 400) << c;
    if (hits > 0) {
      EXPECT_DOUBLE_EQ(s.pai, (static_cast<double>(hits) / 6.0) / (static_cast<double>(k) / 400)) << c;
    }
  }
  // At half the area every training point's cell is a hotspot: the map
  // recaptures all of period A.
  EXPECT_EQ(r->scores[3].train_in, 9u);
}

TEST(Evaluate, EverySelectionCarriesItsClarkEvansIndex) {
  auto p = parse<EvaluateParams>(periods_and({{"ward", "W0"}}));
  ASSERT_TRUE(p) << p.error().message;
  auto r = run(snapshot(), *p);
  ASSERT_TRUE(r) << r.error().message;
  // ward=W0: the window is that ward, 1 km^2; test rows in W0: a3 a4.
  EXPECT_DOUBLE_EQ(r->study_area_m2, 1e6);
  ASSERT_TRUE(r->test.nni);
  EXPECT_DOUBLE_EQ(r->test.nni->area_m2, 1e6);
  EXPECT_EQ(r->test.nni->locations, 2u);
  EXPECT_NEAR(r->test.nni->observed_mean_m, std::hypot(20, 20), 1e-9);
}

}  // namespace
}  // namespace hotspot::engine
