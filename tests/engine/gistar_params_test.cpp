// engine::GiStarParams (/api/hotspots/gistar) against plain structs: parsing,
// the combinations it refuses, and run() on the fixture's snapshot against
// the statistic computed here from its definition (gistar.hpp) over counts
// binned here from the picture.

#include "hotspot/engine/gistar.hpp"

#include "snapshot_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace hotspot::engine {
namespace {

using namespace fixture;

TEST(GiStarParams, DefaultsOnTheGridAndOnWards) {
  const auto grid = parsed<GiStarParams>({});
  EXPECT_FALSE(grid.wards);
  EXPECT_DOUBLE_EQ(grid.cell, GiStarParams::kDefaultCell);
  EXPECT_FALSE(grid.band.has_value());
  EXPECT_DOUBLE_EQ(grid.gi.band, GiStarParams::kDefaultGridBand);
  EXPECT_FALSE(grid.gi.fdr);
  EXPECT_FALSE(grid.all);

  const auto wards = parsed<GiStarParams>({{"on", "wards"}});
  EXPECT_TRUE(wards.wards);
  EXPECT_FALSE(wards.band.has_value());  // run() chooses it from the ward layer

  auto given = parse<GiStarParams>({{"on", "grid"}, {"cell", "100"}, {"band", "150"},
                                    {"fdr", "true"}, {"all", "true"}});
  ASSERT_TRUE(given) << given.error().message;
  EXPECT_DOUBLE_EQ(given->cell, 100);
  ASSERT_TRUE(given->band.has_value());
  EXPECT_DOUBLE_EQ(*given->band, 150);
  EXPECT_DOUBLE_EQ(given->gi.band, 150);
  EXPECT_TRUE(given->gi.fdr);
  EXPECT_TRUE(given->all);

  auto ward_band = parse<GiStarParams>({{"on", "wards"}, {"band", "2500"}});
  ASSERT_TRUE(ward_band) << ward_band.error().message;
  EXPECT_DOUBLE_EQ(ward_band->gi.band, 2500);
}

TEST(GiStarParams, RefusesInvalidCombinationsNamingTheParameter) {
  // A band smaller than the cell: every cell its own only neighbour.
  expect_refused<GiStarParams>("band", {"100"}, {{"cell", "250"}});
  EXPECT_TRUE(refuses(parse<GiStarParams>({{"cell", "1000"}}), "band"));  // default band 750
  expect_refused<GiStarParams>("cell", {"250"}, {{"on", "wards"}});
  expect_refused<GiStarParams>("on", {"hexagons"});
  expect_refused<GiStarParams>("cell", {"5"});
  EXPECT_TRUE(refuses(parse<GiStarParams>({{"cell", "6000"}, {"band", "7000"}}), "cell"));
  expect_refused<GiStarParams>("band", {"60000"});
  expect_refused<GiStarParams>("band", {"0"}, {{"on", "wards"}});
  // Booleans are spelled true or false.
  expect_refused<GiStarParams>("fdr", {"yes"});
  expect_refused<GiStarParams>("all", {"1"});
  EXPECT_TRUE(refuses(parse<GiStarParams>({{"category", "violence"}, {"categories", "asb"}}),
                      "category"));
}

struct Reference {
  std::vector<double> z, p;
  std::vector<int> bin;
};

// Gi* from its definition over features with centres (xs, ys): binary
// weights within `band`, self included; bins from p (optionally with the
// Benjamini-Hochberg critical p per confidence level).
Reference reference_gistar(const std::vector<double>& x, const std::vector<double>& xs,
                           const std::vector<double>& ys, double band, bool fdr) {
  const std::size_t n = x.size();
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / double(n);
  double sum_sq = 0;
  for (double v : x) sum_sq += v * v;
  const double s = std::sqrt(sum_sq / double(n) - mean * mean);
  Reference r;
  for (std::size_t i = 0; i < n; ++i) {
    double w = 0, wx = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (std::hypot(xs[i] - xs[j], ys[i] - ys[j]) <= band) {
        w += 1;
        wx += x[j];
      }
    }
    const double z = (wx - mean * w) / (s * std::sqrt((double(n) * w - w * w) / double(n - 1)));
    r.z.push_back(z);
    r.p.push_back(std::erfc(std::abs(z) / std::sqrt(2.0)));
  }
  double critical[3] = {0.10, 0.05, 0.01};
  if (fdr) {
    std::vector<double> sorted = r.p;
    std::sort(sorted.begin(), sorted.end());
    for (double& alpha : critical) {
      double found = -1;  // none significant at this level
      for (std::size_t k = 1; k <= n; ++k) {
        if (sorted[k - 1] <= double(k) / double(n) * alpha) found = sorted[k - 1];
      }
      alpha = found;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    int level = 0;
    for (int l = 0; l < 3; ++l) {
      if (r.p[i] <= critical[l]) level = l + 1;
    }
    r.bin.push_back(r.z[i] < 0 ? -level : level);
  }
  return r;
}

TEST(GiStarRun, GridMatchesTheDefinitionAndOutputsOnlySignificantCells) {
  const data::IncidentTable& t = *snapshot().incidents;
  struct Case {
    const char* cell;
    const char* band;
    bool fdr;
  };
  for (const Case& c : {Case{"250", "400", false}, Case{"250", "300", false},
                        Case{"200", "300", false}, Case{"100", "150", false},
                        Case{"100", "250", true}, Case{"100", "150", true}}) {
    SCOPED_TRACE(std::string(c.cell) + " " + c.band + (c.fdr ? " fdr" : ""));
    for (const char* all : {"false", "true"}) {
      auto r = parse_and_run<GiStarParams>({{"cell", c.cell}, {"band", c.band}, {"all", all},
                                            {"fdr", c.fdr ? "true" : "false"}});
      ASSERT_TRUE(r) << r.error().message;
      EXPECT_FALSE(r->on_wards);
      EXPECT_DOUBLE_EQ(r->band, std::stod(c.band));

      // The grid covers the wards (0..2000 both ways) from their corner.
      const double cell = std::stod(c.cell);
      const analysis::GridGeometry& g = r->grid;
      EXPECT_DOUBLE_EQ(g.origin_x, kX0);
      EXPECT_DOUBLE_EQ(g.origin_y, kY0);
      EXPECT_EQ(g.nx, static_cast<std::int32_t>(2000 / cell));
      EXPECT_EQ(g.ny, static_cast<std::int32_t>(2000 / cell));

      // Counts binned here from the table.
      std::vector<double> counts(g.size(), 0);
      for (std::size_t row = 0; row < t.size(); ++row) {
        const auto ix = static_cast<std::size_t>((t.x[row] - kX0) / cell);
        const auto iy = static_cast<std::size_t>((t.y[row] - kY0) / cell);
        counts[iy * std::size_t(g.nx) + ix] += 1;
      }
      EXPECT_EQ(r->counts, counts);
      EXPECT_EQ(r->outside, 0u);

      std::vector<double> cx, cy;
      for (std::int32_t iy = 0; iy < g.ny; ++iy) {
        for (std::int32_t ix = 0; ix < g.nx; ++ix) {
          cx.push_back(g.centre_x(ix));
          cy.push_back(g.centre_y(iy));
        }
      }
      const Reference want = reference_gistar(counts, cx, cy, std::stod(c.band), c.fdr);
      ASSERT_EQ(r->stats.z.size(), want.z.size());
      std::vector<std::size_t> significant;
      for (std::size_t i = 0; i < want.z.size(); ++i) {
        EXPECT_NEAR(r->stats.z[i], want.z[i], 1e-9) << i;
        EXPECT_NEAR(r->stats.p[i], want.p[i], 1e-9) << i;
        EXPECT_EQ(r->stats.bin[i], want.bin[i]) << i;
        if (want.bin[i] != 0) significant.push_back(i);
      }
      // The fixture gives some significant cells, never all of them.
      EXPECT_FALSE(significant.empty());
      EXPECT_LT(significant.size(), g.size());
      if (std::string(all) == "true") {
        std::vector<std::size_t> every(g.size());
        std::iota(every.begin(), every.end(), 0);
        EXPECT_EQ(r->features, every);
      } else {
        EXPECT_EQ(r->features, significant);
      }
    }
  }
}

TEST(GiStarRun, ClusterAIsAHotSpotOnAFineGrid) {
  // 100 m cells, band 150 m (a cell and its eight neighbours): the cell
  // holding a0..a2 and n0, (3, 3), is hot at 99 %.
  auto r = parse_and_run<GiStarParams>({{"cell", "100"}, {"band", "150"}});
  ASSERT_TRUE(r) << r.error().message;
  const std::size_t a0_cell = 3 * 20 + 3;
  EXPECT_EQ(r->counts[a0_cell], 4);  // a0 (300,300), a1 (320,300), a2 (300,320), n0 (380,380)
  EXPECT_EQ(r->stats.bin[a0_cell], 3);
  EXPECT_TRUE(std::binary_search(r->features.begin(), r->features.end(), a0_cell));
  // An empty cell far from everything is not output.
  const std::size_t empty_cell = 10 * 20 + 10;
  EXPECT_EQ(r->counts[empty_cell], 0);
  EXPECT_FALSE(std::binary_search(r->features.begin(), r->features.end(), empty_cell));
}

TEST(GiStarRun, WardsWithTheDefaultBand) {
  // Ward centroids (500,500), (500,1500), (1500,1500), (1500,500): the
  // default band is the largest nearest-neighbour distance, 1000 m, so each
  // ward neighbours itself and the two it shares a side with.
  // Counts W0..W3 = 7, 1, 4, 4 (mean 4, S = sqrt(4.5)); W_i = 3, and
  // z_i = (sum of the three - 12) / sqrt(4.5):
  //   W0: 7+1+4 = 12 -> 0     W1: 1+7+4 = 12 -> 0
  //   W2: 4+1+4 = 9  -> -sqrt(2)    W3: 4+7+4 = 15 -> +sqrt(2)
  // p = 0.157 for +-sqrt(2): nothing significant.
  for (const char* all : {"false", "true"}) {
    auto r = parse_and_run<GiStarParams>({{"on", "wards"}, {"all", all}});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->on_wards);
    EXPECT_TRUE(r->band_default);
    EXPECT_NEAR(r->band, 1000, 1);
    EXPECT_GE(r->band, 1000 - 1e-6);
    EXPECT_EQ(r->counts, (std::vector<double>{7, 1, 4, 4}));
    EXPECT_EQ(r->outside, 0u);
    ASSERT_EQ(r->centroids.size(), 4u);
    const double want_x[] = {500, 500, 1500, 1500}, want_y[] = {500, 1500, 1500, 500};
    for (std::size_t i = 0; i < 4; ++i) {
      EXPECT_NEAR(r->centroids[i].x, kX0 + want_x[i], 1e-6) << i;
      EXPECT_NEAR(r->centroids[i].y, kY0 + want_y[i], 1e-6) << i;
    }
    ASSERT_EQ(r->stats.z.size(), 4u);
    EXPECT_NEAR(r->stats.z[W0], 0, 1e-9);
    EXPECT_NEAR(r->stats.z[W1], 0, 1e-9);
    EXPECT_NEAR(r->stats.z[W2], -std::sqrt(2.0), 1e-9);
    EXPECT_NEAR(r->stats.z[W3], std::sqrt(2.0), 1e-9);
    EXPECT_NEAR(r->stats.p[W3], 0.157299, 1e-6);
    EXPECT_EQ(r->stats.bin, (std::vector<std::int8_t>{0, 0, 0, 0}));
    if (std::string(all) == "true") {
      EXPECT_EQ(r->features, (std::vector<std::size_t>{0, 1, 2, 3}));
    } else {
      EXPECT_TRUE(r->features.empty());
    }
  }
}

TEST(GiStarRun, WardsWithAGivenBandAndASelection) {
  // band 1500: every ward neighbours every other (diagonals are 1414 m), so
  // the statistic is undefined: z 0, p 1 everywhere, with a note.
  auto r = parse_and_run<GiStarParams>({{"on", "wards"}, {"band", "1500"}, {"all", "true"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->band_default);
  EXPECT_DOUBLE_EQ(r->band, 1500);
  EXPECT_FALSE(r->stats.note.empty());
  for (double z : r->stats.z) EXPECT_EQ(z, 0);

  // Violence only: W0 a0 a1 a3 n0 n3 = 5, W1 0, W2 b3 = 1, W3 c0..c2 = 3.
  auto rv = parse_and_run<GiStarParams>({{"on", "wards"}, {"category", "violence"}});
  ASSERT_TRUE(rv) << rv.error().message;
  EXPECT_EQ(rv->counts, (std::vector<double>{5, 0, 1, 3}));
}

}  // namespace
}  // namespace hotspot::engine
