// Bulk projection: a checked bicubic interpolation grid, or exact PROJ.

#include "hotspot/data/projection_grid.hpp"
#include "hotspot/geo/crs.hpp"

#include "hotspot/geo/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

namespace hotspot::data {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Below this many points the grid (a few thousand exact projections to
// build and check it) costs more than it saves.
constexpr std::size_t kMinPointsForGrid = 20000;
constexpr std::size_t kMaxCells = 20000;  // 1 km cells: 20,000 km²
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
geo::Box input_extent(std::span<const PointSpans> parts) {
  geo::Box box;
  for (const PointSpans& part : parts) {
    for (std::size_t i = 0; i < part.x.size(); ++i) {
      if (std::isfinite(part.x[i]) && std::isfinite(part.y[i])) box.expand(geo::Point{part.x[i], part.y[i]});
    }
  }
  return box;
}

// Extent, in the source CRS, of an EPSG:27700 box: its outline, densified
// because straight lines in one CRS are curves in the other, plus a margin.
geo::Box source_extent_of(const geo::Box& area, const std::string& source_crs) {
  auto inverse = geo::Transformer::create(geo::kWorkingCrs, source_crs);
  if (!inverse) return geo::Box{};
  const geo::Box out = geo::transform_box(area, *inverse, 64);
  if (out.empty()) return out;
  const double mx = 0.02 * (out.max_x - out.min_x), my = 0.02 * (out.max_y - out.min_y);
  return geo::Box{out.min_x - mx, out.min_y - my, out.max_x + mx, out.max_y + my};
}

// Transformers for the workers of parallel_slices, created on first use by
// the worker that owns the slot (a Transformer must not be shared between
// threads, and creating one costs tens of milliseconds). Slot 0, the
// calling thread's, is the caller's own.
class WorkerTransformers {
 public:
  WorkerTransformers(const std::string& source_crs, const geo::Transformer& first, std::size_t workers)
      : source_crs_(source_crs), first_(first), slots_(workers) {}
  const geo::Transformer* get(std::size_t w) {
    if (w == 0) return &first_;
    if (!slots_[w]) {
      auto created = geo::Transformer::create(source_crs_, geo::kWorkingCrs);
      if (!created) return nullptr;
      slots_[w] = std::make_unique<geo::Transformer>(std::move(*created));
    }
    return slots_[w].get();
  }

 private:
  const std::string& source_crs_;
  const geo::Transformer& first_;
  std::vector<std::unique_ptr<geo::Transformer>> slots_;
};

void project_exactly(const std::string& source_crs, const geo::Transformer& exact,
                     std::span<const PointSpans> parts, unsigned threads, ProjectionStats& stats) {
  WorkerTransformers transformers(source_crs, exact, geo::resolve_threads(threads));
  for (const PointSpans& part : parts) {
    const std::size_t n = std::min(part.x.size(), part.y.size());
    std::vector<std::size_t> failed(geo::slice_count(n, threads, kMinPerWorker), 0);
    geo::parallel_slices(n, threads, kMinPerWorker, [&](std::size_t w, std::size_t b, std::size_t e) {
      const geo::Transformer* t = transformers.get(w);
      if (t == nullptr) {
        std::fill(part.x.begin() + static_cast<std::ptrdiff_t>(b), part.x.begin() + static_cast<std::ptrdiff_t>(e), kInf);
        std::fill(part.y.begin() + static_cast<std::ptrdiff_t>(b), part.y.begin() + static_cast<std::ptrdiff_t>(e), kInf);
        failed[w] = e - b;
        return;
      }
      failed[w] = t->transform(part.x.subspan(b, e - b), part.y.subspan(b, e - b));
    });
    stats.exact += n;
    for (std::size_t f : failed) stats.failed += f;
  }
}

// Builds the grid over `extent` and checks it. A grid that cannot be built
// or trusted comes back with cols == 0 and stats.fallback_reason set.
Grid build_grid(const geo::Transformer& exact, const geo::Box& extent,
                std::span<const PointSpans> parts, const ProjectionOptions& options,
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
  std::size_t total = 0;
  for (const PointSpans& part : parts) total += part.x.size();
  const std::size_t step = std::max<std::size_t>(1, total / kCheckSample);
  double ignored_x = 0, ignored_y = 0;
  for (const PointSpans& part : parts) {
    for (std::size_t i = 0; i < part.x.size(); i += step) {
      if (g.interpolate(part.x[i], part.y[i], ignored_x, ignored_y)) {
        sx.push_back(part.x[i]);
        sy.push_back(part.y[i]);
      }
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

ProjectionStats project_to_working(const std::string& source_crs, std::span<const PointSpans> parts,
                                   const ProjectionOptions& options) {
  ProjectionStats stats;
  std::size_t n = 0;
  for (const PointSpans& part : parts) n += std::min(part.x.size(), part.y.size());
  if (n == 0) return stats;
  auto exact = geo::Transformer::create(source_crs, geo::kWorkingCrs);
  if (!exact) {
    stats.error = exact.error().message;
    for (const PointSpans& part : parts) {
      std::fill(part.x.begin(), part.x.end(), kInf);
      std::fill(part.y.begin(), part.y.end(), kInf);
    }
    stats.failed = n;
    return stats;
  }
  if (!options.allow_grid || n < kMinPointsForGrid) {
    stats.fallback_reason = options.allow_grid ? "too few points" : "grid not allowed";
    project_exactly(source_crs, *exact, parts, options.threads, stats);
    return stats;
  }

  // The grid covers the input's extent; only when that is too large for a
  // grid (stray points far away) is it cut down to the study area, which
  // needs the inverse transformation.
  geo::Box extent = input_extent(parts);
  Grid grid = build_grid(*exact, extent, parts, options, stats);
  if (grid.cols == 0 && !options.area.empty() && !extent.empty()) {
    const geo::Box area = source_extent_of(options.area, source_crs);
    if (!area.empty()) {
      extent = geo::Box{std::max(extent.min_x, area.min_x), std::max(extent.min_y, area.min_y),
                        std::min(extent.max_x, area.max_x), std::min(extent.max_y, area.max_y)};
      stats = ProjectionStats{};
      grid = build_grid(*exact, extent, parts, options, stats);
    }
  }
  if (grid.cols == 0) {
    project_exactly(source_crs, *exact, parts, options.threads, stats);
    return stats;
  }
  stats.grid_used = true;

  // Interpolate; points the grid does not cover are gathered and projected
  // exactly afterwards.
  struct Miss {
    std::size_t part, index;
  };
  const std::size_t workers = geo::resolve_threads(options.threads);
  std::vector<std::vector<Miss>> misses(workers);
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const PointSpans& part = parts[p];
    const std::size_t count = std::min(part.x.size(), part.y.size());
    geo::parallel_slices(count, options.threads, kMinPerWorker,
                         [&](std::size_t w, std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) {
        double ox = 0, oy = 0;
        if (grid.interpolate(part.x[i], part.y[i], ox, oy)) {
          part.x[i] = ox;
          part.y[i] = oy;
        } else {
          misses[w].push_back(Miss{p, i});
        }
      }
    });
  }
  std::vector<double> mx, my;
  for (const auto& list : misses) {
    for (const Miss& m : list) {
      mx.push_back(parts[m.part].x[m.index]);
      my.push_back(parts[m.part].y[m.index]);
    }
  }
  if (!mx.empty()) {
    const PointSpans gathered{mx, my};
    project_exactly(source_crs, *exact, std::span<const PointSpans>(&gathered, 1), options.threads, stats);
    std::size_t k = 0;
    for (const auto& list : misses) {
      for (const Miss& m : list) {
        parts[m.part].x[m.index] = mx[k];
        parts[m.part].y[m.index] = my[k++];
      }
    }
  }
  return stats;
}

ProjectionStats project_to_working(const std::string& source_crs, std::span<double> xs,
                                   std::span<double> ys, const ProjectionOptions& options) {
  const std::size_t n = std::min(xs.size(), ys.size());
  const PointSpans part{xs.first(n), ys.first(n)};
  return project_to_working(source_crs, std::span<const PointSpans>(&part, 1), options);
}

}  // namespace hotspot::data
