#pragma once
// DBSCAN's passes over the grid index (private to the analysis module):
// counting neighbours to find the core points, joining cells whose core
// points touch, and attaching border points to a cluster. dbscan.cpp runs
// them in order and numbers the clusters in between.

#include "dbscan_grid.hpp"
#include "hotspot/common/deadline.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hotspot::analysis::dbscan_detail {

struct Context {
  const Grid& g;
  double eps2;
  std::uint32_t min_points;
  // The passes stop early once it expires; dbscan() then reports it.
  const Deadline& deadline;
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

// Pass 1: core flags (sorted order) for the cell ids [first, last).
void mark_core(const Context& ctx, std::vector<std::uint8_t>& core, std::size_t first,
               std::size_t last);

// Pass 2: one set per group of cells whose core points touch; `has_core`
// says which cells hold a core point.
UnionFind join_cells(const Context& ctx, const std::vector<std::uint8_t>& core,
                     const std::vector<std::uint8_t>& has_core);

// Pass 4 for the cell ids [first, last): a non-core point joins the cluster
// of the first core point found within eps (own cell first), else stays noise.
void assign_border(const Context& ctx, const std::vector<std::uint8_t>& core,
                   const std::vector<std::uint8_t>& has_core,
                   const std::vector<std::int32_t>& cluster_of_cell,
                   std::vector<std::int32_t>& labels, std::size_t first, std::size_t last);

}  // namespace hotspot::analysis::dbscan_detail
