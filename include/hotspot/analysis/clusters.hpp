#pragma once
// What each DBSCAN cluster of a selection looks like: size by category, hull,
// centroid, area and density, wards, nearest town centre, busiest hour and
// weekday, share of the selection.

#include "hotspot/analysis/dbscan.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/category.hpp"
#include "hotspot/data/incident_table.hpp"
#include "hotspot/geo/geos.hpp"
#include "hotspot/geo/types.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hotspot::analysis {

struct ClusterSummaryParams {
  // Concave instead of convex hulls (GEOSConcaveHull; ratio 0 = tightest,
  // 1 = the convex hull).
  bool concave = false;
  double concave_ratio = 0.3;
  // Clustered incidents concave hulls may be drawn around in one request:
  // GEOS triangulates every member, which is several times slower than a
  // convex hull of the few candidate vertices.
  static constexpr std::size_t kMaxConcaveMembers = 200'000;

  std::optional<Error> validate() const;
};

struct ClusterSummary {
  // Stable across runs, selections and row order: 16 hex digits of a 64-bit
  // FNV-1a hash over the members' (source file, source id) pairs, sorted.
  std::string id;
  std::int32_t label = kNoise;  // the DBSCAN label in this run
  std::size_t members = 0;
  std::size_t core = 0;
  // How many distinct coordinates the members sit on: police.uk places
  // every crime on one of a fixed set of map points, so a cluster of 40
  // crimes may be one point (1), not 40 places.
  std::size_t distinct_locations = 0;
  std::array<std::size_t, data::kCategoryCount> by_category{};
  // EPSG:27700. Empty when the members are all on one line or one spot
  // (area 0, density 0).
  geo::MultiPolygonRings hull;
  geo::Point centroid;     // mean of the members' coordinates
  double area_m2 = 0;      // of the hull
  double density_per_km2 = 0;
  std::vector<std::int32_t> wards;  // ward indices of the members, ascending
  std::int32_t nearest_town_centre = data::kNoArea;
  double town_centre_distance_m = 0;  // from the centroid; +inf with no town centres
  // Europe/London local time. Hour counts only minute-precision records,
  // weekday (0 = Monday) day- and minute-precision ones; -1 when none qualify.
  int busiest_hour = -1;
  int busiest_weekday = -1;
  double share = 0;  // members / rows in the selection
};

struct ClusterSummaries {
  std::vector<ClusterSummary> clusters;  // by members, largest first (ties: id)
  std::size_t noise = 0;
  std::size_t selection_size = 0;
};

// `rows` are the selection's table rows and `result` DBSCAN's answer for
// them, point i being table row rows[i].
Expected<ClusterSummaries> summarise_clusters(const data::IncidentTable& table,
                                              std::span<const std::uint32_t> rows,
                                              const DbscanResult& result,
                                              const data::BoundaryLayer& town_centres,
                                              const ClusterSummaryParams& params = {},
                                              const Deadline& deadline = Deadline::none());

// The 16-hex-digit id above, for a set of (source, id) members.
std::string cluster_id(const data::IncidentTable& table, std::span<const std::uint32_t> members);

}  // namespace hotspot::analysis
