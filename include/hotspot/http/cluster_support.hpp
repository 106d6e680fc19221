#pragma once
// DBSCAN as /api/hotspots/dbscan, /api/compare?by=clusters and
// /api/profile?cluster= all run it: the same parameters, defaults and bounds,
// and the same stable cluster ids.

#include "hotspot/analysis/clusters.hpp"
#include "hotspot/analysis/dbscan.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/http/params.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace hotspot::http {

// 'eps' (metres) and 'min_points', validated, defaults of analysis::DbscanParams.
Expected<analysis::DbscanParams> parse_dbscan_params(const Params& params);

struct ClusterRun {
  analysis::DbscanResult result;          // labels per entry of `rows`
  analysis::ClusterSummaries summaries;   // with stable ids and hulls
};

// DBSCAN over the given table rows (ascending), bounded by
// kMaxOutputFeatures clusters, then summarised.
Expected<ClusterRun> run_clusters(const data::Snapshot& snapshot,
                                  std::span<const std::uint32_t> rows,
                                  const analysis::DbscanParams& params,
                                  const analysis::ClusterSummaryParams& summary = {});

}  // namespace hotspot::http
