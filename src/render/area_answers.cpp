// /api/layers/{wards,town-centres}, /api/stats/*, /api/compare: one feature
// per area (or per cluster for compare by=clusters).
#include "hotspot/render/answers.hpp"

#include "answer_parts.hpp"
#include "hotspot/render/metadata.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace hotspot::render {
namespace {

Value optional_real(const std::optional<double>& v) {
  return v ? Value(*v) : Value(Null{});
}

// null where the ratio is infinite or undefined (a period with no incidents).
Value finite(double v) { return std::isfinite(v) ? Value(v) : Value(Null{}); }

void add_change_fields(FeatureTable& t) {
  t.add_field("count_a", FieldType::integer);
  t.add_field("count_b", FieldType::integer);
  t.add_field("change", FieldType::integer);
  t.add_field("percent_change", FieldType::real, 2);
  t.add_field("rate_a", FieldType::real);
  t.add_field("rate_b", FieldType::real);
  t.add_field("rate_ratio", FieldType::real);
  t.add_field("p_value", FieldType::real);
}

void add_change_values(std::vector<Value>& values, const analysis::GroupChange& g) {
  values.insert(values.end(),
                {static_cast<std::int64_t>(g.count_a), static_cast<std::int64_t>(g.count_b),
                 std::int64_t{g.change}, optional_real(g.percent_change), finite(g.rate_a),
                 finite(g.rate_b), finite(g.rate_ratio), finite(g.p_value)});
}

// The all-groups total as the features carry a group's change: the same
// fields, values and precision, built from the same two functions.
nlohmann::json change_json(const analysis::GroupChange& g) {
  std::vector<Value> values;
  add_change_values(values, g);
  FeatureTable names;
  add_change_fields(names);
  nlohmann::json out = {{"group", nullptr}};
  for (std::size_t k = 0; k < values.size(); ++k) {
    const Field& field = names.fields[k];
    nlohmann::json& slot = out[field.name];
    if (const auto* d = std::get_if<double>(&values[k])) {
      const double scale = field.decimals < 0 ? 0 : std::pow(10.0, field.decimals);
      slot = scale > 0 ? std::round(*d * scale) / scale : *d;
    } else if (const auto* i = std::get_if<std::int64_t>(&values[k])) {
      slot = *i;
    }
  }
  return out;
}

// A layer feature's own attribute, or null when it has none of that name.
Value attribute(const data::BoundaryLayer& layer, std::size_t i, const std::string& key) {
  if (i >= layer.properties.size()) return Null{};
  const auto found = layer.properties[i].find(key);
  return found == layer.properties[i].end() ? Value(Null{}) : Value(found->second);
}

}  // namespace

FeatureAnswer boundary_answer(const data::Snapshot& snapshot, engine::AreaLayer which) {
  const data::BoundaryLayer& layer = engine::layer_of(snapshot, which);
  const bool wards = which == engine::AreaLayer::wards;
  FeatureAnswer answer{detail::area_table(wards ? "wards" : "town_centres"), {}};
  FeatureTable& t = answer.table;
  t.bbox = true;
  t.add_field("area_km2", FieldType::real, 4);
  // Every other attribute the layer's file carried, as text, by name.
  std::vector<std::string> extra;
  for (const auto& properties : layer.properties) {
    for (const auto& [key, value] : properties) {
      if (key == "id" || key == "name" || key == "area_km2") continue;
      if (std::find(extra.begin(), extra.end(), key) == extra.end()) extra.push_back(key);
    }
  }
  for (const auto& key : extra) t.add_field(key, FieldType::text);
  for (std::size_t i = 0; i < layer.size(); ++i) {
    Feature f = detail::area_feature(layer, i);
    f.values.emplace_back(Null{});
    if (i < layer.area_m2.size()) f.values.back() = layer.area_m2[i] / 1e6;
    for (const auto& key : extra) f.values.push_back(attribute(layer, i, key));
    t.features.push_back(std::move(f));
  }
  nlohmann::json& m = answer.metadata;
  m = base_metadata(snapshot, wards ? "layers/wards" : "layers/town-centres", kLayerVersion, {});
  m["synthetic"] = any_synthetic(snapshot, layer.kind);
  m["counts"] = {{"features", layer.size()}};
  m["source"] = data::file_name(layer.source_path);  // no server directories
  return answer;
}

FeatureAnswer area_stats_answer(const data::Snapshot& snapshot,
                                const engine::AreaStatsParams& params,
                                const engine::AreaStatsResult& result) {
  const data::LayerPopulation* population = result.population;
  const data::BoundaryLayer& layer = engine::layer_of(snapshot, params.layer);
  const bool wards = params.layer == engine::AreaLayer::wards;
  const bool rates = population && population->table;
  FeatureAnswer answer{detail::area_table(wards ? "stats_wards" : "stats_town_centres"), {}};
  FeatureTable& t = answer.table;
  t.add_field("total", FieldType::integer);
  t.add_field("by_category", FieldType::json);
  t.add_field("area_km2", FieldType::real, 4);
  t.add_field("per_km2", FieldType::real, 3);
  if (rates) {
    // null where the table lacks the area (or its population is 0).
    t.add_field("population", FieldType::real);
    t.add_field("per_1000", FieldType::real);
  }
  for (std::size_t i = 0; i < result.stats.areas.size() && i < layer.size(); ++i) {
    const auto& a = result.stats.areas[i];
    Feature f = detail::area_feature(layer, i);
    f.values.insert(f.values.end(), {static_cast<std::int64_t>(a.total),
                                     detail::category_counts(a.by_category), a.area_km2,
                                     a.per_km2});
    if (rates) {
      f.values.push_back(optional_real(a.population));
      f.values.push_back(optional_real(a.per_1000));
    }
    t.features.push_back(std::move(f));
  }
  nlohmann::json& m = answer.metadata;
  m = analysis_metadata(snapshot, wards ? "stats/wards" : "stats/town-centres", kAreaStatsVersion,
                        params.canonical(), result.selection);
  m["counts"]["outside"] = result.stats.outside;
  if (population) {
    m["population"] = population->table
                          ? nlohmann::json{{"file", data::file_name(population->path)},
                                           {"missing", result.stats.missing_population},
                                           {"unused", result.stats.unused_population}}
                          : nlohmann::json{{"file", data::file_name(population->path)},
                                           {"error", data::without_directories(population->error,
                                                                               population->path)}};
  }
  return answer;
}

FeatureAnswer compare_answer(const data::Snapshot& snapshot, const engine::CompareParams& params,
                             const engine::CompareResult& result) {
  const analysis::Comparison& c = result.comparison;
  FeatureAnswer answer{detail::area_table("compare"), {}};
  FeatureTable& t = answer.table;
  add_change_fields(t);
  if (result.clusters) {
    for (const analysis::ClusterSummary& cluster : result.clusters->summaries.clusters) {
      const auto label = static_cast<std::size_t>(cluster.label);
      if (label >= c.groups.size()) continue;
      Feature f{cluster.id, detail::hull_or_point(cluster.hull, cluster.centroid),
                {cluster.id, Null{}}};
      add_change_values(f.values, c.groups[label]);
      t.features.push_back(std::move(f));
    }
  } else {
    const data::BoundaryLayer& layer = params.by == engine::CompareBy::wards
                                           ? *snapshot.wards
                                           : *snapshot.town_centres;
    for (std::size_t i = 0; i < c.groups.size() && i < layer.size(); ++i) {
      Feature f = detail::area_feature(layer, i);
      add_change_values(f.values, c.groups[i]);
      t.features.push_back(std::move(f));
    }
  }
  nlohmann::json& m = answer.metadata;
  m = analysis_metadata(snapshot, "compare", kCompareVersion, params.canonical(), c.selection_a);
  m["counts"] = {{"considered", snapshot.incidents->size()},
                 {"a", selection_counts(c.selection_a)},
                 {"b", selection_counts(c.selection_b)},
                 {"ungrouped", {{"a", c.ungrouped_a}, {"b", c.ungrouped_b}}}};
  if (result.clusters) m["counts"]["clusters"] = result.clusters->summaries.clusters.size();
  m["total"] = change_json(c.total);
  m["exposure_days"] = {{"a", c.exposure_a}, {"b", c.exposure_b}};
  return answer;
}

}  // namespace hotspot::render
