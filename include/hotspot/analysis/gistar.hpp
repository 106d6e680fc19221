#pragma once
// Getis-Ord Gi* hot spot statistic with a fixed distance band and binary
// weights: w_ij = 1 when the centres of i and j are at most `band` apart,
// i = j included.
//
//   Gi* = (sum_j w_ij x_j - mean * W_i) / (S * sqrt((n * W_i - W_i^2) / (n - 1)))
//
// with W_i = sum_j w_ij (= sum_j w_ij^2 for binary weights), mean the mean of
// all n values and S = sqrt(sum x^2 / n - mean^2). p is two-sided from the
// standard normal. Bins follow ArcGIS's Gi_Bin: +-3 at 99 % confidence
// (p <= 0.01), +-2 at 95 %, +-1 at 90 %, 0 otherwise, signed like z.
//
// With the false discovery rate option, each confidence level's critical p
// is lowered by the Benjamini-Hochberg step-up rule, as ArcGIS's "Apply False
// Discovery Rate (FDR) Correction" does: sort the n p-values, find the largest
// rank k with p_(k) <= k/n * alpha (alpha = 0.10, 0.05, 0.01), and call
// significant at that level the features with p <= p_(k) (none if no such k).
// z and p themselves are never adjusted.

#include "hotspot/analysis/grid.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/common/error.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hotspot::analysis {

struct GiStarParams {
  static constexpr double kMaxBand = 50000;  // metres
  static constexpr std::size_t kMaxFeatures = 20000;  // the feature version is O(n^2)

  double band = 750;  // metres, in (0, kMaxBand]
  bool fdr = false;

  std::optional<Error> validate() const;
};

struct GiStarResult {
  std::vector<double> z;
  std::vector<double> p;
  std::vector<std::int8_t> bin;  // -3..+3
  std::size_t n = 0;
  double mean = 0;
  double sd = 0;  // S above (population standard deviation)
  // Set when the statistic is undefined (all values equal, or every feature
  // neighbours every other): z = 0, p = 1, bin 0 everywhere.
  std::string note;
};

// Features with values and centre points (e.g. wards and their counts).
Expected<GiStarResult> gistar_features(std::span<const double> values,
                                       std::span<const double> xs,
                                       std::span<const double> ys, const GiStarParams& params);

// A grid of values (e.g. bin_points counts): every cell is a feature, empty
// ones included, and neighbours are the cells whose centres are within the
// band (cells outside the grid do not exist).
// Stops (deadline_exceeded) when the deadline passes.
Expected<GiStarResult> gistar_grid(std::span<const double> values, const GridGeometry& grid,
                                   const GiStarParams& params,
                                   const Deadline& deadline = Deadline::none());

// ArcGIS's default distance band for features: the smallest band giving
// every point at least one neighbour besides itself, i.e. the largest
// nearest-neighbour distance (0 for fewer than two points). O(n^2): callers
// bound n by GiStarParams::kMaxFeatures.
double default_band(std::span<const double> xs, std::span<const double> ys);

// The cells within `band` of a cell's centre, itself included: the stencil
// gistar_grid sums for every cell, so cells x this is its work.
std::size_t grid_neighbourhood(double band, double cell);

// Two-sided p-value of a standard normal z.
double two_sided_p(double z);
// The Gi_Bin for each p (signed by z), with or without the FDR correction.
std::vector<std::int8_t> confidence_bins(std::span<const double> z, std::span<const double> p,
                                         bool fdr);

}  // namespace hotspot::analysis
