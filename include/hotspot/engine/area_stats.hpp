#pragma once
// /api/stats/wards, /api/stats/town-centres and /api/stats/groups: selected
// incidents per area, by category, per km² and, with a population table, per
// 1,000 residents. Groups are their wards' statistics summed
// (analysis::group_stats), with the wards' population table.

#include "hotspot/analysis/area_stats.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/engine/selection.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace hotspot::engine {

enum class AreaLayer { wards, town_centres, groups };

// The API's spelling: "wards", "town-centres", "groups" (in endpoint names).
std::string_view layer_name(AreaLayer layer);

struct AreaStatsParams {
  SelectionParams selection;
  AreaLayer layer = AreaLayer::wards;

  static std::span<const std::string_view> names();
  static Expected<AreaStatsParams> parse(const Query& query, const data::Snapshot& snapshot,
                                         AreaLayer layer);
  std::optional<Error> validate() const { return selection.validate(); }
  Canonical canonical() const;
};

struct AreaStatsResult {
  analysis::Selection selection;
  analysis::AreaStats stats;
  // The residents table of the layer (per-1,000 rates; the wards' for
  // groups), when one was given;
  // it may have failed to load (see its error).
  const data::LayerPopulation* population = nullptr;
};

Expected<AreaStatsResult> run(const data::Snapshot& snapshot, const AreaStatsParams& params,
                              const Deadline& deadline = Deadline::none());

const data::BoundaryLayer& layer_of(const data::Snapshot& snapshot, AreaLayer layer);

}  // namespace hotspot::engine
