#pragma once
// The grid index of points that DBSCAN's passes search (private to the
// analysis module): points sorted by cell, each cell's 5x5 block of
// neighbours, and how far one point reaches into each of them.

#include "hotspot/common/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace hotspot::analysis::dbscan_detail {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;
inline constexpr int kSelf = 12;  // offset index of (0, 0) in the 5x5 block
inline constexpr std::int64_t kMaxCellsPerAxis = std::int64_t{1} << 30;

// The 24 offsets around the centre: the 8 adjacent cells, then the 12 edge
// cells of the outer ring, then its 4 corners.
inline constexpr int kNearFirst[24] = {6,  7,  8,  11, 13, 16, 17, 18, 1,  2,  3,  5,
                                       9,  10, 14, 15, 19, 21, 22, 23, 0,  4,  20, 24};

inline int offset_dx(int k) { return k % 5 - 2; }
inline int offset_dy(int k) { return k / 5 - 2; }

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

// Fails on a non-finite coordinate (its index is named) or an eps too small
// for the spread of the points. Needs at least one point.
Expected<Grid> build_grid(std::span<const double> xs, std::span<const double> ys, double eps);

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

}  // namespace hotspot::analysis::dbscan_detail
