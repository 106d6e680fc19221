#pragma once
// DBSCAN as /api/hotspots/dbscan, /api/compare?by=clusters and
// /api/profile?cluster= all run it: the same parameters, bounds and stable
// cluster ids.

#include "hotspot/analysis/clusters.hpp"
#include "hotspot/analysis/dbscan.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/canonical.hpp"
#include "hotspot/engine/query.hpp"
#include "hotspot/engine/selection.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace hotspot::engine {

// 'eps' (metres) and 'min_points', defaults of analysis::DbscanParams; their
// ranges are checked by validate() of the parameters that hold them.
Expected<analysis::DbscanParams> parse_dbscan(const Query& query);
void append_dbscan_canonical(Canonical& out, const analysis::DbscanParams& params);
// The same pair, left empty ("" echoes as null) where clustering does not apply.
void append_dbscan_canonical(Canonical& out, const analysis::DbscanParams& params, bool applies);
// For endpoints that cluster only sometimes: eps and min_points mean
// something only where DBSCAN runs, so either given while `clustering` is
// false is an Error naming `where` it applies; else parse_dbscan().
Expected<analysis::DbscanParams> parse_dbscan_where(const Query& query, bool clustering,
                                                    std::string_view where);

struct ClusterRun {
  analysis::DbscanResult labels;         // per entry of the rows clustered
  analysis::ClusterSummaries summaries;  // with stable ids and hulls
};

// DBSCAN over the given table rows (ascending), bounded by
// kMaxOutputClusters, then summarised. Clusters with fewer than
// `min_members` members keep their labels but get no summary: they are not
// published (public mode: Disclosure::min_support()).
Expected<ClusterRun> run_clusters(const data::Snapshot& snapshot,
                                  std::span<const std::uint32_t> rows,
                                  const analysis::DbscanParams& params,
                                  const analysis::ClusterSummaryParams& summary = {},
                                  std::size_t min_members = 1,
                                  const Deadline& deadline = Deadline::none());

// The rows of `rows` that DBSCAN put in the cluster with this label.
std::vector<std::uint32_t> cluster_members(const ClusterRun& run,
                                           std::span<const std::uint32_t> rows,
                                           std::int32_t label);

// /api/hotspots/dbscan
struct DbscanParams {
  SelectionParams selection;
  analysis::DbscanParams dbscan;
  analysis::ClusterSummaryParams summary;
  // Clusters on fewer distinct coordinates are dropped (police.uk snap
  // points: a cluster on one map point is one place, however many crimes).
  std::size_t min_locations = 1;
  static constexpr std::size_t kMaxMinLocations = 100'000;

  static constexpr std::string_view kOwnNames[] = {"eps", "min_points", "hull", "concave_ratio",
                                                   "min_locations"};
  static std::span<const std::string_view> names() { return names_of<DbscanParams>(); }
  static Expected<DbscanParams> parse(const Query& query, const data::Snapshot& snapshot);
  std::optional<Error> validate() const;
  Canonical canonical() const;
};

struct DbscanResult {
  analysis::Selection selection;
  ClusterRun run;
};

Expected<DbscanResult> run(const data::Snapshot& snapshot, const DbscanParams& params,
                           const Deadline& deadline = Deadline::none());

}  // namespace hotspot::engine
