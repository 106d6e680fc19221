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

// The change fields; in public mode everything after the two counts is
// recomputed from the published counts (null when either is suppressed).
void add_change_fields(FeatureTable& t, double exposure_a, double exposure_b) {
  const std::size_t ia = t.add_count("count_a");
  const std::size_t ib = t.add_count("count_b");
  using Pick = Value (*)(const analysis::GroupChange&);
  const auto derived = [&](std::string name, FieldType type, int decimals, Pick pick) {
    t.add_derived(std::move(name), type, decimals, [=](const std::vector<Value>& row) -> Value {
      const auto* a = std::get_if<std::int64_t>(&row[ia]);
      const auto* b = std::get_if<std::int64_t>(&row[ib]);
      if (a == nullptr || b == nullptr) return Null{};
      return pick(analysis::make_change(analysis::kNoGroup, static_cast<std::size_t>(*a),
                                        static_cast<std::size_t>(*b), exposure_a, exposure_b));
    });
  };
  derived("change", FieldType::integer, -1,
          [](const analysis::GroupChange& g) { return Value(std::int64_t{g.change}); });
  derived("percent_change", FieldType::real, 2,
          [](const analysis::GroupChange& g) { return optional_real(g.percent_change); });
  derived("rate_a", FieldType::real, -1,
          [](const analysis::GroupChange& g) { return finite(g.rate_a); });
  derived("rate_b", FieldType::real, -1,
          [](const analysis::GroupChange& g) { return finite(g.rate_b); });
  derived("rate_ratio", FieldType::real, -1,
          [](const analysis::GroupChange& g) { return finite(g.rate_ratio); });
  derived("p_value", FieldType::real, -1,
          [](const analysis::GroupChange& g) { return finite(g.p_value); });
}

void add_change_values(std::vector<Value>& values, const analysis::GroupChange& g) {
  values.insert(values.end(),
                {static_cast<std::int64_t>(g.count_a), static_cast<std::int64_t>(g.count_b),
                 std::int64_t{g.change}, optional_real(g.percent_change), finite(g.rate_a),
                 finite(g.rate_b), finite(g.rate_ratio), finite(g.p_value)});
}

// The all-groups total as the features carry a group's change: a row over
// the table's own fields (id and name null), so it has the same fields,
// values and precision, and public mode treats it as it treats a feature.
Feature change_total(const FeatureTable& t, const analysis::GroupChange& g) {
  Feature total;
  total.values.assign(t.fields.size() - 8, Null{});
  add_change_values(total.values, g);
  return total;
}

nlohmann::json change_json(const FeatureTable& t, const Feature& total) {
  nlohmann::json out = {{"group", nullptr}};
  // Only the change fields: id and name are no part of a total.
  const nlohmann::json row = detail::row_json(t.fields, total.values);
  for (std::size_t k = t.fields.size() - 8; k < t.fields.size(); ++k) {
    out[t.fields[k].name] = row[t.fields[k].name];
  }
  return out;
}

// A layer feature's own attribute, or null when it has none of that name.
Value attribute(const data::BoundaryLayer& layer, std::size_t i, const std::string& key) {
  if (i >= layer.properties.size()) return Null{};
  const auto found = layer.properties[i].find(key);
  return found == layer.properties[i].end() ? Value(Null{}) : Value(found->second);
}

// A layer's table name in files: "wards", "town_centres", "groups", after `prefix`.
std::string table_name(std::string_view prefix, engine::AreaLayer layer) {
  std::string name(prefix);
  for (const char c : engine::layer_name(layer)) name.push_back(c == '-' ? '_' : c);
  return name;
}

}  // namespace

FeatureAnswer boundary_answer(const data::Snapshot& snapshot, engine::AreaLayer which) {
  const data::BoundaryLayer& layer = engine::layer_of(snapshot, which);
  FeatureAnswer answer{detail::area_table(table_name("", which)), {}, std::nullopt};
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
  m = base_metadata(snapshot, "layers/" + std::string(engine::layer_name(which)), kLayerVersion, {});
  m["synthetic"] = any_synthetic(snapshot, layer.kind);
  m["counts"] = {{"features", layer.size()}};
  m["source"] = data::file_name(layer.source_path);  // no server directories
  if (which == engine::AreaLayer::groups) detail::add_group_wards(t, m, snapshot);
  return answer;
}

FeatureAnswer area_stats_answer(const data::Snapshot& snapshot,
                                const engine::AreaStatsParams& params,
                                const engine::AreaStatsResult& result) {
  const data::LayerPopulation* population = result.population;
  const data::BoundaryLayer& layer = engine::layer_of(snapshot, params.layer);
  const bool rates = population && population->table;
  FeatureAnswer answer{detail::area_table(table_name("stats_", params.layer)), {}, std::nullopt};
  FeatureTable& t = answer.table;
  const std::size_t total = t.add_count("total");
  t.fields[t.add_field("by_category", FieldType::json)].disclosive = Disclosive::counts;
  const std::size_t area = t.add_field("area_km2", FieldType::real, 4);
  // Public mode: rates of the published total, null when it is suppressed.
  const auto per = [=](std::size_t of, double scale) {
    return [=](const std::vector<Value>& row) -> Value {
      const auto* n = std::get_if<std::int64_t>(&row[total]);
      const auto* d = std::get_if<double>(&row[of]);
      if (n == nullptr || d == nullptr) return Null{};
      return *d > 0 ? scale * static_cast<double>(*n) / *d : 0.0;
    };
  };
  t.add_derived("per_km2", FieldType::real, 3, per(area, 1.0));
  if (rates) {
    // null where the table lacks the area (or its population is 0).
    const std::size_t people = t.add_field("population", FieldType::real);
    t.add_derived("per_1000", FieldType::real, -1, per(people, 1000.0));
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
  m = analysis_metadata(snapshot, "stats/" + std::string(engine::layer_name(params.layer)),
                        kAreaStatsVersion, params.canonical(), result.selection);
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
  FeatureAnswer answer{detail::area_table("compare"), {}, std::nullopt};
  FeatureTable& t = answer.table;
  add_change_fields(t, c.exposure_a, c.exposure_b);
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
    const data::BoundaryLayer& layer = engine::compared_layer(snapshot, params.by);
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
  answer.total = change_total(t, c.total);
  m["total"] = change_json(t, *answer.total);
  m["exposure_days"] = {{"a", c.exposure_a}, {"b", c.exposure_b}};
  // Each period's own index; metadata.nni (from analysis_metadata) is period a's.
  m["nni_by_period"] = {{"a", nni_json(c.selection_a.nni)}, {"b", nni_json(c.selection_b.nni)}};
  return answer;
}

}  // namespace hotspot::render
