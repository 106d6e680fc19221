// Quartic KDE, h = 500 m on the 100 m grid over the County Durham wards'
// extent (origin 377100, 506200; 719 x 521 cells), on a peers' generated CSV.
// Usage: bench_kde FILE.csv [runs=5] [threads=2]

#include "bench_util.hpp"

#include "hotspot/analysis/kde.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  auto input = bench::read_input(argc, argv, 5);
  if (!input) return 2;
  const int runs = input->runs;
  const bench::Points& p = input->points;
  // The EPSG:27700 bounding box of wards-E06000047.json (as the peers use it).
  const hotspot::geo::Box wards{377187.5, 506235.7, 448926.0, 558253.0};
  hotspot::analysis::KdeParams params{.bandwidth = 500, .cell_size = 100};
  params.threads = input->threads;
  hotspot::analysis::KdeResult last;
  const double seconds = bench::median_seconds(runs, [&] {
    auto r = hotspot::analysis::kernel_density(p.x, p.y, wards, params);
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().message.c_str());
      std::exit(1);
    }
    last = std::move(*r);
  });
  // The peers' check: sum of D x cell area / N (D per m^2) is about 1.
  double mass = 0;
  for (double d : last.density) mass += d * 1e4 / 1e6;
  const std::string note = "grid " + std::to_string(last.grid.nx) + "x" +
                           std::to_string(last.grid.ny) + " mass/N " +
                           std::to_string(mass / static_cast<double>(p.x.size()));
  bench::report("kde_quartic", p.x.size(), seconds, runs, note);
  return 0;
}
