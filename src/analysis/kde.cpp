#include "hotspot/analysis/kde.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <numbers>
#include <string>
#include <thread>
#include <utility>

namespace hotspot::analysis {
namespace {

constexpr double kPerKm2 = 1e6;

constexpr std::int64_t kMaxReach = 200;  // KdeParams::kMaxBandwidthCells

// Four doubles processed together (GCC/Clang vector extension: AVX where the
// CPU has it through the clone below, two SSE2 halves otherwise).
using Lanes = double __attribute__((vector_size(32)));

// sum over points p of max(0, 1 - d^2/h^2)^2, d the distance from (cx, cy)
// to (x[p], y[p]); the same arithmetic as kernel_density_at.
inline double weight(double x, double y, double cx, double cy, double inv_h2) {
  const double dx = x - cx, dy = y - cy;
  const double u = 1 - (dx * dx + dy * dy) * inv_h2;
  return u > 0 ? u * u : 0;
}

// The same, four points at a time, for cells holding many points.
__attribute__((target_clones("avx2", "default")))
double group_weight(const double* x, const double* y, std::size_t m, double cx, double cy,
                    double inv_h2) {
  std::size_t p = 0;
  double sum = 0;
  if (m >= 4) {
    Lanes acc = {0, 0, 0, 0};
    for (; p + 4 <= m; p += 4) {
      Lanes vx, vy;
      std::memcpy(&vx, x + p, sizeof vx);
      std::memcpy(&vy, y + p, sizeof vy);
      const Lanes dx = vx - cx, dy = vy - cy;
      Lanes u = 1 - (dx * dx + dy * dy) * inv_h2;
      u = u > 0 ? u : 0;
      acc += u * u;
    }
    sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  }
  for (; p < m; ++p) sum += weight(x[p], y[p], cx, cy, inv_h2);
  return sum;
}

// Adds max(0, 1 - (dx2[k] + dy2) / h^2)^2 to row[k] for k < cols: one point's
// contributions along one grid row, four cells at a time.
__attribute__((target_clones("avx2", "default")))
void add_row(double* row, const double* dx2, std::size_t cols, double dy2, double inv_h2) {
  std::size_t k = 0;
  for (; k + 4 <= cols; k += 4) {
    Lanes d, r;
    std::memcpy(&d, dx2 + k, sizeof d);
    std::memcpy(&r, row + k, sizeof r);
    Lanes u = 1 - (d + dy2) * inv_h2;
    u = u > 0 ? u : 0;
    r += u * u;
    std::memcpy(row + k, &r, sizeof r);
  }
  for (; k < cols; ++k) {
    const double u = 1 - (dx2[k] + dy2) * inv_h2;
    row[k] += u > 0 ? u * u : 0;
  }
}

// One point's contributions to the grid cells within r = ceil(h / cell) rows
// and columns of (own_x, own_y), clipped to the grid.
void scatter_point(double x, double y, std::int64_t own_x, std::int64_t own_y,
                   const GridGeometry& g, double h, std::vector<double>& sums) {
  const double h2 = h * h, inv_h2 = 1 / h2;
  const auto r = static_cast<std::int64_t>(std::ceil(h / g.cell));
  const std::int64_t col_lo = std::max<std::int64_t>(0, own_x - r);
  const std::int64_t col_hi = std::min<std::int64_t>(g.nx - 1, own_x + r);
  if (col_lo > col_hi) return;
  double dx2[2 * kMaxReach + 3];
  const auto cols = static_cast<std::size_t>(col_hi - col_lo + 1);
  for (std::size_t k = 0; k < cols; ++k) {
    const double dx = x - g.centre_x(static_cast<std::int32_t>(col_lo + static_cast<std::int64_t>(k)));
    dx2[k] = dx * dx;
  }
  for (std::int64_t iy = std::max<std::int64_t>(0, own_y - r);
       iy <= std::min<std::int64_t>(g.ny - 1, own_y + r); ++iy) {
    const double dy = y - g.centre_y(static_cast<std::int32_t>(iy));
    if (dy * dy >= h2) continue;
    add_row(sums.data() + iy * g.nx + col_lo, dx2, cols, dy * dy, inv_h2);
  }
}

// Points sorted by the grid cell they fall in; cells in row-major order, then
// the points outside the grid (which still reach cells within h).
struct SortedPoints {
  std::vector<double> x, y;
  std::vector<std::uint32_t> start;  // per cell, plus the outside group and the end
};

SortedPoints sort_by_cell(std::span<const double> xs, std::span<const double> ys,
                          const GridGeometry& grid) {
  const std::size_t n = xs.size();
  SortedPoints s;
  s.x.resize(n);
  s.y.resize(n);
  std::vector<std::uint32_t> cell_of(n);
  s.start.assign(grid.size() + 2, 0);
  const auto outside = static_cast<std::uint32_t>(grid.size());
  for (std::size_t i = 0; i < n; ++i) {
    const double cx = std::floor((xs[i] - grid.origin_x) / grid.cell);
    const double cy = std::floor((ys[i] - grid.origin_y) / grid.cell);
    cell_of[i] = cx >= 0 && cx < grid.nx && cy >= 0 && cy < grid.ny
                     ? static_cast<std::uint32_t>(cy * grid.nx + cx)
                     : outside;
    ++s.start[cell_of[i] + 1];
  }
  for (std::size_t c = 1; c < s.start.size(); ++c) s.start[c] += s.start[c - 1];
  std::vector<std::uint32_t> cursor(s.start.begin(), s.start.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t k = cursor[cell_of[i]]++;
    s.x[k] = xs[i];
    s.y[k] = ys[i];
  }
  return s;
}

// Cells holding at least this many points are handled cell by cell.
constexpr std::size_t kGroupMin = 8;

// Adds the kernel sums of the points in cells [first, last) to `sums`. The
// points of one cell reach the same block of cells: those within
// r = ceil(h / cell) rows and columns whose nearest point to the own cell is
// nearer than h. For each block cell, the points' weights are summed in
// registers and stored once. Block cells where a point lies h or more away
// get exactly 0 from it, as in the definition.
void scatter_cells(const SortedPoints& s, const GridGeometry& g, double h, std::size_t first,
                   std::size_t last, std::vector<double>& sums) {
  const double h2 = h * h, inv_h2 = 1 / h2, cell = g.cell;
  const std::int64_t nx = g.nx, ny = g.ny;
  const auto r = static_cast<std::int64_t>(std::ceil(h / cell));
  // Block offsets that can be reached from somewhere in the own cell (the
  // gap between the cells' facing edges is below h, with slack for rounding).
  std::vector<std::pair<std::int64_t, std::int64_t>> block;
  for (std::int64_t dy = -r; dy <= r; ++dy) {
    for (std::int64_t dx = -r; dx <= r; ++dx) {
      const double gx = std::max<double>(std::abs(dx) - 1, 0) * cell;
      const double gy = std::max<double>(std::abs(dy) - 1, 0) * cell;
      if (gx * gx + gy * gy < h2 * (1 + 1e-9)) block.emplace_back(dx, dy);
    }
  }
  for (std::size_t c = first; c < last; ++c) {
    const std::uint32_t begin = s.start[c], end = s.start[c + 1];
    if (begin == end) continue;
    const double* px = s.x.data() + begin;
    const double* py = s.y.data() + begin;
    const std::size_t m = end - begin;
    const auto own_x = static_cast<std::int64_t>(c) % nx;
    const auto own_y = static_cast<std::int64_t>(c) / nx;
    // Few points: one at a time along grid rows.
    if (m < kGroupMin) {
      for (std::size_t p = 0; p < m; ++p) scatter_point(px[p], py[p], own_x, own_y, g, h, sums);
      continue;
    }
    for (auto [dx, dy] : block) {
      const std::int64_t ix = own_x + dx, iy = own_y + dy;
      if (ix < 0 || ix >= nx || iy < 0 || iy >= ny) continue;
      const double cx = g.centre_x(static_cast<std::int32_t>(ix));
      const double cy = g.centre_y(static_cast<std::int32_t>(iy));
      sums[static_cast<std::size_t>(iy * nx + ix)] += group_weight(px, py, m, cx, cy, inv_h2);
    }
  }
}

// The points outside the grid, one at a time over the grid cells within
// r rows and columns of them (clipped to the grid).
void scatter_outside(const SortedPoints& s, const GridGeometry& g, double h,
                     std::vector<double>& sums) {
  const double cell = g.cell;
  const auto r = static_cast<std::int64_t>(std::ceil(h / cell));
  for (std::uint32_t k = s.start[g.size()]; k < s.start[g.size() + 1]; ++k) {
    const double fx = std::floor((s.x[k] - g.origin_x) / cell);
    const double fy = std::floor((s.y[k] - g.origin_y) / cell);
    // Far away (or huge): reaches nothing.
    if (fx < -r - 1 || fy < -r - 1 || fx > g.nx + r || fy > g.ny + r) continue;
    scatter_point(s.x[k], s.y[k], static_cast<std::int64_t>(fx), static_cast<std::int64_t>(fy),
                  g, h, sums);
  }
}

}  // namespace

std::optional<Error> KdeParams::validate() const {
  if (!(bandwidth > 0 && bandwidth <= kMaxBandwidth)) {
    return make_error(ErrorCode::invalid_parameter,
                      "bandwidth must be more than 0 and at most 20000 metres");
  }
  if (!(cell_size >= kMinCell && cell_size <= 10000)) {
    return make_error(ErrorCode::invalid_parameter,
                      "cell size must be between 1 and 10000 metres");
  }
  if (bandwidth / cell_size > kMaxBandwidthCells) {
    return make_error(ErrorCode::invalid_parameter,
                      "bandwidth may be at most 200 cells; use a larger cell size");
  }
  return std::nullopt;
}

Expected<KdeResult> kernel_density(std::span<const double> xs, std::span<const double> ys,
                                   const geo::Box& extent, const KdeParams& params) {
  if (auto error = params.validate()) return *error;
  auto grid = aligned_grid(extent, params.cell_size);
  if (!grid) return grid.error();
  return kernel_density(xs, ys, *grid, params);
}

Expected<KdeResult> kernel_density(std::span<const double> xs, std::span<const double> ys,
                                   const GridGeometry& grid, const KdeParams& params) {
  KdeParams checked = params;
  checked.cell_size = grid.cell;
  if (auto error = checked.validate()) return *error;
  if (grid.nx <= 0 || grid.ny <= 0 || grid.size() > GridGeometry::kMaxCells) {
    return make_error(ErrorCode::invalid_parameter, "the grid is empty or too large");
  }
  if (xs.size() != ys.size()) {
    return make_error(ErrorCode::invalid_parameter, "x and y hold different numbers of points");
  }
  const std::size_t n = xs.size();
  if (n >= 0xFFFFFFFFu) {
    return make_error(ErrorCode::payload_too_large, "too many points for one density surface");
  }
  KdeResult result;
  result.grid = grid;
  result.points = n;
  const double max_x = grid.origin_x + grid.nx * grid.cell;
  const double max_y = grid.origin_y + grid.ny * grid.cell;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) {
      return make_error(ErrorCode::invalid_parameter,
                        "point " + std::to_string(i) + " has a non-finite coordinate");
    }
    if (xs[i] < grid.origin_x || xs[i] >= max_x || ys[i] < grid.origin_y || ys[i] >= max_y) {
      ++result.points_outside_grid;
    }
  }

  const SortedPoints sorted = sort_by_cell(xs, ys, grid);

  // Threads take chunks of cells in turn (the work per cell varies a lot:
  // a cell of many points is summed four points at a time, lone points one by
  // one) and scatter into their own grids; the grids are added at the end
  // (the summation order differs only by rounding).
  unsigned threads = params.threads == 0 ? std::thread::hardware_concurrency() : params.threads;
  threads = std::clamp(threads, 1u, 8u);
  if (n < 50000) threads = 1;
  result.density.assign(grid.size(), 0.0);
  std::vector<std::vector<double>> partial(threads - 1);
  constexpr std::size_t kChunk = 8192;
  std::atomic<std::size_t> next{0};
  auto work = [&](std::vector<double>& sums) {
    if (sums.empty()) sums.assign(grid.size(), 0.0);
    for (std::size_t first = next.fetch_add(kChunk); first < grid.size();
         first = next.fetch_add(kChunk)) {
      scatter_cells(sorted, grid, params.bandwidth, first, std::min(grid.size(), first + kChunk),
                    sums);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back([&, t] { work(partial[t - 1]); });
  work(result.density);
  scatter_outside(sorted, grid, params.bandwidth, result.density);
  for (auto& t : pool) t.join();

  const double scale = 3 / (std::numbers::pi * params.bandwidth * params.bandwidth) * kPerKm2;
  for (std::size_t c = 0; c < grid.size(); ++c) {
    double sum = result.density[c];
    for (const auto& p : partial) sum += p[c];
    result.density[c] = sum * scale;
    result.max_density = std::max(result.max_density, result.density[c]);
  }
  return result;
}

double kernel_density_at(std::span<const double> xs, std::span<const double> ys, double cx,
                         double cy, double bandwidth) {
  const double h2 = bandwidth * bandwidth;
  double sum = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double dx = xs[i] - cx, dy = ys[i] - cy;
    const double d2 = dx * dx + dy * dy;
    if (d2 < h2) {
      const double u = 1 - d2 / h2;
      sum += u * u;
    }
  }
  return sum * 3 / (std::numbers::pi * h2) * kPerKm2;
}

}  // namespace hotspot::analysis
