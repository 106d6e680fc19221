#pragma once
// /api/hotspots/gistar: Getis-Ord Gi* on incident counts per grid cell of
// the study area or per ward.

#include "hotspot/analysis/gistar.hpp"
#include "hotspot/analysis/grid.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/engine/selection.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace hotspot::engine {

struct GiStarParams {
  static constexpr double kDefaultCell = 250;
  static constexpr double kDefaultGridBand = 750;

  SelectionParams selection;
  analysis::GiStarParams gi;  // gi.band: the band used (on wards without `band`: set by run)
  bool wards = false;         // on=wards instead of grid cells
  double cell = kDefaultCell;  // grid only
  std::optional<double> band;  // as given; absent: the default of the chosen features
  bool all = false;            // every feature, not only significant ones

  static constexpr std::string_view kOwnNames[] = {"on", "cell", "band", "fdr", "all"};
  static std::span<const std::string_view> names() { return names_of<GiStarParams>(); }
  static Expected<GiStarParams> parse(const Query& query, const data::Snapshot& snapshot);
  std::optional<Error> validate() const;
  Canonical canonical() const;
};

struct GiStarResult {
  analysis::Selection selection;
  bool on_wards = false;
  analysis::GridGeometry grid;       // grid only
  std::vector<double> counts;        // per grid cell or ward
  analysis::GiStarResult stats;
  std::vector<std::size_t> features;  // cells (row-major) or wards to output, ascending
  std::vector<geo::Point> centroids;  // wards only: area-weighted, EPSG:27700
  double band = 0;                    // the band used
  bool band_default = false;          // chosen by run (wards without `band`)
  std::size_t outside = 0;            // selected incidents outside the grid / every ward
  std::size_t withheld = 0;           // public mode: features left out for too little support
};

Expected<GiStarResult> run(const data::Snapshot& snapshot, const GiStarParams& params,
                           const Deadline& deadline = Deadline::none());

}  // namespace hotspot::engine
