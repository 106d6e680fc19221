#pragma once
// /api/compare: incidents in period A against period B per ward, town centre,
// area group (through each row's ward) or DBSCAN cluster, with the exact conditional Poisson test of each change.

#include "hotspot/analysis/compare.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/engine/clusters.hpp"
#include "hotspot/engine/selection.hpp"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace hotspot::engine {

enum class CompareBy { wards, town_centres, groups, clusters };

struct CompareParams {
  SelectionParams selection;  // without from/to: the periods replace them
  analysis::Period a;
  analysis::Period b;
  CompareBy by = CompareBy::wards;
  analysis::DbscanParams dbscan;  // by=clusters only

  static constexpr std::string_view kOwnNames[] = {"a_from", "a_to", "b_from", "b_to",
                                                   "by",     "eps",  "min_points"};
  static std::span<const std::string_view> names() { return names_of<CompareParams>(false); }
  static Expected<CompareParams> parse(const Query& query, const data::Snapshot& snapshot);
  std::optional<Error> validate() const;
  Canonical canonical() const;
};

struct CompareResult {
  analysis::Comparison comparison;
  // by=clusters: DBSCAN over both periods' rows together, so a cluster is
  // the same place in each; comparison.groups is indexed by cluster label.
  std::optional<ClusterRun> clusters;
};

Expected<CompareResult> run(const data::Snapshot& snapshot, const CompareParams& params,
                            const Deadline& deadline = Deadline::none());

// The layer whose features are compared (wards, town centres or groups;
// not meaningful for by=clusters).
const data::BoundaryLayer& compared_layer(const data::Snapshot& snapshot, CompareBy by);

}  // namespace hotspot::engine
