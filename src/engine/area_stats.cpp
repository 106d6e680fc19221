#include "hotspot/engine/area_stats.hpp"

namespace hotspot::engine {

std::span<const std::string_view> AreaStatsParams::names() { return SelectionParams::names(); }

Expected<AreaStatsParams> AreaStatsParams::parse(const Query& query,
                                                 const data::Snapshot& snapshot,
                                                 AreaLayer layer) {
  auto parsed = parse_selection_of<AreaStatsParams>(query, snapshot);
  if (parsed) parsed->layer = layer;
  return parsed;
}

Canonical AreaStatsParams::canonical() const {
  Canonical out;
  selection.append_canonical(out);
  return out;
}

std::string_view layer_name(AreaLayer layer) {
  switch (layer) {
    case AreaLayer::town_centres: return "town-centres";
    case AreaLayer::groups: return "groups";
    case AreaLayer::wards: break;
  }
  return "wards";
}

const data::BoundaryLayer& layer_of(const data::Snapshot& snapshot, AreaLayer layer) {
  switch (layer) {
    case AreaLayer::town_centres: return *snapshot.town_centres;
    case AreaLayer::groups: return *snapshot.groups->layer;
    case AreaLayer::wards: break;
  }
  return *snapshot.wards;
}

Expected<AreaStatsResult> run(const data::Snapshot& snapshot, const AreaStatsParams& params,
                              const Deadline& deadline) {
  AreaStatsResult out;
  // Groups are counted through their wards, so they take the wards' residents.
  const auto& slot = params.layer == AreaLayer::town_centres ? snapshot.populations->town_centres
                                                             : snapshot.populations->wards;
  if (slot) out.population = &*slot;
  const data::PopulationTable* population =
      out.population && out.population->table ? &*out.population->table : nullptr;
  out.selection = select(snapshot, params.selection);
  const data::IncidentTable& t = *snapshot.incidents;
  if (params.layer == AreaLayer::town_centres) {
    out.stats = analysis::town_centre_stats(t, out.selection, *snapshot.town_centres, population);
  } else {
    out.stats = analysis::ward_stats(t, out.selection, *snapshot.wards, population);
    if (params.layer == AreaLayer::groups) {
      out.stats = analysis::group_stats(out.stats, *snapshot.groups, population);
    }
  }
  if (deadline.expired()) return deadline_error();
  return out;
}

}  // namespace hotspot::engine
