#pragma once
// Area groups: the groups of wards the partnership reports by (former
// districts and their community-safety partnerships, neighbourhood policing
// areas, constituencies), read as any polygon layer and tied to the wards.
//
// Assignment rule (and the brute-force definition the tests check against):
// a ward belongs to the group whose polygon covers the largest area of it
// (GEOS intersection areas in EPSG:27700); on a tie, the group that comes
// first in the layer. `share` is that intersection's area over the ward's
// own area. A ward that overlaps no group with any area (disjoint, or only
// touching along an edge) belongs to none, and is listed in `unassigned`.

#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/incident_table.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace hotspot::data {

struct WardGroup {
  std::int32_t group = kNoArea;  // index in AreaGroups::layer, or kNoArea
  double share = 0;              // of the ward's area inside that group, 0..1
};

struct AreaGroups {
  // Never null (empty when no groups are loaded).
  std::shared_ptr<const BoundaryLayer> layer = std::make_shared<const BoundaryLayer>();
  std::vector<WardGroup> of_ward;                    // one per ward, in ward order
  std::vector<std::vector<std::int32_t>> wards_of;   // per group: its wards, ascending
  std::vector<std::int32_t> unassigned;              // wards in no group, ascending
  // Overlaps GEOS could not measure (counted as no overlap), so the load
  // report can say so.
  std::size_t failed_overlaps = 0;

  // Each row's group from its ward (kNoArea for no ward or no group), for
  // analyses that group rows by a column (compare by=groups).
  std::vector<std::int32_t> group_of_rows(std::span<const std::int32_t> ward_of_row) const;
};

// Assigns every ward to a group by the rule above, `threads` at once (0 =
// hardware concurrency). Only intersections are computed (no prepared
// geometry or tree is built lazily here), each thread on its own GEOS
// context, so the shared layers are only read.
AreaGroups assign_wards(const BoundaryLayer& wards, std::shared_ptr<const BoundaryLayer> groups,
                        unsigned threads = 0);

}  // namespace hotspot::data
