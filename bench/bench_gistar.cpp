// Gi* on counts in the 250 m grid over the wards' extent (origin 377000,
// 506000; 288 x 210 = 60,480 cells), band 750 m: binning + statistic, and
// the statistic alone. Usage: bench_gistar FILE.csv [runs=7]

#include "bench_util.hpp"

#include "hotspot/analysis/gistar.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  auto input = bench::read_input(argc, argv, 7);
  if (!input) return 2;
  const int runs = input->runs;
  const bench::Points& p = input->points;
  using namespace hotspot::analysis;
  const hotspot::geo::Box wards{377187.5, 506235.7, 448926.0, 558253.0};
  const GridGeometry grid = *aligned_grid(wards, 250);
  const GiStarParams params{.band = 750};
  int hot = 0;
  const double both = bench::median_seconds(runs, [&] {
    const GridCounts counts = bin_points(p.x, p.y, grid);
    auto r = gistar_grid(counts.counts, grid, params);
    if (!r) std::exit(1);
    hot = static_cast<int>(std::count(r->bin.begin(), r->bin.end(), 3));
  });
  const GridCounts counts = bin_points(p.x, p.y, grid);
  const double stat = bench::median_seconds(runs, [&] {
    auto r = gistar_grid(counts.counts, grid, params);
    if (!r) std::exit(1);
  });
  const std::string note = "cells " + std::to_string(grid.size()) + " bin+3 " + std::to_string(hot);
  bench::report("gistar_bin+stat", p.x.size(), both, runs, note);
  bench::report("gistar_stat_only", p.x.size(), stat, runs, note);
  return 0;
}
