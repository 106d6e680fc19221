#include "hotspot/engine/profile.hpp"

#include <algorithm>

namespace hotspot::engine {

Expected<ProfileParams> ProfileParams::parse(const Query& query, const data::Snapshot& snapshot) {
  auto parsed = parse_selection_of<ProfileParams>(query, snapshot);
  if (!parsed) return parsed;
  ProfileParams& out = *parsed;
  const std::string* centre = query.get("town_centre");
  const std::string* cluster = query.get("cluster");
  if (centre && cluster) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameters 'town_centre' and 'cluster': give one, not both");
  }
  if (centre) {
    out.town_centre = *centre;
    out.town_centre_index = snapshot.town_centres->find(*centre);
    if (out.town_centre_index == data::kNoArea) {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'town_centre': '" + *centre +
                            "' is not a loaded town centre (see /api/layers/town-centres)");
    }
  }
  if (cluster) {
    if (cluster->empty()) {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'cluster': empty (a cluster id from /api/hotspots/dbscan)");
    }
    out.cluster = *cluster;
  }
  auto dbscan = parse_dbscan_where(query, cluster != nullptr, "cluster=");
  if (!dbscan) return dbscan.error();
  out.dbscan = *dbscan;
  return validated(std::move(parsed));
}

std::optional<Error> ProfileParams::validate() const {
  if (auto problem = selection.validate()) return problem;
  return cluster.empty() ? std::nullopt : dbscan.validate();
}

Canonical ProfileParams::canonical() const {
  Canonical out;
  selection.append_canonical(out);
  const bool clustering = !cluster.empty();
  out.emplace_back("town_centre", town_centre);
  out.emplace_back("cluster", cluster);
  out.emplace_back("eps", clustering ? format_number(dbscan.eps) : "");
  out.emplace_back("min_points", clustering ? std::to_string(dbscan.min_points) : "");
  return out;
}

Expected<ProfileResult> run(const data::Snapshot& snapshot, const ProfileParams& params,
                            const Deadline& deadline) {
  ProfileResult out;
  out.selection = select(snapshot, params.selection);
  out.selected_before = out.selection.rows.size();
  if (params.town_centre_index != data::kNoArea) {
    // Rows inside the town-centre polygon itself (the table's join).
    std::erase_if(out.selection.rows, [&](std::uint32_t row) {
      return snapshot.incidents->town_centre[row] != params.town_centre_index;
    });
  } else if (!params.cluster.empty()) {
    auto run = run_clusters(snapshot, out.selection.rows, params.dbscan, {},
                            params.selection.disclosure.min_support(), deadline);
    if (!run) return run.error();
    const auto& clusters = run->summaries.clusters;
    const auto found = std::find_if(clusters.begin(), clusters.end(),
                                    [&](const auto& c) { return c.id == params.cluster; });
    if (found == clusters.end()) {
      return make_error(ErrorCode::not_found,
                        "Parameter 'cluster': '" + params.cluster +
                            "' is not a cluster of this selection with these eps and min_points "
                            "(see /api/hotspots/dbscan)");
    }
    out.selection.rows = cluster_members(*run, out.selection.rows, found->label);
  }
  out.profile = analysis::temporal_profile(*snapshot.incidents, out.selection);
  if (deadline.expired()) return deadline_error();
  return out;
}

}  // namespace hotspot::engine
