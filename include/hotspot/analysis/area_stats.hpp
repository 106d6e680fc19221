#pragma once
// Counts of selected incidents per area (wards, town centres, or any layer
// the table carries a join column for), by category, with rates per km² and,
// when a population table is given, per 1,000 residents.

#include "hotspot/analysis/selection.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/area_groups.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/category.hpp"
#include "hotspot/data/incident_table.hpp"
#include "hotspot/data/population.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotspot::analysis {

// Residents per area are read with the rest of the data (they are part of
// the snapshot, whose version keys cached answers), so their table lives in
// data; analysis only reads it.
using data::PopulationTable;
using data::parse_population_csv;
using data::read_population_csv;

struct AreaCounts {
  std::int32_t area = data::kNoArea;  // index in the layer
  std::string id;
  std::string name;
  std::array<std::size_t, data::kCategoryCount> by_category{};
  std::size_t total = 0;
  double area_km2 = 0;
  double per_km2 = 0;                  // 0 for a zero-area feature
  std::optional<double> population;    // when the table has this id
  std::optional<double> per_1000;      // when population > 0
};

struct AreaStats {
  std::vector<AreaCounts> areas;          // one per feature, in layer order
  std::size_t selected = 0;               // rows in the selection
  std::size_t outside = 0;                // selected rows in no area of the layer
  std::vector<std::string> missing_population;  // layer ids the population table lacks
  std::vector<std::string> unused_population;   // population ids not in the layer (sorted)
};

// `area_of_row` holds one layer index (or kNoArea) per table row, e.g.
// table.ward or table.town_centre. Rows whose index is outside the layer
// count as outside.
AreaStats area_stats(const data::IncidentTable& table, const Selection& selection,
                     const data::BoundaryLayer& layer, std::span<const std::int32_t> area_of_row,
                     const PopulationTable* population = nullptr);

// Convenience: table.ward against the ward layer, table.town_centre against
// the town-centre layer.
AreaStats ward_stats(const data::IncidentTable& table, const Selection& selection,
                     const data::BoundaryLayer& wards, const PopulationTable* population = nullptr);
AreaStats town_centre_stats(const data::IncidentTable& table, const Selection& selection,
                            const data::BoundaryLayer& town_centres,
                            const PopulationTable* population = nullptr);

// Ward statistics summed per area group (data::AreaGroups): a group's counts
// are those of the wards assigned to it, so they add up exactly; its
// area_km2 is the sum of its wards' areas (where its incidents come from)
// and, with ward populations, its population the sum of its wards' when
// every one of them has one (otherwise none, and the group is listed as
// missing). Selected rows in no group's ward count as outside.
AreaStats group_stats(const AreaStats& ward_stats, const data::AreaGroups& groups,
                      const PopulationTable* ward_population = nullptr);

// Locates every table row in a layer the table has no join column for (e.g.
// LSOAs), with the layer's polygon index; kNoArea where none contains it.
std::vector<std::int32_t> locate_rows(const data::IncidentTable& table,
                                      const data::BoundaryLayer& layer, unsigned threads = 0);

}  // namespace hotspot::analysis
