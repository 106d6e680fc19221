// Times point-in-polygon assignment: 1M uniform random points in the extent
// of County Durham's 324 LSOAs, located on 1 and 2 threads, and nearest
// town centre for 100k points.
//
// Usage: bench_pip [lsoa file] [town-centre file]

#include "hotspot/data/boundary_layer.hpp"

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool load(const std::string& path, hotspot::data::BoundaryLayer& out) {
  hotspot::data::FileReport report;
  hotspot::data::BoundaryOptions options;
  options.path = path;
  auto layer = hotspot::data::load_boundaries(options, report);
  if (!layer) {
    std::fprintf(stderr, "%s\n", layer.error().message.c_str());
    return false;
  }
  out = std::move(layer.value());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string lsoa_path = argc > 1 ? argv[1] : "../shared/geodata/ons/lsoa-E06000047.json";
  const std::string towns_path = argc > 2 ? argv[2] : "geodata/town-centres.geojson";
  hotspot::data::BoundaryLayer lsoas, towns;
  if (!load(lsoa_path, lsoas) || !load(towns_path, towns)) return 1;

  constexpr std::size_t kPoints = 1'000'000;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> ux(lsoas.extent.min_x, lsoas.extent.max_x);
  std::uniform_real_distribution<double> uy(lsoas.extent.min_y, lsoas.extent.max_y);
  std::vector<double> xs(kPoints), ys(kPoints);
  for (std::size_t i = 0; i < kPoints; ++i) {
    xs[i] = ux(rng);
    ys[i] = uy(rng);
  }
  std::vector<std::int32_t> out(kPoints);

  for (unsigned threads : {1u, 2u}) {
    double best = 1e9;
    for (int run = 0; run < 5; ++run) {
      const auto start = Clock::now();
      lsoas.index->locate_all(xs, ys, out, threads);
      best = std::min(best, seconds_since(start));
    }
    std::size_t inside = 0;
    for (std::int32_t v : out) inside += v != hotspot::geo::PolygonIndex::kNone;
    std::printf("locate_all %zu points, %zu LSOAs, %u thread(s): best of 5 %.3f s (%zu inside)\n", kPoints,
                lsoas.size(), threads, best, inside);
  }

  constexpr std::size_t kNearest = 100'000;
  const auto start = Clock::now();
  double sum = 0;
  for (std::size_t i = 0; i < kNearest; ++i) sum += towns.index->nearest({xs[i], ys[i]}).first;
  std::printf("nearest of %zu town centres for %zu points: %.3f s (mean distance %.0f m)\n", towns.size(), kNearest,
              seconds_since(start), sum / kNearest);
  return 0;
}
