// Hotspot map accuracy: the grid scores against brute force (every subset
// of cells for PEI's best), and the indices' definitions on a case worked
// by hand (Chainey, Tompson & Uhlig 2008 for PAI, Hunt 2016 for PEI,
// Levine 2008 for RRI).

#include "hotspot/analysis/evaluate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

namespace hotspot::analysis {
namespace {

//  A 4 x 1 grid of 100 m cells, A = 4 cells = 40 000 m^2.
//  cell:        0    1    2    3
//  train score: 5    9    1    0(floor)
//  train count: 4    8    2    0
//  test count:  1    6    3    10
//  coverage 50 %: cells 1, 0 -> n = 7 of N = 20, a/A = 0.5
//    hit rate 0.35, PAI 0.7, best 2 cells of test = 10 + 6 = 16, PEI 7/16,
//    RRI (7 / 12) / (20 / 14) = 0.408333...
TEST(Evaluate, WorkedByHand) {
  GridGeometry g;
  g.cell = 100;
  g.nx = 4;
  g.ny = 1;
  const std::vector<double> score{5, 9, 1, 0}, train{4, 8, 2, 0}, test{1, 6, 3, 10};
  const std::vector<double> coverages{0.25, 0.5, 1.0};
  const GridScores r = score_grid(score, 0, train, test, 14, 20, g, 40'000, coverages);
  ASSERT_EQ(r.scores.size(), 3u);
  EXPECT_EQ(r.ranked, (std::vector<std::size_t>{1, 0, 2}));  // cell 3 is at the floor
  const HotspotScore& half = r.scores[1];
  EXPECT_EQ(half.cells, 2u);
  EXPECT_EQ(half.test_in, 7u);
  EXPECT_EQ(half.train_in, 12u);
  EXPECT_DOUBLE_EQ(half.area_share, 0.5);
  EXPECT_DOUBLE_EQ(half.hit_rate, 0.35);
  EXPECT_DOUBLE_EQ(half.pai, 0.7);
  EXPECT_EQ(half.best_test_in, 16u);
  EXPECT_DOUBLE_EQ(half.pei, 7.0 / 16);
  EXPECT_DOUBLE_EQ(half.rri, (7.0 / 12) / (20.0 / 14));
  // 100 %: only three cells score above the floor, so a is 3 cells, not 4.
  EXPECT_EQ(r.scores[2].cells, 3u);
  EXPECT_DOUBLE_EQ(r.scores[2].area_share, 0.75);
}

TEST(Evaluate, UndefinedScoresAreNaN) {
  HotspotScore s;  // nothing in either period, no area
  finish_score(s, 1e6);
  EXPECT_TRUE(std::isnan(s.hit_rate));
  EXPECT_TRUE(std::isnan(s.pai));
  EXPECT_TRUE(std::isnan(s.pei));
  EXPECT_TRUE(std::isnan(s.rri));
}

// PEI's n_max by brute force: the best of every subset of k cells.
double best_subset(const std::vector<double>& counts, std::size_t k) {
  double best = 0;
  const std::size_t n = counts.size();
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    if (static_cast<std::size_t>(std::popcount(mask)) != k) continue;
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (mask & (1u << i)) sum += counts[i];
    }
    best = std::max(best, sum);
  }
  return best;
}

TEST(Evaluate, RandomGridsMatchBruteForce) {
  std::mt19937 rng(13);
  for (int trial = 0; trial < 200; ++trial) {
    GridGeometry g;
    g.cell = 50;
    g.nx = 1 + static_cast<std::int32_t>(rng() % 4);
    g.ny = 1 + static_cast<std::int32_t>(rng() % 3);
    const std::size_t n = g.size();
    std::vector<double> score(n), train(n), test(n);
    for (std::size_t i = 0; i < n; ++i) {
      score[i] = static_cast<double>(rng() % 5);  // ties and floor cells on purpose
      train[i] = static_cast<double>(rng() % 7);
      test[i] = static_cast<double>(rng() % 7);
    }
    const double big_n = std::accumulate(test.begin(), test.end(), 0.0) + 3;  // 3 off the grid
    const double big_n_train = std::accumulate(train.begin(), train.end(), 0.0) + 1;
    const double study = static_cast<double>(n) * 2500 * 1.1;
    const std::vector<double> coverages{0.1, 0.3, 0.6, 0.9};
    const GridScores r = score_grid(score, 0, train, test, static_cast<std::size_t>(big_n_train),
                                    static_cast<std::size_t>(big_n), g, study, coverages);
    // The ranking by brute force: every cell above the floor, best first, ties by index.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < n; ++i) {
      if (score[i] > 0) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    for (std::size_t c = 0; c < coverages.size(); ++c) {
      const auto fit = static_cast<std::size_t>(std::floor(coverages[c] * study / 2500 + 1e-9));
      const std::size_t k = std::min(fit, order.size());
      double hits = 0, train_hits = 0;
      for (std::size_t j = 0; j < k; ++j) {
        hits += test[order[j]];
        train_hits += train[order[j]];
      }
      const HotspotScore& s = r.scores[c];
      ASSERT_EQ(s.cells, k) << trial;
      EXPECT_EQ(s.test_in, static_cast<std::size_t>(hits)) << trial;
      EXPECT_EQ(s.train_in, static_cast<std::size_t>(train_hits)) << trial;
      const double a = static_cast<double>(k) * 2500 / study;
      EXPECT_EQ(s.best_test_in, static_cast<std::size_t>(best_subset(test, k))) << trial;
      if (k > 0) {
        EXPECT_DOUBLE_EQ(s.pai, (hits / big_n) / a) << trial;
        EXPECT_LE(s.pei, 1.0) << trial;
      }
      if (train_hits > 0) {
        EXPECT_DOUBLE_EQ(s.rri, (hits / train_hits) / (big_n / big_n_train)) << trial;
      }
    }
  }
}

}  // namespace
}  // namespace hotspot::analysis
