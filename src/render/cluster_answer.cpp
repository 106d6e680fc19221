// /api/hotspots/dbscan: one feature per cluster, described by its summary.
#include "hotspot/render/answers.hpp"

#include "answer_parts.hpp"
#include "hotspot/data/local_time.hpp"
#include "hotspot/render/metadata.hpp"

#include <cmath>

namespace hotspot::render {
namespace {

Value nearest_town_centre(const data::Snapshot& s, const analysis::ClusterSummary& c) {
  if (c.nearest_town_centre < 0 ||
      static_cast<std::size_t>(c.nearest_town_centre) >= s.town_centres->size() ||
      !std::isfinite(c.town_centre_distance_m)) {
    return Null{};
  }
  auto ref = detail::area_ref(*s.town_centres, static_cast<std::size_t>(c.nearest_town_centre));
  ref["distance_m"] = std::round(c.town_centre_distance_m * 10) / 10;
  return ref.dump();
}

std::string ward_refs(const data::Snapshot& s, const analysis::ClusterSummary& c) {
  auto wards = nlohmann::json::array();
  for (std::int32_t ward : c.wards) {
    if (ward >= 0 && static_cast<std::size_t>(ward) < s.wards->size()) {
      wards.push_back(detail::area_ref(*s.wards, static_cast<std::size_t>(ward)));
    }
  }
  return wards.dump();
}

Value weekday(int day) {
  if (day < 0 || day >= 7) return Null{};
  return std::string(data::kWeekdayNames[static_cast<std::size_t>(day)]);
}

}  // namespace

FeatureAnswer dbscan_answer(const data::Snapshot& snapshot, const engine::DbscanParams& params,
                            const engine::DbscanResult& result) {
  FeatureAnswer answer;
  FeatureTable& t = answer.table;
  t.name = "hotspots_dbscan";
  using enum FieldType;
  using enum Disclosive;
  for (auto [name, type, decimals, disclosive] :
       {std::tuple{"id", text, -1, none}, {"count", integer, -1, count},
        {"core_count", integer, -1, count}, {"by_category", json, -1, counts},
        {"centroid", json, -1, none}, {"area_km2", real, 6, none},
        {"density_per_km2", real, 2, derived}, {"wards", json, -1, none},
        {"nearest_town_centre", json, -1, none}, {"busiest_hour", integer, -1, none},
        {"busiest_weekday", text, -1, none}, {"share", real, 6, derived},
        {"distinct_locations", integer, -1, none}}) {
    t.fields[t.add_field(name, type, decimals)].disclosive = disclosive;
  }
  // Public mode: density and share of the published count (and total).
  const std::size_t members = 1, area = 5;
  t.fields[6].derive = [=](const std::vector<Value>& row) -> Value {
    const auto* n = std::get_if<std::int64_t>(&row[members]);
    const auto* km2 = std::get_if<double>(&row[area]);
    if (n == nullptr || km2 == nullptr) return Null{};
    return *km2 > 0 ? static_cast<double>(*n) / *km2 : 0.0;
  };
  const auto selected = params.selection.disclosure.publish(
      static_cast<std::int64_t>(result.selection.rows.size()));
  t.fields[11].derive = [=](const std::vector<Value>& row) -> Value {
    const auto* n = std::get_if<std::int64_t>(&row[members]);
    if (n == nullptr || !selected) return Null{};
    return *selected > 0 ? static_cast<double>(*n) / static_cast<double>(*selected) : 0.0;
  };
  const auto& summaries = result.run.summaries;
  t.features.reserve(summaries.clusters.size());
  for (const analysis::ClusterSummary& c : summaries.clusters) {
    Feature f;
    f.id = c.id;
    f.geometry = detail::hull_or_point(c.hull, c.centroid);
    f.values = {c.id,
                static_cast<std::int64_t>(c.members),
                static_cast<std::int64_t>(c.core),
                detail::category_counts(c.by_category),
                detail::lonlat_text(c.centroid),
                c.area_m2 / 1e6,
                c.density_per_km2,
                ward_refs(snapshot, c),
                nearest_town_centre(snapshot, c),
                c.busiest_hour >= 0 ? Value(std::int64_t{c.busiest_hour}) : Value(Null{}),
                weekday(c.busiest_weekday),
                c.share,
                static_cast<std::int64_t>(c.distinct_locations)};
    t.features.push_back(std::move(f));
  }
  nlohmann::json& m = answer.metadata;
  m = analysis_metadata(snapshot, "hotspots/dbscan", kDbscanVersion, params.canonical(),
                        result.selection);
  m["counts"]["clusters"] = summaries.clusters.size();
  m["counts"]["clustered"] = summaries.selection_size - summaries.noise;
  m["counts"]["noise"] = summaries.noise;
  m["units"] = {{"area_km2", "km2 of the hull"},
                {"density_per_km2", "incidents per km2 of the hull"},
                {"distance_m", "metres from the centroid"},
                {"share", "members / selected incidents"},
                {"busiest_hour", "Europe/London hour, 0-23"},
                {"distinct_locations",
                 "distinct coordinates of the members; 1: one map point (police.uk places "
                 "these crimes there, the true locations are nearby)"}};
  return answer;
}

}  // namespace hotspot::render
