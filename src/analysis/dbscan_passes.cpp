#include "dbscan_passes.hpp"

namespace hotspot::analysis::dbscan_detail {
namespace {

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

}  // namespace

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
      if (i % 256 == 0 && ctx.deadline.expired()) return;
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

UnionFind join_cells(const Context& ctx, const std::vector<std::uint8_t>& core,
                     const std::vector<std::uint8_t>& has_core) {
  const Grid& g = ctx.g;
  const std::size_t ids = g.ids();
  // Each pair of cells is looked at once (offsets after the centre); pairs
  // already in one set are skipped, which in dense clusters is nearly all of them.
  UnionFind sets(ids);
  for (std::uint32_t c = 0; c < ids; ++c) {
    if (!has_core[c]) continue;
    if (c % 256 == 0 && ctx.deadline.expired()) break;
    for (int k = kSelf + 1; k < 25; ++k) {
      const std::uint32_t nb = g.neighbour(c, k);
      if (!has_core[nb] || sets.find(c) == sets.find(nb)) continue;
      if (cores_touch(ctx, core, c, nb, k)) sets.unite(c, nb);
    }
  }
  return sets;
}

void assign_border(const Context& ctx, const std::vector<std::uint8_t>& core,
                   const std::vector<std::uint8_t>& has_core,
                   const std::vector<std::int32_t>& cluster_of_cell,
                   std::vector<std::int32_t>& labels, std::size_t first, std::size_t last) {
  const Grid& g = ctx.g;
  for (std::size_t c = first; c < last; ++c) {
    const auto cell = static_cast<std::uint32_t>(c);
    if (g.count(cell) == 0) continue;
    if (c % 64 == 0 && ctx.deadline.expired()) return;
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

}  // namespace hotspot::analysis::dbscan_detail
