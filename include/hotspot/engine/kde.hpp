#pragma once
// /api/hotspots/kde: quartic kernel density over the study area's grid, as
// the cells above a threshold or as filled contour bands at fixed levels or
// at quantiles of the non-zero cells. Densities are incidents per km².

#include "hotspot/analysis/contours.hpp"
#include "hotspot/analysis/kde.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/engine/selection.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace hotspot::engine {

struct KdeParams {
  static constexpr double kDefaultThreshold = 0.05;

  SelectionParams selection;
  analysis::KdeParams kde;
  bool contours = false;
  double threshold = kDefaultThreshold;  // grid output: share of the peak density
  std::vector<double> levels;            // contours: fixed levels ...
  std::vector<double> quantiles;         // ... or quantiles of the non-zero cells

  static constexpr std::string_view kOwnNames[] = {"cell",      "bandwidth", "output",
                                                   "threshold", "levels",    "quantiles"};
  static std::span<const std::string_view> names() { return names_of<KdeParams>(); }
  static Expected<KdeParams> parse(const Query& query, const data::Snapshot& snapshot);
  std::optional<Error> validate() const;
  Canonical canonical() const;
};

struct KdeCell {
  std::int32_t ix = 0;
  std::int32_t iy = 0;
  double density = 0;
};

struct KdeResult {
  analysis::Selection selection;
  analysis::KdeResult surface;
  std::vector<KdeCell> cells;                // grid output: cells at or above the threshold
  std::vector<double> levels;                // contour output: the levels used
  std::vector<analysis::ContourBand> bands;  // contour output
  std::size_t withheld_cells = 0;  // public mode: non-zero cells zeroed for too little support
};

Expected<KdeResult> run(const data::Snapshot& snapshot, const KdeParams& params,
                        const Deadline& deadline = Deadline::none());

}  // namespace hotspot::engine
