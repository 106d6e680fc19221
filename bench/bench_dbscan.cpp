// DBSCAN (eps 100 m, min_points 10) on a peers' generated CSV.
// Usage: bench_dbscan FILE.csv [runs=5] [threads=2]

#include "bench_util.hpp"

#include "hotspot/analysis/dbscan.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  auto input = bench::read_input(argc, argv, 5);
  if (!input) return 2;
  const int runs = input->runs;
  const bench::Points& p = input->points;
  hotspot::analysis::DbscanParams params;
  params.threads = input->threads;
  hotspot::analysis::DbscanResult last;
  const double seconds = bench::median_seconds(runs, [&] {
    auto r = hotspot::analysis::dbscan(p.x, p.y, params);
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().message.c_str());
      std::exit(1);
    }
    last = std::move(*r);
  });
  // The signature the peers publish: clusters, noise, five largest.
  std::vector<std::size_t> sizes(static_cast<std::size_t>(last.cluster_count), 0);
  for (auto label : last.labels) {
    if (label >= 0) ++sizes[static_cast<std::size_t>(label)];
  }
  std::sort(sizes.rbegin(), sizes.rend());
  std::string note = "clusters " + std::to_string(last.cluster_count) + " noise " +
                     std::to_string(last.noise_count) + " largest";
  for (std::size_t i = 0; i < std::min<std::size_t>(5, sizes.size()); ++i) {
    note += ' ';
    note += std::to_string(sizes[i]);  // appended, not " " + ...: GCC 12's -Wrestrict misfires on that at -O3
  }
  bench::report("dbscan", p.x.size(), seconds, runs, note);
  return 0;
}
