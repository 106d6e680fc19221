#include "hotspot/analysis/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace hotspot::analysis {

void finish_score(HotspotScore& s, double study_area_m2) {
  const double n = static_cast<double>(s.test_in), big_n = static_cast<double>(s.test_total);
  s.area_share = study_area_m2 > 0 ? s.area_m2 / study_area_m2 : 0;
  if (s.test_total > 0) s.hit_rate = n / big_n;
  if (s.test_total > 0 && s.area_share > 0) s.pai = s.hit_rate / s.area_share;
  if (s.best_test_in > 0) s.pei = n / static_cast<double>(s.best_test_in);
  if (s.train_in > 0 && s.test_total > 0 && s.train_total > 0) {
    s.rri = (n / static_cast<double>(s.train_in)) / (big_n / static_cast<double>(s.train_total));
  }
}

double best_cells_total(std::span<const double> counts, std::size_t k) {
  std::vector<double> sorted(counts.begin(), counts.end());
  k = std::min(k, sorted.size());
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(k), sorted.end(),
                   std::greater<>());
  return std::accumulate(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(k), 0.0);
}

std::size_t cells_within(double share, double study_area_m2, double cell_area_m2) {
  if (!(cell_area_m2 > 0) || !(share * study_area_m2 > 0)) return 0;
  // A hair of tolerance so that 1 % of an area that is a whole number of
  // cells is not one cell short through rounding.
  return static_cast<std::size_t>(std::floor(share * study_area_m2 / cell_area_m2 + 1e-9));
}

std::vector<std::size_t> top_cells(std::span<const double> score, std::size_t max_cells,
                                   double floor) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < score.size(); ++i) {
    if (score[i] > floor) order.push_back(i);
  }
  const auto better = [&](std::size_t a, std::size_t b) {
    return score[a] != score[b] ? score[a] > score[b] : a < b;
  };
  const std::size_t k = std::min(max_cells, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    better);
  order.resize(k);
  return order;
}

GridScores score_grid(std::span<const double> score, double floor, std::span<const double> train,
                      std::span<const double> test, std::size_t train_total,
                      std::size_t test_total, const GridGeometry& grid, double study_area_m2,
                      std::span<const double> coverages) {
  const double cell_area = grid.cell * grid.cell;
  GridScores out;
  // Every coverage's cells are a prefix of the largest one's ranking.
  std::size_t most = 0;
  for (double c : coverages) most = std::max(most, cells_within(c, study_area_m2, cell_area));
  out.ranked = top_cells(score, most, floor);
  const std::vector<std::size_t>& ranked = out.ranked;
  for (double c : coverages) {
    HotspotScore s;
    s.coverage = c;
    s.cells = std::min(ranked.size(), cells_within(c, study_area_m2, cell_area));
    double n = 0, n_train = 0;
    for (std::size_t k = 0; k < s.cells; ++k) {
      n += test[ranked[k]];
      n_train += train[ranked[k]];
    }
    s.area_m2 = static_cast<double>(s.cells) * cell_area;
    s.test_in = static_cast<std::size_t>(n);
    s.train_in = static_cast<std::size_t>(n_train);
    s.test_total = test_total;
    s.train_total = train_total;
    s.best_test_in = static_cast<std::size_t>(best_cells_total(test, s.cells));
    finish_score(s, study_area_m2);
    out.scores.push_back(s);
  }
  return out;
}

}  // namespace hotspot::analysis
