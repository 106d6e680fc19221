#include "hotspot/engine/clusters.hpp"

#include "hotspot/engine/limits.hpp"

#include <string>

namespace hotspot::engine {

Expected<analysis::DbscanParams> parse_dbscan(const Query& query) {
  analysis::DbscanParams out;
  // Ranges are analysis::DbscanParams::validate()'s to check.
  auto eps = query.parsed("eps", parse_number);
  if (!eps) return eps.error();
  out.eps = eps->value_or(out.eps);
  auto n = query.parsed("min_points", parse_whole);
  if (!n) return n.error();
  if (*n) {
    const bool in_range = **n >= 1 && **n <= analysis::DbscanParams::kMaxMinPoints;
    out.min_points = in_range ? static_cast<std::uint32_t>(**n) : 0;  // 0: validate() names it
  }
  return out;
}

void append_dbscan_canonical(Canonical& out, const analysis::DbscanParams& params) {
  out.emplace_back("eps", format_number(params.eps));
  out.emplace_back("min_points", std::to_string(params.min_points));
}

void append_dbscan_canonical(Canonical& out, const analysis::DbscanParams& params, bool applies) {
  if (applies) return append_dbscan_canonical(out, params);
  out.emplace_back("eps", "");
  out.emplace_back("min_points", "");
}

Expected<analysis::DbscanParams> parse_dbscan_where(const Query& query, bool clustering,
                                                    std::string_view where) {
  for (const char* name : {"eps", "min_points"}) {
    if (!clustering && query.has(name)) {
      return make_error(ErrorCode::invalid_parameter, std::string("Parameter '") + name +
                                                          "' applies only with " +
                                                          std::string(where));
    }
  }
  return parse_dbscan(query);
}

Expected<ClusterRun> run_clusters(const data::Snapshot& snapshot,
                                  std::span<const std::uint32_t> rows,
                                  const analysis::DbscanParams& params,
                                  const analysis::ClusterSummaryParams& summary,
                                  std::size_t min_members, const Deadline& deadline) {
  const data::IncidentTable& t = *snapshot.incidents;
  std::vector<double> xs, ys;
  xs.reserve(rows.size());
  ys.reserve(rows.size());
  for (std::uint32_t row : rows) {
    xs.push_back(t.x[row]);
    ys.push_back(t.y[row]);
  }
  auto labels = analysis::dbscan(xs, ys, params, deadline);
  if (!labels) return labels.error();
  // Bounded before the per-cluster work (hulls, ids) starts.
  if (static_cast<std::size_t>(labels->cluster_count) > kMaxOutputClusters) {
    return make_error(ErrorCode::payload_too_large,
                      std::to_string(labels->cluster_count) +
                          " clusters would be returned, over the limit of " +
                          std::to_string(kMaxOutputClusters) +
                          "; use a larger 'min_points' or a narrower selection");
  }
  auto summaries =
      analysis::summarise_clusters(t, rows, *labels, *snapshot.town_centres, summary, deadline);
  if (!summaries) return summaries.error();
  std::erase_if(summaries->clusters, [&](const analysis::ClusterSummary& c) {
    return c.members < min_members;
  });
  return ClusterRun{std::move(*labels), std::move(*summaries)};
}

std::vector<std::uint32_t> cluster_members(const ClusterRun& run,
                                           std::span<const std::uint32_t> rows,
                                           std::int32_t label) {
  std::vector<std::uint32_t> members;
  for (std::size_t k = 0; k < rows.size() && k < run.labels.labels.size(); ++k) {
    if (run.labels.labels[k] == label) members.push_back(rows[k]);
  }
  return members;
}

Expected<DbscanParams> DbscanParams::parse(const Query& query, const data::Snapshot& snapshot) {
  auto parsed = parse_selection_of<DbscanParams>(query, snapshot);
  if (!parsed) return parsed;
  DbscanParams& out = *parsed;
  auto dbscan = parse_dbscan(query);
  if (!dbscan) return dbscan.error();
  out.dbscan = *dbscan;
  if (const auto* text = query.get("hull")) {
    if (*text != "convex" && *text != "concave") {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'hull': '" + *text + "' is not convex or concave");
    }
    out.summary.concave = *text == "concave";
  }
  if (const auto* text = query.get("concave_ratio")) {
    if (!out.summary.concave) {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'concave_ratio' applies only with hull=concave");
    }
    auto ratio = parse_number("concave_ratio", *text);
    if (!ratio) return ratio.error();
    out.summary.concave_ratio = *ratio;
  }
  auto min_locations = query.parsed("min_locations", parse_whole);
  if (!min_locations) return min_locations.error();
  if (*min_locations) {
    const bool in_range = **min_locations >= 1 && **min_locations <= std::int64_t(kMaxMinLocations);
    out.min_locations = in_range ? static_cast<std::size_t>(**min_locations) : 0;  // 0: validate() names it
  }
  return validated(std::move(parsed));
}

std::optional<Error> DbscanParams::validate() const {
  if (auto problem = selection.validate()) return problem;
  if (auto problem = dbscan.validate()) return problem;
  if (min_locations < 1 || min_locations > kMaxMinLocations) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'min_locations': must be a whole number from 1 to " +
                          std::to_string(kMaxMinLocations) +
                          " (distinct map points a cluster must hold)");
  }
  return summary.validate();
}

Canonical DbscanParams::canonical() const {
  Canonical out;
  selection.append_canonical(out);
  append_dbscan_canonical(out, dbscan);
  out.emplace_back("hull", summary.concave ? "concave" : "convex");
  out.emplace_back("concave_ratio", summary.concave ? format_number(summary.concave_ratio) : "");
  out.emplace_back("min_locations", std::to_string(min_locations));
  return out;
}

Expected<DbscanResult> run(const data::Snapshot& snapshot, const DbscanParams& params,
                           const Deadline& deadline) {
  DbscanResult out;
  out.selection = select(snapshot, params.selection);
  auto clusters = run_clusters(snapshot, out.selection.rows, params.dbscan, params.summary,
                               params.selection.disclosure.min_support(), deadline);
  if (!clusters) return clusters.error();
  out.run = std::move(*clusters);
  std::erase_if(out.run.summaries.clusters, [&](const analysis::ClusterSummary& c) {
    return c.distinct_locations < params.min_locations;
  });
  return out;
}

}  // namespace hotspot::engine
