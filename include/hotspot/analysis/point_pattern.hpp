#pragma once
// "Is it clustered at all": the Clark-Evans nearest-neighbour index of a
// selection, measured over its distinct locations (geo/distinct_points.hpp).
//
// Clark & Evans (1954), Ecology 35(4) 445-453:
//   observed  r_o = mean distance from each point to its nearest neighbour
//   expected  r_e = 0.5 / sqrt(n / A)       (complete spatial randomness)
//   R = r_o / r_e   (1 random, < 1 clustered, 2.1491 the hexagonal maximum)
//   SE(r_e) = 0.26136 / sqrt(n^2 / A),  z = (r_o - r_e) / SE,  p two-sided.
//
// Rules stated here and in docs/methods.md:
//  - Stacked points: the index is measured over distinct locations (n is the
//    number of distinct coordinates, each counted once). Rows on one snap
//    point are at distance 0 from each other because of the anonymisation,
//    not because crime clusters there; counting them would drive R towards 0
//    for every police.uk selection.
//  - Edge correction: none. Donnelly's (1978) correction is derived for a
//    rectangular window; ward polygons are not rectangles. Without it a point
//    near the window's edge can only find neighbours on one side, so r_o is
//    too long and R is biased upwards (towards "dispersed"): a reported
//    clustering is, if anything, understated.

#include "hotspot/geo/distinct_points.hpp"
#include "hotspot/geo/types.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace hotspot::analysis {

// Each point's distance to its nearest other point (+inf for a lone point),
// found through a k-d tree (median splits, so town-centre density does not
// pile points into one cell). Points must be distinct: a point equal to the
// one asked about is taken for itself and skipped.
std::vector<double> nearest_neighbour_distances(std::span<const geo::Point> points,
                                                unsigned threads = 0);

inline constexpr std::string_view kClarkEvansCorrection =
    "none (no edge correction; R is biased upwards near the window's edge)";
inline constexpr std::string_view kClarkEvansStackRule =
    "distinct locations: rows on one map point count once";

struct ClarkEvans {
  std::size_t locations = 0;     // n: distinct locations measured
  std::size_t stacked_rows = 0;  // rows sharing coordinates with another row
  double area_m2 = 0;            // A: the window
  double observed_mean_m = 0;
  double expected_mean_m = 0;
  double r = 0;
  double z = 0;
  double p = 1;
};

// The index of the points in a window of `area_m2`; nullopt with fewer than
// two distinct locations or no positive area (the index is not defined).
std::optional<ClarkEvans> clark_evans(std::span<const double> xs, std::span<const double> ys,
                                      double area_m2, unsigned threads = 0);

}  // namespace hotspot::analysis
