// DBSCAN against outside references: scikit-learn run on generated points,
// and the signature published for the peers' 10k data set.

#include "hotspot/analysis/dbscan.hpp"

#include "dbscan_check.hpp"
#include "../common/peers_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>
#include <string>
#include <system_error>
#include <vector>

namespace hotspot::analysis {
namespace {

namespace fs = std::filesystem;

fs::path scratch_dir() {
  fs::path dir = fs::temp_directory_path() / ("hotspot-dbscan-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

// Removes the scratch directory however the test ends.
struct ScratchGuard {
  fs::path dir;
  ~ScratchGuard() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

TEST(DbscanReference, MatchesScikitLearn) {
  const fs::path script = fs::path(HOTSPOT_SOURCE_DIR) / "tests/analysis/sklearn_dbscan.py";
  if (std::system("/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "scikit-learn for /usr/bin/python3 is missing (apt install python3-sklearn)";
  }
  // Blobs of different spreads over a background, on a 1 cm lattice so that
  // some distances come out exactly eps.
  std::mt19937_64 rng(99);
  std::normal_distribution<double> gauss(0, 1);
  std::uniform_real_distribution<double> uni(0, 20000);
  std::vector<double> xs, ys;
  for (int b = 0; b < 8; ++b) {
    const double cx = uni(rng), cy = uni(rng), sigma = 40 + 30 * b;
    for (int i = 0; i < 600; ++i) {
      xs.push_back(std::round((cx + sigma * gauss(rng)) * 100) / 100);
      ys.push_back(std::round((cy + sigma * gauss(rng)) * 100) / 100);
    }
  }
  for (int i = 0; i < 3000; ++i) {
    xs.push_back(std::round(uni(rng) * 100) / 100);
    ys.push_back(std::round(uni(rng) * 100) / 100);
  }
  const fs::path dir = scratch_dir();
  {
    std::ofstream out(dir / "points.csv");
    out.precision(17);
    for (std::size_t i = 0; i < xs.size(); ++i) out << xs[i] << ',' << ys[i] << '\n';
  }
  for (auto [eps, min_points] : {std::pair{100.0, 10u}, std::pair{60.0, 4u}, std::pair{250.0, 25u}}) {
    const std::string cmd = "/usr/bin/python3 " + script.string() + " " + (dir / "points.csv").string() +
                            " " + std::to_string(eps) + " " + std::to_string(min_points) + " " +
                            (dir / "labels.csv").string();
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    DbscanResult want;
    std::ifstream in(dir / "labels.csv");
    std::string line;
    std::vector<std::int32_t> seen;
    while (std::getline(in, line)) {
      const auto comma = line.find(',');
      want.labels.push_back(std::stoi(line.substr(0, comma)));
      want.core.push_back(static_cast<std::uint8_t>(std::stoi(line.substr(comma + 1))));
    }
    ASSERT_EQ(want.labels.size(), xs.size());
    want.cluster_count = want.labels.empty() ? 0 : *std::max_element(want.labels.begin(), want.labels.end()) + 1;
    want.noise_count = static_cast<std::size_t>(std::count(want.labels.begin(), want.labels.end(), kNoise));
    auto got = dbscan(xs, ys, {.eps = eps, .min_points = min_points});
    ASSERT_TRUE(got);
    EXPECT_TRUE(testing::same_partition(*got, want, xs, ys, eps)) << "eps " << eps;
  }
  fs::remove_all(dir);
}

// Published in the peers' RESULTS.md for incidents-10000.csv (PostGIS and
// scikit-learn agree): 12 clusters, 4,285 noise, largest 1172, 561, 512, 508, 459.
TEST(DbscanReference, PeersTenThousandSignature) {
  const ScratchGuard scratch{scratch_dir()};
  std::string why;
  const fs::path csv = peers::ten_thousand(scratch.dir, why);
  if (csv.empty()) GTEST_SKIP() << why;
  ASSERT_TRUE(std::ifstream(csv)) << csv;
  const peers::Coordinates points = peers::read_coordinates(csv);
  ASSERT_EQ(points.x.size(), 10000u);
  auto r = dbscan(points.x, points.y, {.eps = 100, .min_points = 10});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->cluster_count, 12);
  EXPECT_EQ(r->noise_count, 4285u);
  std::vector<std::size_t> sizes(static_cast<std::size_t>(r->cluster_count), 0);
  for (auto label : r->labels) {
    if (label != kNoise) ++sizes[static_cast<std::size_t>(label)];
  }
  std::sort(sizes.rbegin(), sizes.rend());
  sizes.resize(5);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{1172, 561, 512, 508, 459}));
  // Core points: 5,331 published.
  EXPECT_EQ(std::count(r->core.begin(), r->core.end(), 1), 5331);
}

}  // namespace
}  // namespace hotspot::analysis
