#pragma once
// Public mode (hotspotd --public): what may be published of the incidents to
// people outside the partnership. The policy is one value, set once from the
// command line, carried in every endpoint's SelectionParams and echoed in
// every answer's metadata; the rule itself lives here, once:
//
//  1. Incidents flagged domestic are never selected (analysis::select).
//  2. A count of 1..min_count-1 is suppressed: published as null with a
//     `suppressed` marker. 0 is published as 0.
//  3. Every other count is rounded to the nearest multiple of min_count
//     (halves up): 5, 6, 7 -> 5; 8..12 -> 10. Totals are rounded the same way,
//     independently, from the unrounded data, so a total minus its published
//     parts, or one window or bbox minus another, gives a number off by up
//     to the rounding of every term, not the hidden count.
//  4. Rates, densities, shares, changes and tests are computed from the
//     published (rounded) counts, and are null when a count they use is
//     suppressed.
//  5. DBSCAN clusters with fewer than min_count members, KDE cells with fewer
//     than min_count incidents within the bandwidth of their centre, and Gi*
//     cells (or wards) with fewer than min_count incidents within the band
//     are not published.
// Outside public mode nothing changes (min_count is accepted but unused).

#include "hotspot/analysis/grid.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::engine {

struct Disclosure {
  static constexpr int kDefaultMinCount = 5;
  static constexpr int kMaxMinCount = 1000;

  bool public_mode = false;
  int min_count = kDefaultMinCount;  // 1..kMaxMinCount

  // Whether a count of n is withheld (public mode, 0 < n < min_count).
  bool suppresses(std::int64_t n) const { return public_mode && n > 0 && n < min_count; }
  // The count as published: nullopt when suppressed; in public mode rounded
  // to the nearest multiple of min_count (halves up); else n itself.
  std::optional<std::int64_t> publish(std::int64_t n) const;
  // Clusters, cells and wards need at least this many incidents (1 outside
  // public mode: everything is published).
  std::size_t min_support() const {
    return public_mode ? static_cast<std::size_t>(min_count) : 1;
  }
  // The part of the response cache key that keeps public and private answers apart.
  std::string cache_key() const;
  // The rule in words, for metadata and documentation.
  std::string rule() const;
};

// Parses --min-count: an integer 1..1000.
std::optional<int> parse_min_count(std::string_view text);

// Support counts, computed by brute force over grid buckets (exact).
//
// For each cell of `grid` (row-major): the number of points strictly closer
// than `bandwidth` to the cell's centre: the points a quartic kernel of that
// bandwidth gives weight at the centre.
std::vector<std::uint32_t> kernel_support(std::span<const double> xs, std::span<const double> ys,
                                          const analysis::GridGeometry& grid, double bandwidth);
// For each feature i: the sum of `values` over the features whose centres lie
// at most `band` from i's (i itself included): Gi*'s local sum with binary
// weights.
std::vector<double> band_sums(std::span<const double> values, std::span<const double> xs,
                              std::span<const double> ys, double band);
// The same over a grid of values (each cell's centre), for the cells listed.
std::vector<double> grid_band_sums(std::span<const double> values,
                                   const analysis::GridGeometry& grid, double band,
                                   std::span<const std::size_t> cells);

}  // namespace hotspot::engine
