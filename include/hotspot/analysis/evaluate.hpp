#pragma once
// How well a hotspot map fitted on one period predicts the next: the
// scores crime analysts use to compare hotspot maps.
//
//   N, N_train  incidents in the test and training periods (the selection)
//   n, n_train  of them inside the hotspots
//   A           the study area (m^2): the area of the wards (or of the ward=
//               and group= wards) of the selection, as for Clark-Evans
//   a           the hotspots' area (m^2)
//
//   hit rate  n / N
//   PAI       (n / N) / (a / A)                 Chainey, Tompson & Uhlig (2008)
//   PEI       n / n_max, n_max the most test incidents any set of grid
//             cells of the same total area holds: the test period's own
//             best cells on the same grid (PAI / PAI_max: the area is the
//             same, so the ratio of PAIs is the ratio of counts)  Hunt (2016)
//   RRI       (n / n_train) / (N / N_train)      Levine (2008)
//
// A grid method's hotspots at a coverage c are its highest-scoring cells,
// taken in descending score (ties: lower cell index first) while their
// total area stays within c * A and their score is above the method's floor
// (KDE: density > 0; Gi*: a hot cell, z above the 95 % critical value), so
// a method with few hot cells may cover less than asked: area_share says
// what it covered.

#include "hotspot/analysis/grid.hpp"

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace hotspot::analysis {

struct HotspotScore {
  double coverage = std::numeric_limits<double>::quiet_NaN();  // asked, share of A; NaN: own area
  std::size_t cells = 0;       // grid cells chosen (0 for areas that are not cells)
  double area_m2 = 0;          // a
  double area_share = 0;       // a / A
  std::size_t test_in = 0;     // n
  std::size_t train_in = 0;    // n_train
  std::size_t test_total = 0;  // N
  std::size_t train_total = 0; // N_train
  std::size_t best_test_in = 0;  // n_max, for PEI
  // NaN where undefined (no test incidents, no area, no training hits).
  double hit_rate = std::numeric_limits<double>::quiet_NaN();
  double pai = std::numeric_limits<double>::quiet_NaN();
  double pei = std::numeric_limits<double>::quiet_NaN();
  double rri = std::numeric_limits<double>::quiet_NaN();
};

// Fills hit_rate, PAI, PEI and RRI from the counts and areas already set.
void finish_score(HotspotScore& score, double study_area_m2);

// The most incidents any `k` cells hold: the sum of the k largest counts.
double best_cells_total(std::span<const double> counts, std::size_t k);

// How many cells of `cell_area_m2` fit within `share` of the study area.
std::size_t cells_within(double share, double study_area_m2, double cell_area_m2);

// The cells a grid method picks (indices, by descending score), at most
// `max_cells`, only those scoring above `floor`.
std::vector<std::size_t> top_cells(std::span<const double> score, std::size_t max_cells,
                                   double floor);

struct GridScores {
  // The cells chosen at the largest coverage, best first: coverage k's
  // hotspots are the first scores[k].cells of them.
  std::vector<std::size_t> ranked;
  std::vector<HotspotScore> scores;  // one per coverage, in the order given
};

// Scores the top cells at each coverage (shares of A, e.g. 0.01) on one
// grid: `score` ranks cells (the training surface), `train` and `test` are
// each period's incident counts per cell (totals given separately: points
// off the grid still count in N).
GridScores score_grid(std::span<const double> score, double floor,
                      std::span<const double> train, std::span<const double> test,
                      std::size_t train_total, std::size_t test_total, const GridGeometry& grid,
                      double study_area_m2, std::span<const double> coverages);

}  // namespace hotspot::analysis
