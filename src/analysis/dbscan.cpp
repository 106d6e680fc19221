// The grid-indexed DBSCAN: checks the input, builds the grid index
// (dbscan_grid.cpp) and runs the passes (dbscan_passes.cpp) in order.

#include "hotspot/analysis/dbscan.hpp"
#include "hotspot/geo/parallel.hpp"

#include "dbscan_grid.hpp"
#include "dbscan_passes.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hotspot::analysis {
namespace {

using dbscan_detail::assign_border;
using dbscan_detail::build_grid;
using dbscan_detail::Context;
using dbscan_detail::Grid;
using dbscan_detail::join_cells;
using dbscan_detail::kNone;
using dbscan_detail::mark_core;
using dbscan_detail::UnionFind;

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
                              const DbscanParams& params, const Deadline& deadline) {
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
  const Context ctx{g, params.eps * params.eps, params.min_points, deadline};
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

  if (deadline.expired()) return deadline_error();

  // Pass 2: join neighbouring cells whose core points touch.
  UnionFind sets = join_cells(ctx, core, has_core);
  if (deadline.expired()) return deadline_error();

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
  if (deadline.expired()) return deadline_error();
  result.noise_count = static_cast<std::size_t>(
      std::count(result.labels.begin(), result.labels.end(), kNoise));
  return result;
}

}  // namespace hotspot::analysis
