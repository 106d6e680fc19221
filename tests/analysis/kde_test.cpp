// Kernel density against the definition summed over every point.

#include "hotspot/analysis/kde.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace hotspot::analysis {
namespace {

struct Points {
  std::vector<double> x, y;
};

Points clustered(std::mt19937_64& rng, std::size_t n, const geo::Box& box) {
  Points p;
  std::uniform_real_distribution<double> ux(box.min_x - 600, box.max_x + 600);
  std::uniform_real_distribution<double> uy(box.min_y - 600, box.max_y + 600);
  std::normal_distribution<double> g(0, 250);
  const double cx = (box.min_x + box.max_x) / 2, cy = (box.min_y + box.max_y) / 2;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 2) {
      p.x.push_back(cx + g(rng));
      p.y.push_back(cy + g(rng));
    } else {
      p.x.push_back(ux(rng));
      p.y.push_back(uy(rng));
    }
  }
  return p;
}

void expect_matches_definition(const Points& p, const KdeResult& r, double h) {
  const GridGeometry& g = r.grid;
  for (std::int32_t iy = 0; iy < g.ny; ++iy) {
    for (std::int32_t ix = 0; ix < g.nx; ++ix) {
      const double want = kernel_density_at(p.x, p.y, g.centre_x(ix), g.centre_y(iy), h);
      const double got = r.density[std::size_t(iy) * std::size_t(g.nx) + std::size_t(ix)];
      if (want == 0) {
        ASSERT_LE(got, 1e-20) << ix << "," << iy;
      } else {
        ASSERT_LE(std::abs(got - want) / want, 1e-12) << ix << "," << iy;
      }
    }
  }
}

TEST(Kde, MatchesDefinitionAtEveryCell) {
  std::mt19937_64 rng(17);
  const geo::Box box{377187.5, 506235.7, 381000, 509000};
  for (int round = 0; round < 4; ++round) {
    Points p = clustered(rng, 3000, box);
    KdeParams params{.bandwidth = 150.0 + 120 * round, .cell_size = 50.0 + 25 * round,
                     .threads = 1};
    auto r = kernel_density(p.x, p.y, box, params);
    ASSERT_TRUE(r) << r.error().message;
    expect_matches_definition(p, *r, params.bandwidth);
  }
}

// The multi-threaded path (taken from 50,000 points) at sampled cells.
TEST(Kde, ThreadedMatchesDefinitionAtSampledCells) {
  std::mt19937_64 rng(23);
  const geo::Box box{400000, 520000, 404000, 523000};
  Points p = clustered(rng, 60000, box);
  auto r = kernel_density(p.x, p.y, box, {.bandwidth = 500, .cell_size = 100, .threads = 2});
  ASSERT_TRUE(r);
  std::uniform_int_distribution<std::int32_t> col(0, r->grid.nx - 1), row(0, r->grid.ny - 1);
  for (int s = 0; s < 200; ++s) {
    const std::int32_t ix = col(rng), iy = row(rng);
    const double want = kernel_density_at(p.x, p.y, r->grid.centre_x(ix), r->grid.centre_y(iy), 500);
    const double got = r->density[std::size_t(iy) * std::size_t(r->grid.nx) + std::size_t(ix)];
    ASSERT_GT(want, 0);
    ASSERT_LE(std::abs(got - want) / want, 1e-12);
  }
}

// Dense clusters (summed cell by cell) on the grid's corners and just
// outside its edges, with the threaded path, at every cell.
TEST(Kde, DenseCellsAtTheEdgesMatchDefinition) {
  std::mt19937_64 rng(31);
  const GridGeometry grid{.origin_x = 410000, .origin_y = 530000, .cell = 50, .nx = 40, .ny = 30};
  const double right = grid.origin_x + grid.nx * grid.cell, top = grid.origin_y + grid.ny * grid.cell;
  const double centres[][2] = {{grid.origin_x, grid.origin_y}, {right, top},
                               {grid.origin_x - 200, top - 300}, {right + 250, grid.origin_y + 700},
                               {(grid.origin_x + right) / 2, top + 150}};
  std::normal_distribution<double> g(0, 60);
  Points p;
  for (int k = 0; k < 60000; ++k) {
    const auto& c = centres[k % 5];
    p.x.push_back(c[0] + g(rng));
    p.y.push_back(c[1] + g(rng));
  }
  const double h = 260;  // 6 cells
  auto r = kernel_density(p.x, p.y, grid, {.bandwidth = h, .threads = 2});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_GT(r->points_outside_grid, 20000u);
  expect_matches_definition(p, *r, h);
}

// A grid so thin that its margin of one bandwidth would dwarf it: an error,
// not a huge allocation.
TEST(Kde, RejectsGridTooThinForTheBandwidth) {
  const GridGeometry grid{.origin_x = 0, .origin_y = 0, .cell = 1, .nx = 1, .ny = 3000000};
  std::vector<double> x{0.5}, y{0.5};
  auto r = kernel_density(x, y, grid, {.bandwidth = 200});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_parameter);
}

TEST(Kde, GridGeometryOfTheWardsExtent) {
  // The County Durham wards' extent, as used by the peer benchmark.
  const geo::Box wards{377187.5, 506235.7, 448926.0, 558253.0};
  std::vector<double> none;
  auto r = kernel_density(none, none, wards, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->grid.origin_x, 377100);
  EXPECT_EQ(r->grid.origin_y, 506200);
  EXPECT_EQ(r->grid.nx, 719);
  EXPECT_EQ(r->grid.ny, 521);
  EXPECT_EQ(r->max_density, 0);
}

TEST(Kde, SinglePointPeakAndMass) {
  // A point on a cell centre: the peak is 3 / (pi h^2) per m^2; the kernel
  // integrates to one point over a fine grid.
  std::vector<double> x{1005}, y{2005};
  const double h = 200;
  auto r = kernel_density(x, y, geo::Box{0, 1000, 2000, 3000}, {.bandwidth = h, .cell_size = 10});
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->max_density, 3 / (std::numbers::pi * h * h) * 1e6, 1e-9);
  double mass = 0;
  for (double d : r->density) mass += d * 100 / 1e6;
  EXPECT_NEAR(mass, 1.0, 1e-3);
  EXPECT_EQ(r->points_outside_grid, 0u);
}

TEST(Kde, RejectsBadInput) {
  const geo::Box box{0, 0, 1000, 1000};
  std::vector<double> x{1, 2}, y{1};
  EXPECT_FALSE(kernel_density(x, y, box, {}));
  std::vector<double> nan{NAN}, one{1};
  EXPECT_FALSE(kernel_density(nan, one, box, {}));
  EXPECT_TRUE(KdeParams{.bandwidth = 0}.validate());
  EXPECT_TRUE(KdeParams{.bandwidth = 30000}.validate());
  EXPECT_TRUE(KdeParams{.cell_size = 5}.validate());
  EXPECT_TRUE(KdeParams{.cell_size = 5001}.validate());
  EXPECT_TRUE((KdeParams{.bandwidth = 5000, .cell_size = 10}.validate()));
  EXPECT_FALSE(kernel_density(one, one, geo::Box{0, 0, 1e6, 1e6}, {.cell_size = 10}));
}

}  // namespace
}  // namespace hotspot::analysis
