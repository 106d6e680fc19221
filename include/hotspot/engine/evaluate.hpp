#pragma once
// /api/evaluate: a hotspot map fitted on a training period (KDE's densest
// cells, Gi*'s hot cells, or DBSCAN's cluster hulls) scored on a test
// period by hit rate, PAI, PEI and RRI (analysis/evaluate.hpp) at stated
// shares of the study area.

#include "hotspot/analysis/compare.hpp"
#include "hotspot/analysis/dbscan.hpp"
#include "hotspot/analysis/evaluate.hpp"
#include "hotspot/analysis/gistar.hpp"
#include "hotspot/analysis/kde.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/engine/selection.hpp"
#include "hotspot/geo/types.hpp"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace hotspot::engine {

enum class EvaluateMethod { kde, gistar, dbscan };
std::string_view evaluate_method_name(EvaluateMethod method);

struct EvaluateParams {
  static constexpr std::size_t kMaxCoverages = 10;

  SelectionParams selection;  // without from/to: the two periods replace them
  analysis::Period train;
  analysis::Period test;
  EvaluateMethod method = EvaluateMethod::kde;
  std::vector<double> coverage{1, 5, 10};  // percent of the study area, ascending
  // Grid cell (m): KDE's and Gi*'s surfaces, and the grid PEI's best cells
  // are counted on for DBSCAN. Absent: the method's own default (KDE 100,
  // Gi* 250, DBSCAN 100).
  double cell = 100;
  analysis::KdeParams kde;        // method=kde: bandwidth
  analysis::GiStarParams gi;      // method=gistar: band
  analysis::DbscanParams dbscan;  // method=dbscan: eps, min_points

  static constexpr std::string_view kOwnNames[] = {
      "train_from", "train_to", "test_from", "test_to", "method", "coverage",
      "cell",       "bandwidth", "band",     "eps",     "min_points"};
  static std::span<const std::string_view> names() { return names_of<EvaluateParams>(false); }
  static Expected<EvaluateParams> parse(const Query& query, const data::Snapshot& snapshot);
  std::optional<Error> validate() const;
  Canonical canonical() const;
};

struct EvaluateResult {
  analysis::Selection train;  // the training period's selection
  analysis::Selection test;   // the test period's (its nni is the metadata's)
  double study_area_m2 = 0;   // A
  analysis::GridGeometry grid;
  // Grid methods: the cells chosen at the largest coverage, best first
  // (scores[k] holds the first scores[k].cells of them).
  std::vector<std::size_t> ranked;
  // DBSCAN: the training clusters' hulls (EPSG:27700); one score, their own area.
  std::vector<geo::MultiPolygonRings> hulls;
  std::vector<analysis::HotspotScore> scores;
};

Expected<EvaluateResult> run(const data::Snapshot& snapshot, const EvaluateParams& params,
                             const Deadline& deadline = Deadline::none());

}  // namespace hotspot::engine
