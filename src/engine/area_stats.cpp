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

const data::BoundaryLayer& layer_of(const data::Snapshot& snapshot, AreaLayer layer) {
  return layer == AreaLayer::wards ? *snapshot.wards : *snapshot.town_centres;
}

Expected<AreaStatsResult> run(const data::Snapshot& snapshot, const AreaStatsParams& params,
                              const Deadline& deadline) {
  AreaStatsResult out;
  const auto& slot = params.layer == AreaLayer::wards ? snapshot.populations->wards
                                                      : snapshot.populations->town_centres;
  if (slot) out.population = &*slot;
  const data::PopulationTable* population =
      out.population && out.population->table ? &*out.population->table : nullptr;
  out.selection = select(snapshot, params.selection);
  const data::IncidentTable& t = *snapshot.incidents;
  out.stats = params.layer == AreaLayer::wards
                  ? analysis::ward_stats(t, out.selection, *snapshot.wards, population)
                  : analysis::town_centre_stats(t, out.selection, *snapshot.town_centres,
                                                population);
  if (deadline.expired()) return deadline_error();
  return out;
}

}  // namespace hotspot::engine
