#include "hotspot/analysis/dbscan.hpp"
#include "hotspot/geo/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <string>
#include <unordered_map>
#include <utility>

namespace hotspot::analysis {
namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;
constexpr int kSelf = 12;  // offset index of (0, 0) in the 5x5 block
constexpr std::int64_t kMaxCellsPerAxis = std::int64_t{1} << 30;

// The 24 offsets around the centre: the 8 adjacent cells, then the 12 edge
// cells of the outer ring, then its 4 corners.
constexpr int kNearFirst[24] = {6,  7,  8,  11, 13, 16, 17, 18, 1,  2,  3,  5,
                                9,  10, 14, 15, 19, 21, 22, 23, 0,  4,  20, 24};

int offset_dx(int k) { return k % 5 - 2; }
int offset_dy(int k) { return k / 5 - 2; }

// Points sorted by grid cell.
//
// The cell side is eps/sqrt(2) shrunk by a relative 1e-8, so any two points of
// one cell are within eps even after the rounding of the cell assignment
// (whose error is below 1e-9 cells for up to 2^30 cells per axis). Any
// neighbour of a point then lies in the 5x5 block of cells around its own.
// The grid is only used to choose candidates; every decision about a pair of
// points is taken on its squared distance.
//
// Dense mode: a cell id is the position in an array over the extent padded
// by 2 empty cells on each side, so neighbour k of cell c is c + offsets[k]
// with no bounds checks. Sparse mode (points spread too thinly for such an
// array): ids of occupied cells, a table of 25 neighbours each, and one extra
// empty cell standing in for every missing neighbour.
struct Grid {
  double x0 = 0, y0 = 0, side = 0, inv_side = 0;
  std::vector<double> x, y;          // sorted by cell
  std::vector<std::uint32_t> order;  // sorted position -> input index
  std::vector<std::uint32_t> start;  // cell id -> first sorted position; size ids + 1
  bool dense = true;
  std::int64_t width = 0;            // dense: padded row length
  std::int64_t offsets[25] = {};
  std::vector<std::int32_t> cx, cy;  // sparse: grid column / row per cell id
  std::vector<std::uint32_t> table;  // sparse: 25 neighbour ids per cell id

  std::size_t ids() const { return start.size() - 1; }
  std::uint32_t count(std::uint32_t c) const { return start[c + 1] - start[c]; }
  std::uint32_t neighbour(std::uint32_t c, int k) const {
    return dense ? static_cast<std::uint32_t>(c + offsets[k])
                 : table[std::size_t{c} * 25 + static_cast<std::size_t>(k)];
  }
  std::pair<std::int64_t, std::int64_t> coords(std::uint32_t c) const {
    if (dense) return {c % width - 2, c / width - 2};
    return {cx[c], cy[c]};
  }
};

Expected<Grid> build_grid(std::span<const double> xs, std::span<const double> ys, double eps) {
  Grid g;
  const std::size_t n = xs.size();
  double min_x = xs[0], min_y = ys[0], max_x = xs[0], max_y = ys[0];
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) {
      return make_error(ErrorCode::invalid_parameter,
                        "point " + std::to_string(i) + " has a non-finite coordinate");
    }
    min_x = std::min(min_x, xs[i]);
    max_x = std::max(max_x, xs[i]);
    min_y = std::min(min_y, ys[i]);
    max_y = std::max(max_y, ys[i]);
  }
  g.x0 = min_x;
  g.y0 = min_y;
  g.side = eps / std::sqrt(2.0) * (1 - 1e-8);
  g.inv_side = 1 / g.side;
  const double span_x = std::floor((max_x - min_x) * g.inv_side) + 1;
  const double span_y = std::floor((max_y - min_y) * g.inv_side) + 1;
  if (span_x > static_cast<double>(kMaxCellsPerAxis) ||
      span_y > static_cast<double>(kMaxCellsPerAxis)) {
    return make_error(ErrorCode::invalid_parameter,
                      "eps is too small for the spread of the points; use a larger eps");
  }
  const auto nx = static_cast<std::int64_t>(span_x);
  const auto ny = static_cast<std::int64_t>(span_y);
  auto cell_of = [&](std::size_t i) {
    auto gx = static_cast<std::int64_t>((xs[i] - g.x0) * g.inv_side);
    auto gy = static_cast<std::int64_t>((ys[i] - g.y0) * g.inv_side);
    return std::pair{std::min(gx, nx - 1), std::min(gy, ny - 1)};
  };

  g.width = nx + 4;
  const double dense_size = static_cast<double>(g.width) * static_cast<double>(ny + 4);
  // Cell ids are 32-bit, so the dense array must stay below 2^32 entries.
  g.dense = dense_size <= 8.0 * static_cast<double>(n) + 65536.0 && dense_size < 4.0e9;
  g.x.resize(n);
  g.y.resize(n);
  g.order.resize(n);

  if (g.dense) {
    // Counting sort by dense position.
    std::vector<std::uint32_t> pos(n);
    g.start.assign(static_cast<std::size_t>(dense_size) + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
      auto [gx, gy] = cell_of(i);
      pos[i] = static_cast<std::uint32_t>((gy + 2) * g.width + gx + 2);
      ++g.start[pos[i] + 1];
    }
    for (std::size_t d = 1; d < g.start.size(); ++d) g.start[d] += g.start[d - 1];
    std::vector<std::uint32_t> cursor(g.start.begin(), g.start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t k = cursor[pos[i]]++;
      g.x[k] = xs[i];
      g.y[k] = ys[i];
      g.order[k] = static_cast<std::uint32_t>(i);
    }
    for (int k = 0; k < 25; ++k) g.offsets[k] = offset_dy(k) * g.width + offset_dx(k);
    return g;
  }

  // Sparse mode: sort by a packed (row, column) key; look neighbours up in a
  // hash map once and keep them in a table.
  auto key_of = [](std::int64_t gx, std::int64_t gy) {
    return (static_cast<std::uint64_t>(gy + 2) << 32) | static_cast<std::uint64_t>(gx + 2);
  };
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto [gx, gy] = cell_of(i);
    keyed[i] = {key_of(gx, gy), static_cast<std::uint32_t>(i)};
  }
  std::sort(keyed.begin(), keyed.end());
  std::unordered_map<std::uint64_t, std::uint32_t> cell_of_key;
  for (std::size_t k = 0; k < n; ++k) {
    if (k == 0 || keyed[k].first != keyed[k - 1].first) {
      cell_of_key.emplace(keyed[k].first, static_cast<std::uint32_t>(g.cx.size()));
      g.start.push_back(static_cast<std::uint32_t>(k));
      g.cx.push_back(static_cast<std::int32_t>(keyed[k].first & 0xFFFFFFFFu) - 2);
      g.cy.push_back(static_cast<std::int32_t>(keyed[k].first >> 32) - 2);
    }
    const std::uint32_t i = keyed[k].second;
    g.x[k] = xs[i];
    g.y[k] = ys[i];
    g.order[k] = i;
  }
  const auto empty = static_cast<std::uint32_t>(g.cx.size());
  g.cx.push_back(0);  // the stand-in empty cell
  g.cy.push_back(0);
  g.start.push_back(static_cast<std::uint32_t>(n));
  g.start.push_back(static_cast<std::uint32_t>(n));
  g.table.assign(std::size_t{empty + 1} * 25, empty);
  for (std::uint32_t c = 0; c < empty; ++c) {
    for (int k = 0; k < 25; ++k) {
      auto it = cell_of_key.find(key_of(g.cx[c] + offset_dx(k), g.cy[c] + offset_dy(k)));
      if (it != cell_of_key.end()) g.table[std::size_t{c} * 25 + static_cast<std::size_t>(k)] = it->second;
    }
  }
  return g;
}

// How one point relates to the 25 cells around its own, from the cells'
// nominal rectangles: squared nearest and farthest distances per column and
// row offset. The tolerance leans towards "some": it only ever costs a few
// exact distance tests.
enum class Reach { none, some, all };

class Reacher {
 public:
  Reacher(const Grid& g, double eps2, double px, double py, std::int64_t gx, std::int64_t gy)
      : eps2_(eps2) {
    const double tol = g.side * 1e-6;
    const double fx = (px - g.x0) - static_cast<double>(gx) * g.side;
    const double fy = (py - g.y0) - static_cast<double>(gy) * g.side;
    for (int d = -2; d <= 2; ++d) {
      fill(d, fx, g.side, tol, near_x_[d + 2], far_x_[d + 2]);
      fill(d, fy, g.side, tol, near_y_[d + 2], far_y_[d + 2]);
    }
  }
  Reach reach(int k) const { return reach(k % 5, k / 5); }
  Reach reach(int ix, int iy) const {
    if (near_x_[ix] + near_y_[iy] > eps2_) return Reach::none;
    return far_x_[ix] + far_y_[iy] <= eps2_ ? Reach::all : Reach::some;
  }

 private:
  // The neighbour cell at offset d spans [d*side, (d+1)*side] relative to the
  // own cell, in which the point sits at f.
  static void fill(int d, double f, double side, double tol, double& near2, double& far2) {
    const double lo = d * side, hi = lo + side;
    const double gap = std::max(std::max(lo - f, f - hi), 0.0);
    const double near = std::max(gap - tol, 0.0);
    const double far = std::max(std::abs(f - lo), std::abs(f - hi)) + tol;
    near2 = near * near;
    far2 = far * far;
  }
  double eps2_;
  double near_x_[5], far_x_[5], near_y_[5], far_y_[5];
};

class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n) {
    for (std::size_t i = 0; i < n; ++i) parent_[i] = static_cast<std::uint32_t>(i);
  }
  std::uint32_t find(std::uint32_t a) {
    while (parent_[a] != a) {
      parent_[a] = parent_[parent_[a]];  // path halving
      a = parent_[a];
    }
    return a;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::uint32_t> parent_;
};

struct Context {
  const Grid& g;
  double eps2;
  std::uint32_t min_points;
};

// Pass 1: core flags (sorted order) for the cell ids [first, last).
void mark_core(const Context& ctx, std::vector<std::uint8_t>& core, std::size_t first,
               std::size_t last) {
  const Grid& g = ctx.g;
  for (std::size_t c = first; c < last; ++c) {
    const auto cell = static_cast<std::uint32_t>(c);
    const std::uint32_t own = g.count(cell);
    if (own == 0) continue;
    // Every pair inside a cell is within eps, so a full cell is all core.
    if (own >= ctx.min_points) {
      std::fill(core.begin() + g.start[c], core.begin() + g.start[c + 1], std::uint8_t{1});
      continue;
    }
    // The non-empty neighbour cells, nearest rings first so that the count
    // reaches min_points early.
    struct Candidate {
      std::uint32_t cell;
      std::uint8_t ix, iy;
    };
    Candidate near[24];
    int candidates = 0;
    std::uint32_t around = own;
    for (int k : kNearFirst) {
      const std::uint32_t other = g.neighbour(cell, k);
      if (g.count(other) == 0) continue;
      near[candidates++] = {other, static_cast<std::uint8_t>(k % 5), static_cast<std::uint8_t>(k / 5)};
      around += g.count(other);
    }
    // Too few points in the whole block: nobody here can be core.
    if (around < ctx.min_points) continue;
    const auto [gx, gy] = g.coords(cell);
    for (std::uint32_t i = g.start[c]; i < g.start[c + 1]; ++i) {
      std::uint32_t found = own;
      const double px = g.x[i], py = g.y[i];
      const Reacher reacher(g, ctx.eps2, px, py, gx, gy);
      for (int m = 0; m < candidates && found < ctx.min_points; ++m) {
        const std::uint32_t other = near[m].cell;
        const Reach how = reacher.reach(near[m].ix, near[m].iy);
        if (how == Reach::none) continue;
        if (how == Reach::all) {
          found += g.count(other);
          continue;
        }
        for (std::uint32_t j = g.start[other]; j < g.start[other + 1]; ++j) {
          const double dx = g.x[j] - px, dy = g.y[j] - py;
          if (dx * dx + dy * dy <= ctx.eps2 && ++found >= ctx.min_points) break;
        }
      }
      core[i] = found >= ctx.min_points ? 1 : 0;
    }
  }
}

// Runs body(first, last) over chunks of cell ids on `threads` workers. The
// chunks are handed out in turn rather than split evenly up front because
// dense and empty regions cost very different amounts.
template <typename Body>
void parallel_cells(std::size_t ids, unsigned threads, const Body& body) {
  if (threads <= 1) {
    body(std::size_t{0}, ids);
    return;
  }
  constexpr std::size_t kChunk = 1024;
  std::atomic<std::size_t> next{0};
  geo::fork_join(threads, [&](std::size_t) {
    for (std::size_t first = next.fetch_add(kChunk); first < ids;
         first = next.fetch_add(kChunk)) {
      body(first, std::min(ids, first + kChunk));
    }
  });
}

// Whether some core point of cell a is within eps of some core point of its
// neighbour b at offset k.
bool cores_touch(const Context& ctx, const std::vector<std::uint8_t>& core, std::uint32_t a,
                 std::uint32_t b, int k) {
  const Grid& g = ctx.g;
  const auto [gx, gy] = g.coords(a);
  for (std::uint32_t i = g.start[a]; i < g.start[a + 1]; ++i) {
    if (!core[i]) continue;
    const double px = g.x[i], py = g.y[i];
    const Reach how = Reacher(g, ctx.eps2, px, py, gx, gy).reach(k);
    if (how == Reach::none) continue;
    if (how == Reach::all) return true;  // b holds a core point
    for (std::uint32_t j = g.start[b]; j < g.start[b + 1]; ++j) {
      if (!core[j]) continue;
      const double dx = g.x[j] - px, dy = g.y[j] - py;
      if (dx * dx + dy * dy <= ctx.eps2) return true;
    }
  }
  return false;
}

// Pass 4 for the cell ids [first, last): a non-core point joins the cluster
// of the first core point found within eps (own cell first), else stays noise.
void assign_border(const Context& ctx, const std::vector<std::uint8_t>& core,
                   const std::vector<std::uint8_t>& has_core,
                   const std::vector<std::int32_t>& cluster_of_cell,
                   std::vector<std::int32_t>& labels, std::size_t first, std::size_t last) {
  const Grid& g = ctx.g;
  for (std::size_t c = first; c < last; ++c) {
    const auto cell = static_cast<std::uint32_t>(c);
    if (g.count(cell) == 0) continue;
    std::uint32_t nb[25];
    bool any = false;
    for (int k = 0; k < 25; ++k) {
      nb[k] = g.neighbour(cell, k);
      any = any || has_core[nb[k]];
    }
    if (!any) continue;
    const auto [gx, gy] = g.coords(cell);
    for (std::uint32_t i = g.start[c]; i < g.start[c + 1]; ++i) {
      if (core[i]) continue;
      const double px = g.x[i], py = g.y[i];
      const Reacher reacher(g, ctx.eps2, px, py, gx, gy);
      std::uint32_t hit = kNone;
      for (int step = 0; step < 25 && hit == kNone; ++step) {
        const int k = step == 0 ? kSelf : (step <= kSelf ? step - 1 : step);
        const std::uint32_t other = nb[k];
        if (!has_core[other] || reacher.reach(k) == Reach::none) continue;
        for (std::uint32_t j = g.start[other]; j < g.start[other + 1]; ++j) {
          if (!core[j]) continue;
          const double dx = g.x[j] - px, dy = g.y[j] - py;
          if (dx * dx + dy * dy <= ctx.eps2) {
            hit = other;
            break;
          }
        }
      }
      if (hit != kNone) labels[g.order[i]] = cluster_of_cell[hit];
    }
  }
}

}  // namespace

std::optional<Error> DbscanParams::validate() const {
  if (!(eps > 0 && eps <= kMaxEps)) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'eps': must be more than 0 and at most 5000 metres");
  }
  if (min_points < 1 || min_points > kMaxMinPoints) {
    return make_error(ErrorCode::invalid_parameter, "Parameter 'min_points': must be between 1 and 100000");
  }
  return std::nullopt;
}

Expected<DbscanResult> dbscan(std::span<const double> xs, std::span<const double> ys,
                              const DbscanParams& params) {
  if (auto error = params.validate()) return *error;
  if (xs.size() != ys.size()) {
    return make_error(ErrorCode::invalid_parameter, "x and y hold different numbers of points");
  }
  if (xs.size() >= kNone) {
    return make_error(ErrorCode::payload_too_large, "too many points for one DBSCAN run");
  }
  DbscanResult result;
  const std::size_t n = xs.size();
  if (n == 0) return result;
  auto built = build_grid(xs, ys, params.eps);
  if (!built) return built.error();
  const Grid& g = *built;
  const Context ctx{g, params.eps * params.eps, params.min_points};
  const std::size_t ids = g.ids();
  // Small inputs stay on one thread: starting threads would cost more than the work.
  const unsigned threads = n < 20000 ? 1 : geo::resolve_threads(params.threads);

  // Pass 1: which points are core.
  std::vector<std::uint8_t> core(n, 0);
  parallel_cells(ids, threads,
                 [&](std::size_t first, std::size_t last) { mark_core(ctx, core, first, last); });
  std::vector<std::uint8_t> has_core(ids, 0);
  for (std::size_t c = 0; c < ids; ++c) {
    for (std::uint32_t i = g.start[c]; i < g.start[c + 1] && !has_core[c]; ++i) {
      has_core[c] = core[i];
    }
  }

  // Pass 2: join neighbouring cells whose core points touch. Each pair of
  // cells is looked at once (offsets after the centre); pairs already in one
  // set are skipped, which in dense clusters is nearly all of them.
  UnionFind sets(ids);
  for (std::uint32_t c = 0; c < ids; ++c) {
    if (!has_core[c]) continue;
    for (int k = kSelf + 1; k < 25; ++k) {
      const std::uint32_t nb = g.neighbour(c, k);
      if (!has_core[nb] || sets.find(c) == sets.find(nb)) continue;
      if (cores_touch(ctx, core, c, nb, k)) sets.unite(c, nb);
    }
  }

  // Pass 3: number clusters in input order of their first core point.
  result.labels.assign(n, kNoise);
  result.core.assign(n, 0);
  std::vector<std::uint32_t> root_of_input(n, kNone);
  for (std::uint32_t c = 0; c < ids; ++c) {
    if (!has_core[c]) continue;
    const std::uint32_t root = sets.find(c);
    for (std::uint32_t k = g.start[c]; k < g.start[c + 1]; ++k) {
      if (core[k]) root_of_input[g.order[k]] = root;
    }
  }
  std::vector<std::int32_t> cluster_of_cell(ids, kNoise);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t root = root_of_input[i];
    if (root == kNone) continue;
    if (cluster_of_cell[root] == kNoise) cluster_of_cell[root] = result.cluster_count++;
    result.labels[i] = cluster_of_cell[root];
    result.core[i] = 1;
  }
  for (std::uint32_t c = 0; c < ids; ++c) {
    if (has_core[c]) cluster_of_cell[c] = cluster_of_cell[sets.find(c)];
  }

  // Pass 4: border points (read-only on the shared state, so it splits).
  parallel_cells(ids, threads, [&](std::size_t first, std::size_t last) {
    assign_border(ctx, core, has_core, cluster_of_cell, result.labels, first, last);
  });
  result.noise_count = static_cast<std::size_t>(
      std::count(result.labels.begin(), result.labels.end(), kNoise));
  return result;
}

DbscanResult dbscan_brute_force(std::span<const double> xs, std::span<const double> ys,
                                double eps, std::uint32_t min_points) {
  const std::size_t n = xs.size();
  const double eps2 = eps * eps;
  auto near = [&](std::size_t i, std::size_t j) {
    const double dx = xs[j] - xs[i], dy = ys[j] - ys[i];
    return dx * dx + dy * dy <= eps2;
  };
  DbscanResult result;
  result.labels.assign(n, kNoise);
  result.core.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t count = 0;
    for (std::size_t j = 0; j < n; ++j) count += near(i, j) ? 1 : 0;
    result.core[i] = count >= min_points ? 1 : 0;
  }
  // Grow each cluster from its first unlabelled core point; only core points
  // expand the frontier.
  for (std::size_t seed = 0; seed < n; ++seed) {
    if (!result.core[seed] || result.labels[seed] != kNoise) continue;
    const std::int32_t id = result.cluster_count++;
    std::deque<std::size_t> frontier{seed};
    result.labels[seed] = id;
    while (!frontier.empty()) {
      const std::size_t i = frontier.front();
      frontier.pop_front();
      for (std::size_t j = 0; j < n; ++j) {
        if (result.labels[j] != kNoise || !near(i, j)) continue;
        result.labels[j] = id;
        if (result.core[j]) frontier.push_back(j);
      }
    }
  }
  result.noise_count = static_cast<std::size_t>(
      std::count(result.labels.begin(), result.labels.end(), kNoise));
  return result;
}

}  // namespace hotspot::analysis
