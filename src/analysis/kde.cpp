#include "hotspot/analysis/kde.hpp"
#include "hotspot/geo/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

namespace hotspot::analysis {
namespace {

constexpr double kPerKm2 = 1e6;

// Four and eight doubles processed together (GCC/Clang vector extension; the
// clones below pick AVX-512 or AVX2 where the CPU has it, SSE2 otherwise).
using Lanes4 = double __attribute__((vector_size(32)));
using Lanes8 = double __attribute__((vector_size(64)));
constexpr std::int64_t kSpanLanes = 4;

// A point reaches the cells within r = ceil(h / cell) rows and columns of its
// own. Points whose cell is within r cells of the grid can reach real cells;
// one further out is at least r cells + half a cell from every real cell
// centre, so further than h. The padded grid has a margin of 2r cells on every
// side (and a few more columns on the right, so that every point's span of
// columns can be rounded up to whole vectors), so that the whole block of
// every point that reaches the grid exists: nothing is clipped, and
// contributions that land in margin cells are dropped when the real cells are
// copied out. Padded column = real column + 2r, likewise rows.
struct Padded {
  std::int64_t r = 0;
  std::int64_t margin = 0;  // 2r
  std::int64_t width = 0, height = 0;
  std::int64_t span = 0;  // 2r + 1 rounded up to whole vectors
  std::size_t size() const { return static_cast<std::size_t>(width * height); }
};

Padded padded_layout(const GridGeometry& g, double h) {
  Padded p;
  p.r = static_cast<std::int64_t>(std::ceil(h / g.cell));
  p.margin = 2 * p.r;
  p.span = (2 * p.r + 1 + kSpanLanes - 1) / kSpanLanes * kSpanLanes;
  p.width = g.nx + 2 * p.margin + (p.span - (2 * p.r + 1));
  p.height = g.ny + 2 * p.margin;
  return p;
}

struct Pt {
  double x, y;
};

// Points that can reach the grid, grouped by padded cell: cells in row-major
// order, start[c] .. start[c + 1] the points of cell c.
struct SortedPoints {
  std::unique_ptr<Pt[]> pts;  // not zero-filled: every slot is written
  std::vector<std::uint32_t> start;
};

constexpr std::uint32_t kUnreached = 0xFFFFFFFFu;

// A counting sort in two cache-friendly passes rather than one scatter over
// every cell: first by padded row (a few hundred write streams), then each
// row's points by column (a row's points fit in cache). Stable, so the order
// within a cell, and hence every sum, is the same whatever the thread count.
// Threads split the points for the first pass and take rows in turn for the
// second.
SortedPoints sort_by_cell(std::span<const double> xs, std::span<const double> ys,
                          const GridGeometry& g, const Padded& pad, unsigned threads) {
  const std::size_t n = xs.size();
  const auto width = static_cast<std::size_t>(pad.width);
  const auto height = static_cast<std::size_t>(pad.height);
  // Uninitialised (every entry is written in pass 1): no zero-fill pass.
  std::unique_ptr<std::uint32_t[]> row_of(new std::uint32_t[n]);
  std::vector<std::vector<std::uint32_t>> row_count(threads, std::vector<std::uint32_t>(height, 0));

  // Pass 1: each point's padded cell, and per thread the points per row.
  geo::fork_join(threads, [&](std::size_t t) {
    const auto [lo, hi] = geo::slice_range(n, threads, t);
    std::vector<std::uint32_t>& count = row_count[t];
    // Padded cells of the points that reach the grid: [r, n + 3r).
    const double r = static_cast<double>(pad.r), margin = static_cast<double>(pad.margin);
    const double w = static_cast<double>(g.nx) + 3 * r, hgt = static_cast<double>(g.ny) + 3 * r;
    for (std::size_t i = lo; i < hi; ++i) {
      const double px = std::floor((xs[i] - g.origin_x) / g.cell) + margin;
      const double py = std::floor((ys[i] - g.origin_y) / g.cell) + margin;
      if (px >= r && px < w && py >= r && py < hgt) {
        row_of[i] = static_cast<std::uint32_t>(py);
        ++count[row_of[i]];
      } else {
        row_of[i] = kUnreached;
      }
    }
  });

  // Where each thread's points of each row go.
  std::vector<std::uint32_t> row_start(height + 1, 0);
  std::vector<std::vector<std::uint32_t>> cursor(threads, std::vector<std::uint32_t>(height));
  std::uint32_t at = 0;
  for (std::size_t row = 0; row < height; ++row) {
    row_start[row] = at;
    for (unsigned t = 0; t < threads; ++t) {
      cursor[t][row] = at;
      at += row_count[t][row];
    }
  }
  row_start[height] = at;

  // Pass 2: points into their rows.
  std::unique_ptr<Pt[]> by_row(new Pt[at]);
  geo::fork_join(threads, [&](std::size_t t) {
    const auto [lo, hi] = geo::slice_range(n, threads, t);
    std::uint32_t* next = cursor[t].data();
    for (std::size_t i = lo; i < hi; ++i) {
      if (row_of[i] == kUnreached) continue;
      const std::uint32_t k = next[row_of[i]]++;
      by_row[k] = {xs[i], ys[i]};
    }
  });

  // Pass 3: within each row, by column.
  SortedPoints s;
  s.pts.reset(new Pt[at]);
  s.start.assign(pad.size() + 1, 0);
  s.start[pad.size()] = at;
  std::atomic<std::size_t> next_row{0};
  geo::fork_join(threads, [&](std::size_t) {
    std::vector<std::uint32_t> count(width + 1), col;
    for (std::size_t row = next_row++; row < height; row = next_row++) {
      const std::uint32_t lo = row_start[row], hi = row_start[row + 1];
      std::fill(count.begin(), count.end(), 0);
      // The same column as pass 1 computed (the same arithmetic).
      col.resize(hi - lo);
      for (std::uint32_t k = lo; k < hi; ++k) {
        col[k - lo] = static_cast<std::uint32_t>(
            std::floor((by_row[k].x - g.origin_x) / g.cell) + static_cast<double>(pad.margin));
        ++count[col[k - lo] + 1];
      }
      std::uint32_t* start = s.start.data() + row * width;
      std::uint32_t sum = lo;
      for (std::size_t c = 0; c < width; ++c) {
        sum += count[c + 1];
        count[c] = start[c] = sum - count[c + 1];
      }
      for (std::uint32_t k = lo; k < hi; ++k) s.pts[count[col[k - lo]]++] = by_row[k];
    }
  });
  return s;
}

// Per-CPU versions of the two hot loops. Not under ThreadSanitizer: the
// ifunc resolver that target_clones adds is instrumented too, and it runs
// while the dynamic loader relocates the program, before TSan's runtime is
// set up, so a TSan build died in __tsan_func_entry before main.
#if defined(__SANITIZE_THREAD__)
#define HOTSPOT_TARGET_CLONES(...)
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HOTSPOT_TARGET_CLONES(...)
#endif
#endif
#ifndef HOTSPOT_TARGET_CLONES
#define HOTSPOT_TARGET_CLONES(...) __attribute__((target_clones(__VA_ARGS__)))
#endif

// sum over points p of max(0, 1 - d^2/h^2)^2, d the distance from (cx, cy)
// to p; the same arithmetic as kernel_density_at, eight points at a time.
HOTSPOT_TARGET_CLONES("avx512f", "avx2", "default")
double group_weight(const Pt* p, std::size_t m, double cx, double cy, double inv_h2) {
  std::size_t k = 0;
  double sum = 0;
  if (m >= 8) {
    Lanes8 acc = {};
    for (; k + 8 <= m; k += 8) {
      Lanes8 dx, dy;
      for (int j = 0; j < 8; ++j) {
        dx[j] = p[k + j].x;
        dy[j] = p[k + j].y;
      }
      dx -= cx;
      dy -= cy;
      Lanes8 u = 1 - (dx * dx + dy * dy) * inv_h2;
      u = u > 0 ? u : 0;
      acc += u * u;
    }
    sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  }
  for (; k < m; ++k) {
    const double dx = p[k].x - cx, dy = p[k].y - cy;
    const double u = 1 - (dx * dx + dy * dy) * inv_h2;
    sum += u > 0 ? u * u : 0;
  }
  return sum;
}

// Points one at a time: each adds max(0, 1 - (dx^2 + dy^2)/h^2)^2 to the
// cells of its block, a row at a time, `span` columns (whole vectors) per
// row. Columns past the kernel's reach get exactly +0.
HOTSPOT_TARGET_CLONES("avx2", "default")
void scatter_points(const Pt* p, std::size_t m, std::int64_t own_x, std::int64_t own_y,
                    const GridGeometry& g, const Padded& pad, double h2, double* sums) {
  const double inv_h2 = 1 / h2;
  const std::int64_t r = pad.r, span = pad.span;
  // Real column and row of the block's first cell (negative in the margin).
  const auto col0 = static_cast<std::int32_t>(own_x - r - pad.margin);
  const auto row0 = static_cast<std::int32_t>(own_y - r - pad.margin);
  alignas(64) double dx2[2 * 200 + 1 + kSpanLanes];
  for (std::size_t k = 0; k < m; ++k) {
    const double x = p[k].x, y = p[k].y;
    for (std::int64_t c = 0; c < span; ++c) {
      const double dx = x - g.centre_x(col0 + static_cast<std::int32_t>(c));
      dx2[c] = dx * dx;
    }
    double* row = sums + (own_y - r) * pad.width + (own_x - r);
    for (std::int32_t j = 0; j <= 2 * r; ++j, row += pad.width) {
      const double dy = y - g.centre_y(row0 + j);
      const double dy2 = dy * dy;
      if (dy2 >= h2) continue;
      for (std::int64_t c = 0; c < span; c += kSpanLanes) {
        Lanes4 d, v;
        std::memcpy(&d, dx2 + c, sizeof d);
        std::memcpy(&v, row + c, sizeof v);
        Lanes4 u = 1 - (d + dy2) * inv_h2;
        u = u > 0 ? u : 0;
        v += u * u;
        std::memcpy(row + c, &v, sizeof v);
      }
    }
  }
}

// Cells holding at least this many points are summed cell by cell.
constexpr std::size_t kGroupMin = 8;

// Adds the kernel sums of the points in padded cells [first, last) to `sums`
// (a padded grid). The points of one cell reach the same block of cells:
// those within r rows and columns whose nearest point to the own cell is
// nearer than h. For a cell of many points, each block cell's weights are
// summed in registers and stored once; few points go one at a time.
void scatter_cells(const SortedPoints& s, const GridGeometry& g, const Padded& pad, double h,
                   const std::vector<std::int64_t>& block, std::size_t first, std::size_t last,
                   double* sums, const Deadline& deadline) {
  const double h2 = h * h, inv_h2 = 1 / h2;
  std::size_t done = 0;
  for (std::size_t c = first; c < last; ++c) {
    const std::uint32_t begin = s.start[c], end = s.start[c + 1];
    if (begin == end) continue;
    if (++done % 64 == 0 && deadline.expired()) return;
    const Pt* p = s.pts.get() + begin;
    const std::size_t m = end - begin;
    const auto own_x = static_cast<std::int64_t>(c) % pad.width;
    const auto own_y = static_cast<std::int64_t>(c) / pad.width;
    if (m < kGroupMin) {
      scatter_points(p, m, own_x, own_y, g, pad, h2, sums);
      continue;
    }
    for (std::int64_t offset : block) {
      const std::int64_t target = static_cast<std::int64_t>(c) + offset;
      const auto ix = static_cast<std::int32_t>(target % pad.width - pad.margin);
      const auto iy = static_cast<std::int32_t>(target / pad.width - pad.margin);
      sums[target] += group_weight(p, m, g.centre_x(ix), g.centre_y(iy), inv_h2);
    }
  }
}

// Offsets (in padded cells) of the block cells that can be reached from
// somewhere in the own cell: the gap between the cells' facing edges is below
// h, with slack for rounding.
std::vector<std::int64_t> block_offsets(const Padded& pad, double cell, double h) {
  std::vector<std::int64_t> block;
  const double h2 = h * h;
  for (std::int64_t dy = -pad.r; dy <= pad.r; ++dy) {
    for (std::int64_t dx = -pad.r; dx <= pad.r; ++dx) {
      const double gx = std::max<double>(static_cast<double>(std::abs(dx)) - 1, 0) * cell;
      const double gy = std::max<double>(static_cast<double>(std::abs(dy)) - 1, 0) * cell;
      if (gx * gx + gy * gy < h2 * (1 + 1e-9)) block.push_back(dy * pad.width + dx);
    }
  }
  return block;
}

}  // namespace

std::optional<Error> KdeParams::validate() const {
  if (!(bandwidth >= kMinCell && bandwidth <= kMaxBandwidth)) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'bandwidth': must be between 10 and 20000 metres");
  }
  if (!(cell_size >= kMinCell && cell_size <= kMaxCell)) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'cell': must be between 10 and 5000 metres");
  }
  if (bandwidth / cell_size > kMaxBandwidthCells) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'bandwidth': at most 200 cells; use a larger 'cell'");
  }
  return std::nullopt;
}

Expected<KdeResult> kernel_density(std::span<const double> xs, std::span<const double> ys,
                                   const geo::Box& extent, const KdeParams& params,
                                   const Deadline& deadline) {
  if (auto error = params.validate()) return *error;
  auto grid = aligned_grid(extent, params.cell_size);
  if (!grid) return grid.error();
  return kernel_density(xs, ys, *grid, params, deadline);
}

Expected<KdeResult> kernel_density(std::span<const double> xs, std::span<const double> ys,
                                   const GridGeometry& grid, const KdeParams& params,
                                   const Deadline& deadline) {
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
  const Padded pad = padded_layout(grid, params.bandwidth);
  if (pad.size() > 2 * GridGeometry::kMaxCells) {
    return make_error(ErrorCode::invalid_parameter,
                      "the grid with a margin of one bandwidth is too large; use a larger cell "
                      "size");
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
    result.points_outside_grid +=
        xs[i] < grid.origin_x || xs[i] >= max_x || ys[i] < grid.origin_y || ys[i] >= max_y;
  }

  // At most 8 workers: each owns a padded grid of partial sums. Small inputs
  // stay on one thread.
  const unsigned threads = n < 50000 ? 1 : std::min(geo::resolve_threads(params.threads), 8u);
  const SortedPoints sorted = sort_by_cell(xs, ys, grid, pad, threads);
  const std::vector<std::int64_t> block = block_offsets(pad, grid.cell, params.bandwidth);

  // The work, counted before any of it: points in a sparse cell each reach
  // the rows and columns of their kernel; a dense cell's group reaches the
  // block once.
  const double per_point = static_cast<double>((2 * pad.r + 1) * pad.span);
  double work = 0;
  for (std::size_t c = 0; c < pad.size(); ++c) {
    const std::uint32_t m = sorted.start[c + 1] - sorted.start[c];
    work += m < kGroupMin ? m * per_point : static_cast<double>(block.size());
  }
  if (work > KdeParams::kMaxWork) {
    return make_error(ErrorCode::payload_too_large,
                      "Kernel density of " + std::to_string(n) + " incidents with a bandwidth of " +
                          std::to_string(static_cast<long>(params.bandwidth)) + " m on " +
                          std::to_string(static_cast<long>(grid.cell)) +
                          " m cells is too much work for one request; use a larger 'cell', a "
                          "smaller 'bandwidth' or a narrower selection");
  }

  // Threads take chunks of cells in turn (the work per cell varies a lot:
  // a cell of many points is summed eight points at a time, lone points one
  // by one) and scatter into their own padded grids; the grids are added at
  // the end (the order of that sum differs from the definition's only by
  // rounding).
  std::vector<std::vector<double>> partial(threads);
  constexpr std::size_t kChunk = 8192;
  std::atomic<std::size_t> next{0};
  geo::fork_join(threads, [&](std::size_t t) {
    std::vector<double>& sums = partial[t];
    sums.assign(pad.size(), 0.0);
    for (std::size_t first = next.fetch_add(kChunk); first < pad.size();
         first = next.fetch_add(kChunk)) {
      if (deadline.expired()) break;
      scatter_cells(sorted, grid, pad, params.bandwidth, block, first,
                    std::min(pad.size(), first + kChunk), sums.data(), deadline);
    }
  });
  if (deadline.expired()) return deadline_error();

  // The real cells, scaled to incidents per km^2.
  const double scale = 3 / (std::numbers::pi * params.bandwidth * params.bandwidth) * kPerKm2;
  result.density.resize(grid.size());
  for (std::int64_t iy = 0; iy < grid.ny; ++iy) {
    const std::size_t from = static_cast<std::size_t>((iy + pad.margin) * pad.width + pad.margin);
    double* out = result.density.data() + iy * grid.nx;
    for (std::int64_t ix = 0; ix < grid.nx; ++ix) {
      double sum = 0;
      for (const auto& p : partial) sum += p[from + static_cast<std::size_t>(ix)];
      out[ix] = sum * scale;
      result.max_density = std::max(result.max_density, out[ix]);
    }
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
