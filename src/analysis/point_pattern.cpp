#include "hotspot/analysis/point_pattern.hpp"

#include "hotspot/geo/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace hotspot::analysis {
namespace {

constexpr std::size_t kLeafSize = 8;

struct Node {
  geo::Point p;
  std::uint32_t index;  // in the caller's points
};

// A k-d tree held in one array: the range [lo, hi) is split at its middle
// element, the median along x at even depths and along y at odd ones
// (std::nth_element), the halves below and above it recursively. Crime
// points are dense in town centres and sparse elsewhere; the median split
// keeps every leaf small whatever the density, where a uniform grid either
// piles thousands of points into a town-centre cell or spends most cells on
// empty countryside.
void build(std::vector<Node>& pts, std::size_t lo, std::size_t hi, int depth) {
  if (hi - lo <= kLeafSize) return;
  const std::size_t mid = lo + (hi - lo) / 2;
  const bool by_x = depth % 2 == 0;
  std::nth_element(pts.begin() + static_cast<std::ptrdiff_t>(lo),
                   pts.begin() + static_cast<std::ptrdiff_t>(mid),
                   pts.begin() + static_cast<std::ptrdiff_t>(hi),
                   [by_x](const Node& a, const Node& b) { return by_x ? a.p.x < b.p.x : a.p.y < b.p.y; });
  build(pts, lo, mid, depth + 1);
  build(pts, mid + 1, hi, depth + 1);
}

// The squared distance from p to its nearest other point in [lo, hi) (p
// itself is skipped by its coordinates, which is why points must be
// distinct), improving `best2`. The far half is searched only when the
// splitting line is nearer than the best so far.
void nearest(const std::vector<Node>& pts, std::size_t lo, std::size_t hi, int depth,
             geo::Point p, double& best2) {
  const auto consider = [&](const Node& node) {
    const geo::Point q = node.p;
    if (q.x == p.x && q.y == p.y) return;
    const double dx = q.x - p.x, dy = q.y - p.y;
    best2 = std::min(best2, dx * dx + dy * dy);
  };
  if (hi - lo <= kLeafSize) {
    for (std::size_t i = lo; i < hi; ++i) consider(pts[i]);
    return;
  }
  const std::size_t mid = lo + (hi - lo) / 2;
  const Node& split = pts[mid];
  const double d = depth % 2 == 0 ? p.x - split.p.x : p.y - split.p.y;
  consider(split);
  if (d < 0) {
    nearest(pts, lo, mid, depth + 1, p, best2);
    if (d * d < best2) nearest(pts, mid + 1, hi, depth + 1, p, best2);
  } else {
    nearest(pts, mid + 1, hi, depth + 1, p, best2);
    if (d * d < best2) nearest(pts, lo, mid, depth + 1, p, best2);
  }
}

}  // namespace

std::vector<double> nearest_neighbour_distances(std::span<const geo::Point> points,
                                                unsigned threads) {
  std::vector<double> out(points.size(), std::numeric_limits<double>::infinity());
  if (points.size() < 2) return out;
  std::vector<Node> tree;
  tree.reserve(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    tree.push_back({points[i], static_cast<std::uint32_t>(i)});
  }
  build(tree, 0, tree.size(), 0);
  // Asked in the tree's order: consecutive points are neighbours, so their
  // searches walk the same nodes while they are in cache.
  geo::parallel_slices(tree.size(), threads, 20'000,
                       [&](std::size_t, std::size_t begin, std::size_t end) {
                         for (std::size_t k = begin; k < end; ++k) {
                           double best2 = std::numeric_limits<double>::infinity();
                           nearest(tree, 0, tree.size(), 0, tree[k].p, best2);
                           out[tree[k].index] = std::sqrt(best2);
                         }
                       });
  return out;
}

std::optional<ClarkEvans> clark_evans(std::span<const double> xs, std::span<const double> ys,
                                      double area_m2, unsigned threads) {
  geo::DistinctPoints distinct = geo::distinct_points(xs, ys);
  const std::size_t n = distinct.points.size();
  if (n < 2 || !(area_m2 > 0) || !std::isfinite(area_m2)) return std::nullopt;
  const std::vector<double> d = nearest_neighbour_distances(distinct.points, threads);
  double sum = 0;
  for (double v : d) sum += v;
  ClarkEvans out;
  out.locations = n;
  out.stacked_rows = distinct.stacked_rows;
  out.area_m2 = area_m2;
  const double density = static_cast<double>(n) / area_m2;
  out.observed_mean_m = sum / static_cast<double>(n);
  out.expected_mean_m = 0.5 / std::sqrt(density);
  out.r = out.observed_mean_m / out.expected_mean_m;
  const double standard_error = 0.26136 / std::sqrt(static_cast<double>(n) * density);
  out.z = (out.observed_mean_m - out.expected_mean_m) / standard_error;
  out.p = std::erfc(std::abs(out.z) / std::sqrt(2.0));
  return out;
}

}  // namespace hotspot::analysis
