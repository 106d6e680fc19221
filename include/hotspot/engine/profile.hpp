#pragma once
// /api/profile: when the selected incidents happen (hour of week, month), for
// the whole selection, one town centre, or one DBSCAN cluster of it.

#include "hotspot/analysis/profile.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/engine/clusters.hpp"
#include "hotspot/engine/selection.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hotspot::engine {

struct ProfileParams {
  SelectionParams selection;
  std::string town_centre;  // id, or empty
  std::int32_t town_centre_index = data::kNoArea;
  std::string cluster;      // stable cluster id, or empty
  analysis::DbscanParams dbscan;  // cluster only

  static constexpr std::string_view kOwnNames[] = {"town_centre", "cluster", "eps", "min_points"};
  static std::span<const std::string_view> names() { return names_of<ProfileParams>(); }
  static Expected<ProfileParams> parse(const Query& query, const data::Snapshot& snapshot);
  std::optional<Error> validate() const;
  Canonical canonical() const;
};

struct ProfileResult {
  analysis::Selection selection;   // the rows profiled
  std::size_t selected_before = 0;  // rows selected before narrowing to the town centre or cluster
  analysis::TemporalProfile profile;
};

Expected<ProfileResult> run(const data::Snapshot& snapshot, const ProfileParams& params,
                            const Deadline& deadline = Deadline::none());

}  // namespace hotspot::engine
