#include "hotspot/analysis/area_stats.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace hotspot::analysis {

AreaStats area_stats(const data::IncidentTable& table, const Selection& selection,
                     const data::BoundaryLayer& layer, std::span<const std::int32_t> area_of_row,
                     const PopulationTable* population) {
  AreaStats out;
  const std::size_t areas = layer.size();
  out.areas.resize(areas);
  for (std::size_t a = 0; a < areas; ++a) {
    AreaCounts& c = out.areas[a];
    c.area = static_cast<std::int32_t>(a);
    c.id = layer.ids[a];
    c.name = a < layer.names.size() ? layer.names[a] : std::string();
    c.area_km2 = a < layer.area_m2.size() ? layer.area_m2[a] / 1e6 : 0;
  }

  // One pass over the selected rows.
  out.selected = selection.rows.size();
  for (const std::uint32_t row : selection.rows) {
    const std::int32_t a = row < area_of_row.size() ? area_of_row[row] : data::kNoArea;
    if (a < 0 || static_cast<std::size_t>(a) >= areas || row >= table.category.size()) {
      ++out.outside;
      continue;
    }
    AreaCounts& c = out.areas[static_cast<std::size_t>(a)];
    const auto cat = static_cast<std::size_t>(table.category[row]);
    if (cat < c.by_category.size()) ++c.by_category[cat];
    ++c.total;
  }

  for (AreaCounts& c : out.areas) {
    c.per_km2 = c.area_km2 > 0 ? static_cast<double>(c.total) / c.area_km2 : 0;
    if (!population) continue;
    const auto it = population->by_id.find(c.id);
    if (it == population->by_id.end()) {
      out.missing_population.push_back(c.id);
      continue;
    }
    c.population = it->second;
    if (it->second > 0) c.per_1000 = 1000.0 * static_cast<double>(c.total) / it->second;
  }
  if (population) {
    const std::unordered_set<std::string> layer_ids(layer.ids.begin(), layer.ids.end());
    for (const auto& [id, value] : population->by_id) {
      if (!layer_ids.contains(id)) out.unused_population.push_back(id);
    }
    std::sort(out.unused_population.begin(), out.unused_population.end());
  }
  return out;
}

AreaStats ward_stats(const data::IncidentTable& table, const Selection& selection,
                     const data::BoundaryLayer& wards, const PopulationTable* population) {
  return area_stats(table, selection, wards, table.ward, population);
}

AreaStats town_centre_stats(const data::IncidentTable& table, const Selection& selection,
                            const data::BoundaryLayer& town_centres,
                            const PopulationTable* population) {
  return area_stats(table, selection, town_centres, table.town_centre, population);
}

AreaStats group_stats(const AreaStats& ward_stats, const data::AreaGroups& groups,
                      const PopulationTable* ward_population) {
  const data::BoundaryLayer& layer = *groups.layer;
  AreaStats out;
  out.selected = ward_stats.selected;
  out.unused_population = ward_stats.unused_population;
  out.areas.resize(layer.size());
  for (std::size_t g = 0; g < layer.size(); ++g) {
    AreaCounts& c = out.areas[g];
    c.area = static_cast<std::int32_t>(g);
    c.id = layer.ids[g];
    c.name = g < layer.names.size() ? layer.names[g] : std::string();
    bool every_population = g < groups.wards_of.size() && !groups.wards_of[g].empty();
    double population = 0;
    for (const std::int32_t w : g < groups.wards_of.size() ? groups.wards_of[g]
                                                           : std::vector<std::int32_t>{}) {
      if (w < 0 || static_cast<std::size_t>(w) >= ward_stats.areas.size()) continue;
      const AreaCounts& ward = ward_stats.areas[static_cast<std::size_t>(w)];
      for (std::size_t k = 0; k < c.by_category.size(); ++k) c.by_category[k] += ward.by_category[k];
      c.total += ward.total;
      c.area_km2 += ward.area_km2;
      every_population &= ward.population.has_value();
      population += ward.population.value_or(0);
    }
    c.per_km2 = c.area_km2 > 0 ? static_cast<double>(c.total) / c.area_km2 : 0;
    if (!ward_population) continue;
    if (!every_population) {
      out.missing_population.push_back(c.id);
      continue;
    }
    c.population = population;
    if (population > 0) c.per_1000 = 1000.0 * static_cast<double>(c.total) / population;
  }
  // Outside: rows in no ward, or in a ward that is in no group (also every
  // row when no groups are loaded).
  std::size_t grouped = 0;
  for (const AreaCounts& c : out.areas) grouped += c.total;
  out.outside = out.selected - std::min(grouped, out.selected);
  return out;
}

std::vector<std::int32_t> locate_rows(const data::IncidentTable& table,
                                      const data::BoundaryLayer& layer, unsigned threads) {
  std::vector<std::int32_t> out(table.size(), data::kNoArea);
  if (!layer.index || layer.size() == 0 || table.y.size() != table.x.size()) return out;
  layer.index->locate_all(table.x, table.y, out, threads);
  return out;
}

}  // namespace hotspot::analysis
