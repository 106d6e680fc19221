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
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.csv [runs] [threads]\n", argv[0]);
    return 2;
  }
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  bench::Points p;
  if (!bench::read_points(argv[1], p)) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  hotspot::analysis::DbscanParams params;
  params.threads = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 2;
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
    note += " " + std::to_string(sizes[i]);
  }
  bench::report("dbscan", p.x.size(), seconds, runs, note);
  return 0;
}
