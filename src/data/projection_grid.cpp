// Bulk projection: a checked bicubic interpolation grid, or exact PROJ.

#include "hotspot/data/projection_grid.hpp"
#include "hotspot/geo/crs.hpp"

#include "parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace hotspot::data {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Below this many points the grid (a few thousand exact projections to
// build and check it) costs more than it saves.
constexpr std::size_t kMinPointsForGrid = 20000;
constexpr std::size_t kMaxCells = 250000;
constexpr std::size_t kCheckSample = 4096;  // input points checked exactly
constexpr std::size_t kMinPerWorker = 20000;

// Catmull-Rom weights of the nodes at -1, 0, 1, 2 for a position t in [0, 1].
inline void catmull_rom(double t, double w[4]) {
  const double t2 = t * t, t3 = t2 * t;
  w[0] = 0.5 * (-t3 + 2 * t2 - t);
  w[1] = 0.5 * (3 * t3 - 5 * t2 + 2);
  w[2] = 0.5 * (-3 * t3 + 4 * t2 + t);
  w[3] = 0.5 * (t3 - t2);
}

// Nodes at (x0 + i*dx, y0 + j*dy), i in [0, cols + 2], j in [0, rows + 2];
// cells 1..cols x 1..rows are covered (each has its 4 x 4 nodes).
struct Grid {
  double x0 = 0, y0 = 0, dx = 1, dy = 1, inv_dx = 1, inv_dy = 1;
  std::size_t cols = 0, rows = 0, stride = 0;
  std::vector<double> ex, ey;  // projected nodes, row-major

  double node_x(std::size_t i) const { return x0 + static_cast<double>(i) * dx; }
  double node_y(std::size_t j) const { return y0 + static_cast<double>(j) * dy; }

  // False when (x, y) lies outside the covered cells (or is not finite).
  bool interpolate(double x, double y, double& out_x, double& out_y) const {
    const double u = (x - x0) * inv_dx, v = (y - y0) * inv_dy;
    const double max_u = static_cast<double>(cols) + 1.0, max_v = static_cast<double>(rows) + 1.0;
    if (!(u >= 1.0 && u <= max_u && v >= 1.0 && v <= max_v)) return false;
    const std::size_t i = std::min(static_cast<std::size_t>(u), cols);
    const std::size_t j = std::min(static_cast<std::size_t>(v), rows);
    double wu[4], wv[4];
    catmull_rom(u - static_cast<double>(i), wu);
    catmull_rom(v - static_cast<double>(j), wv);
    double sx = 0, sy = 0;
    const std::size_t base = (j - 1) * stride + (i - 1);
    for (int b = 0; b < 4; ++b) {
      const double* rx = &ex[base + static_cast<std::size_t>(b) * stride];
      const double* ry = &ey[base + static_cast<std::size_t>(b) * stride];
      const double px = wu[0] * rx[0] + wu[1] * rx[1] + wu[2] * rx[2] + wu[3] * rx[3];
      const double py = wu[0] * ry[0] + wu[1] * ry[1] + wu[2] * ry[2] + wu[3] * ry[3];
      sx += wv[b] * px;
      sy += wv[b] * py;
    }
    out_x = sx;
    out_y = sy;
    return true;
  }
};

// Extent, in the source CRS, of the finite input points.
geo::Box input_extent(std::span<const double> xs, std::span<const double> ys) {
  geo::Box box;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (std::isfinite(xs[i]) && std::isfinite(ys[i])) box.expand(geo::Point{xs[i], ys[i]});
  }
  return box;
}

// Extent, in the source CRS, of an EPSG:27700 box: its outline, densified
// because straight lines in one CRS are curves in the other, plus a margin.
geo::Box source_extent_of(const geo::Box& area, const std::string& source_crs) {
  geo::Box out;
  auto inverse = geo::Transformer::create(geo::kWorkingCrs, source_crs);
  if (!inverse) return out;
  constexpr int kSteps = 64;
  for (int s = 0; s <= kSteps; ++s) {
    const double f = static_cast<double>(s) / kSteps;
    const double x = area.min_x + f * (area.max_x - area.min_x);
    const double y = area.min_y + f * (area.max_y - area.min_y);
    for (geo::Point p : {geo::Point{x, area.min_y}, geo::Point{x, area.max_y},
                         geo::Point{area.min_x, y}, geo::Point{area.max_x, y}}) {
      if (inverse->transform(p.x, p.y)) out.expand(p);
    }
  }
  if (out.empty()) return out;
  const double mx = 0.02 * (out.max_x - out.min_x), my = 0.02 * (out.max_y - out.min_y);
  return geo::Box{out.min_x - mx, out.min_y - my, out.max_x + mx, out.max_y + my};
}

void project_exactly(const std::string& source_crs, std::span<double> xs, std::span<double> ys,
                     unsigned threads, ProjectionStats& stats) {
  const std::size_t n = std::min(xs.size(), ys.size());
  std::vector<std::size_t> failed(detail::slice_count(n, threads, kMinPerWorker), 0);
  // One Transformer per worker: a Transformer must not be shared between threads.
  detail::parallel_slices(n, threads, kMinPerWorker, [&](std::size_t w, std::size_t b, std::size_t e) {
    auto transformer = geo::Transformer::create(source_crs, geo::kWorkingCrs);
    if (!transformer) {
      std::fill(xs.begin() + static_cast<std::ptrdiff_t>(b), xs.begin() + static_cast<std::ptrdiff_t>(e), kInf);
      std::fill(ys.begin() + static_cast<std::ptrdiff_t>(b), ys.begin() + static_cast<std::ptrdiff_t>(e), kInf);
      failed[w] = e - b;
      return;
    }
    failed[w] = transformer->transform(xs.subspan(b, e - b), ys.subspan(b, e - b));
  });
  stats.exact += n;
  for (std::size_t f : failed) stats.failed += f;
}

// Builds the grid over `extent` and checks it; nullopt-like empty grid
// (cols == 0) with stats.fallback_reason set when it cannot be trusted.
Grid build_grid(const geo::Transformer& exact, const geo::Box& extent, std::span<const double> xs,
                std::span<const double> ys, const ProjectionOptions& options,
                ProjectionStats& stats) {
  Grid g;
  const double span_x = extent.max_x - extent.min_x, span_y = extent.max_y - extent.min_y;
  if (!(span_x > 0 && span_y > 0)) {
    stats.fallback_reason = "points span no area";
    return g;
  }
  // Metres per source unit near the middle, to size the cells.
  const double cx = extent.min_x + span_x / 2, cy = extent.min_y + span_y / 2;
  const double hx = span_x / 100, hy = span_y / 100;
  const geo::Point c = exact.transform(geo::Point{cx, cy});
  const geo::Point px = exact.transform(geo::Point{cx + hx, cy});
  const geo::Point py = exact.transform(geo::Point{cx, cy + hy});
  const double mx = std::hypot(px.x - c.x, px.y - c.y) / hx;
  const double my = std::hypot(py.x - c.x, py.y - c.y) / hy;
  if (!std::isfinite(mx) || !std::isfinite(my) || mx <= 0 || my <= 0) {
    stats.fallback_reason = "cannot project the middle of the points";
    return g;
  }
  const double cells_x = std::max(1.0, std::ceil(span_x * mx / options.cell_m));
  const double cells_y = std::max(1.0, std::ceil(span_y * my / options.cell_m));
  if (cells_x * cells_y > static_cast<double>(kMaxCells)) {
    stats.fallback_reason = "points spread over too large an area";
    return g;
  }
  g.cols = static_cast<std::size_t>(cells_x);
  g.rows = static_cast<std::size_t>(cells_y);
  g.dx = span_x / cells_x;
  g.dy = span_y / cells_y;
  g.inv_dx = 1.0 / g.dx;
  g.inv_dy = 1.0 / g.dy;
  g.x0 = extent.min_x - g.dx;  // one node of margin for the cubic's outer nodes
  g.y0 = extent.min_y - g.dy;
  g.stride = g.cols + 3;
  const std::size_t node_rows = g.rows + 3;
  g.ex.resize(g.stride * node_rows);
  g.ey.resize(g.stride * node_rows);
  for (std::size_t j = 0; j < node_rows; ++j) {
    for (std::size_t i = 0; i < g.stride; ++i) {
      g.ex[j * g.stride + i] = g.node_x(i);
      g.ey[j * g.stride + i] = g.node_y(j);
    }
  }
  if (exact.transform(g.ex, g.ey) != 0) {
    stats.fallback_reason = "some grid nodes cannot be projected";
    g.cols = 0;
    return g;
  }

  // The check: every cell's mid-point, and a spread sample of the input.
  std::vector<double> sx, sy;
  sx.reserve(g.cols * g.rows + kCheckSample);
  sy.reserve(g.cols * g.rows + kCheckSample);
  for (std::size_t j = 1; j <= g.rows; ++j) {
    for (std::size_t i = 1; i <= g.cols; ++i) {
      sx.push_back(g.node_x(i) + 0.5 * g.dx);
      sy.push_back(g.node_y(j) + 0.5 * g.dy);
    }
  }
  const std::size_t n = std::min(xs.size(), ys.size());
  const std::size_t step = std::max<std::size_t>(1, n / kCheckSample);
  double ignored_x = 0, ignored_y = 0;
  for (std::size_t i = 0; i < n; i += step) {
    if (g.interpolate(xs[i], ys[i], ignored_x, ignored_y)) {
      sx.push_back(xs[i]);
      sy.push_back(ys[i]);
    }
  }
  std::vector<double> tx = sx, ty = sy;
  const std::size_t failed = exact.transform(tx, ty);
  double worst = 0;
  for (std::size_t k = 0; k < sx.size(); ++k) {
    double ix = 0, iy = 0;
    g.interpolate(sx[k], sy[k], ix, iy);
    const double err = std::hypot(ix - tx[k], iy - ty[k]);
    worst = std::isfinite(err) ? std::max(worst, err) : kInf;
  }
  stats.checked = sx.size();
  stats.max_error_m = worst;
  stats.grid_columns = g.cols;
  stats.grid_rows = g.rows;
  if (failed != 0 || !(worst <= options.tolerance_m)) {
    stats.fallback_reason = "interpolation differs from exact projection by more than the tolerance";
    g.cols = 0;
  }
  return g;
}

}  // namespace

ProjectionStats project_to_working(const std::string& source_crs, std::span<double> xs,
                                   std::span<double> ys, const ProjectionOptions& options) {
  ProjectionStats stats;
  const std::size_t n = std::min(xs.size(), ys.size());
  xs = xs.first(n);
  ys = ys.first(n);
  if (n == 0) return stats;
  auto exact = geo::Transformer::create(source_crs, geo::kWorkingCrs);
  if (!exact) {
    stats.error = exact.error().message;
    std::fill(xs.begin(), xs.end(), kInf);
    std::fill(ys.begin(), ys.end(), kInf);
    stats.failed = n;
    return stats;
  }
  if (!options.allow_grid || n < kMinPointsForGrid) {
    stats.fallback_reason = options.allow_grid ? "too few points" : "grid not allowed";
    project_exactly(source_crs, xs, ys, options.threads, stats);
    return stats;
  }

  geo::Box extent = input_extent(xs, ys);
  if (!options.area.empty() && !extent.empty()) {
    const geo::Box area = source_extent_of(options.area, source_crs);
    if (!area.empty()) {
      extent = geo::Box{std::max(extent.min_x, area.min_x), std::max(extent.min_y, area.min_y),
                        std::min(extent.max_x, area.max_x), std::min(extent.max_y, area.max_y)};
    }
  }
  const Grid grid = build_grid(*exact, extent, xs, ys, options, stats);
  if (grid.cols == 0) {
    project_exactly(source_crs, xs, ys, options.threads, stats);
    return stats;
  }
  stats.grid_used = true;

  // Interpolate; points the grid does not cover are gathered per worker and
  // projected exactly by that worker's own Transformer.
  const std::size_t workers = detail::slice_count(n, options.threads, kMinPerWorker);
  std::vector<std::size_t> exact_count(workers, 0), failed(workers, 0);
  detail::parallel_slices(n, options.threads, kMinPerWorker, [&](std::size_t w, std::size_t b, std::size_t e) {
    std::vector<std::size_t> misses;
    for (std::size_t i = b; i < e; ++i) {
      double ox = 0, oy = 0;
      if (grid.interpolate(xs[i], ys[i], ox, oy)) {
        xs[i] = ox;
        ys[i] = oy;
      } else {
        misses.push_back(i);
      }
    }
    if (misses.empty()) return;
    std::vector<double> mx(misses.size()), my(misses.size());
    for (std::size_t k = 0; k < misses.size(); ++k) {
      mx[k] = xs[misses[k]];
      my[k] = ys[misses[k]];
    }
    auto transformer = geo::Transformer::create(source_crs, geo::kWorkingCrs);
    if (transformer) {
      failed[w] = transformer->transform(mx, my);
    } else {
      std::fill(mx.begin(), mx.end(), kInf);
      std::fill(my.begin(), my.end(), kInf);
      failed[w] = misses.size();
    }
    for (std::size_t k = 0; k < misses.size(); ++k) {
      xs[misses[k]] = mx[k];
      ys[misses[k]] = my[k];
    }
    exact_count[w] = misses.size();
  });
  for (std::size_t w = 0; w < workers; ++w) {
    stats.exact += exact_count[w];
    stats.failed += failed[w];
  }
  return stats;
}

}  // namespace hotspot::data
