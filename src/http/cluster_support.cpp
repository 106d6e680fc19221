#include "hotspot/http/cluster_support.hpp"

#include "hotspot/http/hotspot_support.hpp"
#include "hotspot/http/metadata.hpp"

#include <string>

namespace hotspot::http {

Expected<analysis::DbscanParams> parse_dbscan_params(const Params& params) {
  analysis::DbscanParams out;
  if (const auto* text = params.get("eps")) {
    auto eps = parse_double("eps", *text, 0, analysis::DbscanParams::kMaxEps);
    if (!eps) return eps.error();
    if (!(*eps > 0)) {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'eps': must be greater than 0 (metres, at most " +
                            format_number(analysis::DbscanParams::kMaxEps) + ")");
    }
    out.eps = *eps;
  }
  if (const auto* text = params.get("min_points")) {
    auto n = parse_int("min_points", *text, 1, analysis::DbscanParams::kMaxMinPoints);
    if (!n) return n.error();
    out.min_points = static_cast<std::uint32_t>(*n);
  }
  if (auto problem = out.validate()) return *problem;
  return out;
}

Expected<ClusterRun> run_clusters(const data::Snapshot& snapshot,
                                  std::span<const std::uint32_t> rows,
                                  const analysis::DbscanParams& params,
                                  const analysis::ClusterSummaryParams& summary) {
  const data::IncidentTable& t = *snapshot.incidents;
  std::vector<double> xs, ys;
  xs.reserve(rows.size());
  ys.reserve(rows.size());
  for (std::uint32_t row : rows) {
    xs.push_back(t.x[row]);
    ys.push_back(t.y[row]);
  }
  auto result = analysis::dbscan(xs, ys, params);
  if (!result) return result.error();
  // Bounded before the per-cluster work (hulls, ids) starts.
  if (static_cast<std::size_t>(result->cluster_count) > kMaxOutputFeatures) {
    return make_error(ErrorCode::payload_too_large,
                      std::to_string(result->cluster_count) +
                          " clusters would be returned, over the limit of " +
                          std::to_string(kMaxOutputFeatures) +
                          "; use a larger 'min_points' or a narrower selection");
  }
  auto summaries = analysis::summarise_clusters(t, rows, *result, *snapshot.town_centres, summary);
  if (!summaries) return summaries.error();
  return ClusterRun{std::move(*result), std::move(*summaries)};
}

}  // namespace hotspot::http
