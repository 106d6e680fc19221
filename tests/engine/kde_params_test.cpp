// engine::KdeParams (/api/hotspots/kde) against plain structs: parsing,
// the combinations it refuses, and run() on the fixture's snapshot checked
// against a brute-force loop over the grid with the kernel's definition
// (analysis::kernel_density_at).

#include "hotspot/engine/kde.hpp"

#include "snapshot_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace hotspot::engine {
namespace {

using namespace fixture;

TEST(KdeParams, DefaultsAndGridOutput) {
  const auto p = parsed<KdeParams>({});
  EXPECT_FALSE(p.contours);
  EXPECT_DOUBLE_EQ(p.threshold, KdeParams::kDefaultThreshold);
  EXPECT_DOUBLE_EQ(p.kde.cell_size, 100);
  EXPECT_DOUBLE_EQ(p.kde.bandwidth, 500);
  EXPECT_TRUE(p.levels.empty());
  EXPECT_TRUE(p.quantiles.empty());

  const auto q = parsed<KdeParams>({{"cell", "50"}, {"bandwidth", "300"}, {"output", "grid"},
                                    {"threshold", "0.25"}});
  EXPECT_DOUBLE_EQ(q.kde.cell_size, 50);
  EXPECT_DOUBLE_EQ(q.kde.bandwidth, 300);
  EXPECT_DOUBLE_EQ(q.threshold, 0.25);
}

TEST(KdeParams, ContoursTakeLevelsOrQuantiles) {
  auto d = parse<KdeParams>({{"output", "contours"}});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_TRUE(d->contours);
  EXPECT_TRUE(d->levels.empty());
  EXPECT_EQ(d->quantiles, (std::vector<double>{0.5, 0.75, 0.9, 0.95, 0.99}));

  auto l = parse<KdeParams>({{"output", "contours"}, {"levels", "1,10.5,100"}});
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->levels, (std::vector<double>{1, 10.5, 100}));
  EXPECT_TRUE(l->quantiles.empty());

  auto q = parse<KdeParams>({{"output", "contours"}, {"quantiles", "0.2,0.8"}});
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->quantiles, (std::vector<double>{0.2, 0.8}));
  EXPECT_TRUE(q->levels.empty());
}

TEST(KdeParams, RefusesInvalidCombinationsNamingTheParameter) {
  EXPECT_TRUE(refuses(parse<KdeParams>({{"output", "contours"}, {"levels", "1,2"},
                                        {"quantiles", "0.5"}}),
                      "quantiles"));
  // Contour options without output=contours.
  expect_refused<KdeParams>("levels", {"1,2"});
  expect_refused<KdeParams>("quantiles", {"0.5"}, {{"output", "grid"}});
  expect_refused<KdeParams>("threshold", {"0.1"}, {{"output", "contours"}});
  expect_refused<KdeParams>("output", {"raster"});
  expect_refused<KdeParams>("threshold", {"1.5", "-0.1"});
  // Levels ascending and positive, quantiles ascending within (0, 1).
  const NameValues contours{{"output", "contours"}};
  expect_refused<KdeParams>("levels", {"5,5", "10,5", "0,5", "1,x", "1,,2"}, contours);
  expect_refused<KdeParams>("quantiles", {"0.5,1", "0,0.5", "0.9,0.5"}, contours);
  expect_refused<KdeParams>("cell", {"5", "6000"});
  expect_refused<KdeParams>("bandwidth", {"0", "25000"});
  // More than 200 cells of bandwidth.
  expect_refused<KdeParams>("bandwidth", {"2010"}, {{"cell", "10"}});
  EXPECT_TRUE(refuses(parse<KdeParams>({{"from", "2024-05-01"}, {"to", "2024-04-01"}}), "from"));
}

// The brute-force density of every grid cell, per km², over the selected rows.
std::vector<double> brute_force_surface(const analysis::GridGeometry& grid,
                                        const std::vector<std::uint32_t>& rows, double bandwidth) {
  const data::IncidentTable& t = *snapshot().incidents;
  std::vector<double> xs, ys;
  for (std::uint32_t row : rows) {
    xs.push_back(t.x[row]);
    ys.push_back(t.y[row]);
  }
  std::vector<double> density(grid.size());
  for (std::int32_t iy = 0; iy < grid.ny; ++iy) {
    for (std::int32_t ix = 0; ix < grid.nx; ++ix) {
      density[std::size_t(iy) * grid.nx + ix] =
          analysis::kernel_density_at(xs, ys, grid.centre_x(ix), grid.centre_y(iy), bandwidth);
    }
  }
  return density;
}

TEST(KdeRun, CellsAboveTheThresholdMatchABruteForceLoopOverTheGrid) {
  for (const char* threshold : {"0", "0.05", "0.2", "0.5", "0.9"}) {
    SCOPED_TRACE(threshold);
    auto r = parse_and_run<KdeParams>(
        {{"cell", "100"}, {"bandwidth", "300"}, {"threshold", threshold}});
    ASSERT_TRUE(r) << r.error().message;

    // The grid covers the wards' extent (0..2000 both ways) in 100 m cells.
    const analysis::GridGeometry& g = r->surface.grid;
    EXPECT_DOUBLE_EQ(g.origin_x, kX0);
    EXPECT_DOUBLE_EQ(g.origin_y, kY0);
    EXPECT_EQ(g.nx, 20);
    EXPECT_EQ(g.ny, 20);
    EXPECT_EQ(r->selection.rows.size(), kIncidents.size());

    const std::vector<double> want = brute_force_surface(g, r->selection.rows, 300);
    const double peak = *std::max_element(want.begin(), want.end());
    EXPECT_NEAR(r->surface.max_density, peak, 1e-9 * peak);
    const double cutoff = std::stod(threshold) * peak;
    std::size_t count = 0;
    for (double d : want) {
      // No cell sits on the cutoff, so rounding cannot move it across.
      if (cutoff > 0) {
        ASSERT_GT(std::abs(d - cutoff), 1e-6 * peak);
      }
      count += d > 0 && d >= cutoff;
    }
    EXPECT_EQ(r->cells.size(), count);
    for (const KdeCell& c : r->cells) {
      const double d = want[std::size_t(c.iy) * g.nx + c.ix];
      EXPECT_GT(d, 0) << c.ix << "," << c.iy;
      EXPECT_GE(d, cutoff) << c.ix << "," << c.iy;
      EXPECT_NEAR(c.density, d, 1e-9 * peak) << c.ix << "," << c.iy;
    }
    // Row by row from the south, west to east within a row, each cell once.
    for (std::size_t k = 1; k < r->cells.size(); ++k) {
      const KdeCell& a = r->cells[k - 1];
      const KdeCell& b = r->cells[k];
      EXPECT_TRUE(a.iy < b.iy || (a.iy == b.iy && a.ix < b.ix)) << k;
    }
    EXPECT_TRUE(r->levels.empty());
    EXPECT_TRUE(r->bands.empty());
  }
}

TEST(KdeRun, ThePeakIsOverClusterA) {
  // Five points within 20 m of (300,300) outweigh every other spot: the
  // peak cell is the one holding a0, (3, 3) in 100 m cells.
  auto r = parse_and_run<KdeParams>({{"cell", "100"}, {"bandwidth", "300"}, {"threshold", "0.9"}});
  ASSERT_TRUE(r) << r.error().message;
  const auto top = std::max_element(r->cells.begin(), r->cells.end(),
                                    [](const KdeCell& a, const KdeCell& b) { return a.density < b.density; });
  ASSERT_NE(top, r->cells.end());
  EXPECT_EQ(top->ix, 3);
  EXPECT_EQ(top->iy, 3);
  // Every cell at 90 % of the peak is next to it.
  for (const KdeCell& c : r->cells) {
    EXPECT_LE(std::abs(c.ix - 3), 1);
    EXPECT_LE(std::abs(c.iy - 3), 1);
  }
}

TEST(KdeRun, SelectionNarrowsTheSurface) {
  // Ward W2 alone: only b0..b3 contribute, so cells more than a bandwidth
  // from every b are zero and never output, whatever the threshold.
  auto r = parse_and_run<KdeParams>({{"cell", "100"}, {"bandwidth", "300"}, {"threshold", "0"},
                                     {"ward", "W2"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->selection.rows, rows_of({"b0", "b1", "b2", "b3"}));
  const auto want = brute_force_surface(r->surface.grid, r->selection.rows, 300);
  EXPECT_EQ(r->cells.size(),
            static_cast<std::size_t>(std::count_if(want.begin(), want.end(),
                                                   [](double d) { return d > 0; })));
  for (const KdeCell& c : r->cells) {
    const double cx = r->surface.grid.centre_x(c.ix) - kX0;
    const double cy = r->surface.grid.centre_y(c.iy) - kY0;
    EXPECT_LT(std::hypot(cx - 1515, cy - 1515), 300 + 30) << c.ix << "," << c.iy;
  }
}

TEST(KdeRun, NothingSelectedGivesNoCellsAndNoBands) {
  for (const char* output : {"grid", "contours"}) {
    auto r = parse_and_run<KdeParams>(
        {{"output", output}, {"from", "2023-01-01"}, {"to", "2023-01-31"}});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->selection.rows.empty());
    EXPECT_EQ(r->surface.max_density, 0);
    EXPECT_TRUE(r->cells.empty()) << output;
    EXPECT_TRUE(r->bands.empty()) << output;
  }
}

TEST(KdeRun, ContourLevelsAboveThePeakGiveNoBands) {
  auto grid = parse<KdeParams>({{"cell", "100"}, {"bandwidth", "300"}});
  ASSERT_TRUE(grid);
  auto surface = run(snapshot(), *grid);
  ASSERT_TRUE(surface);
  const double peak = surface->surface.max_density;
  ASSERT_GT(peak, 0);

  const std::string above = format_number(std::ceil(peak * 2));
  auto high = parse<KdeParams>({{"cell", "100"}, {"bandwidth", "300"}, {"output", "contours"},
                                {"levels", above}});
  ASSERT_TRUE(high) << high.error().message;
  auto none = run(snapshot(), *high);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(none->levels, high->levels);
  EXPECT_TRUE(none->bands.empty());
  EXPECT_TRUE(none->cells.empty());

  const std::string below = format_number(std::floor(peak / 4));
  auto some = parse_and_run<KdeParams>({{"cell", "100"}, {"bandwidth", "300"},
                                        {"output", "contours"}, {"levels", below + "," + above}});
  ASSERT_TRUE(some) << some.error().message;
  EXPECT_FALSE(some->bands.empty());

  // Quantiles become levels between the smallest and largest non-zero cell.
  auto q = parse_and_run<KdeParams>({{"cell", "100"}, {"bandwidth", "300"}, {"output", "contours"},
                                     {"quantiles", "0.5,0.9"}});
  ASSERT_TRUE(q) << q.error().message;
  ASSERT_EQ(q->levels.size(), 2u);
  EXPECT_GT(q->levels[0], 0);
  EXPECT_LT(q->levels[0], q->levels[1]);
  EXPECT_LE(q->levels[1], peak);
  // At least half the non-zero cells lie at or below the median level.
  const auto& d = q->surface.density;
  const auto nonzero = std::count_if(d.begin(), d.end(), [](double v) { return v > 0; });
  const auto at_or_below = std::count_if(d.begin(), d.end(),
                                         [&](double v) { return v > 0 && v <= q->levels[0]; });
  EXPECT_GE(2 * at_or_below, nonzero);
}

}  // namespace
}  // namespace hotspot::engine
