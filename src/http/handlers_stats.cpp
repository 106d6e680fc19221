// /api/stats/wards, /api/stats/town-centres, /api/compare, /api/profile.
#include "hotspot/http/handlers.hpp"

#include "hotspot/analysis/area_stats.hpp"
#include "hotspot/analysis/compare.hpp"
#include "hotspot/analysis/profile.hpp"
#include "hotspot/data/category.hpp"
#include "hotspot/http/analysis_support.hpp"
#include "hotspot/http/cluster_support.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/json_writer.hpp"
#include "hotspot/http/metadata.hpp"
#include "hotspot/http/projection.hpp"
#include "hotspot/http/shapes.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <cstdio>
#include <optional>

namespace hotspot::http {
namespace {

constexpr std::string_view kStatsVersion = "area-stats/1";
constexpr std::string_view kCompareVersion = "compare-poisson-exact/1";
constexpr std::string_view kProfileVersion = "profile/1";

// Starts a layer feature: id, geometry, and the opening of its properties
// with id and name (the caller adds the rest and closes with "}}").
void begin_area_feature(JsonWriter& w, const data::BoundaryLayer& layer, std::size_t i,
                        bool first) {
  if (!first) w.raw(",");
  w.raw(R"({"type":"Feature","id":)").string(layer.ids[i]);
  w.raw(R"(,"geometry":)");
  write_polygon_geometry(w, layer.lonlat[i]);
  w.raw(R"(,"properties":{"id":)").string(layer.ids[i]);
  w.raw(R"(,"name":)").string(i < layer.names.size() ? layer.names[i] : "");
}

void finish(JsonWriter& w, const nlohmann::json& metadata) {
  w.raw(R"(],"metadata":)");
  w.raw(metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  w.raw("}");
}

Response area_stats(const Request& request, const Context& context, bool wards) {
  const std::string_view endpoint = wards ? "stats/wards" : "stats/town-centres";
  auto parsed = parse_analysis_request(request, context, {});
  if (!parsed) return error_response(parsed.error());
  return cached(context, endpoint, *parsed, [&]() -> Response {
    const data::Snapshot& s = *parsed->snapshot;
    const auto selection = analysis::select(*s.incidents, *s.town_centres, parsed->selection.params);
    const data::BoundaryLayer& layer = wards ? *s.wards : *s.town_centres;
    const std::optional<data::LayerPopulation>* population =
        wards ? &s.populations->wards : &s.populations->town_centres;
    const analysis::PopulationTable* table =
        *population && (*population)->table ? &*(*population)->table : nullptr;
    const analysis::AreaStats stats =
        wards ? analysis::ward_stats(*s.incidents, selection, layer, table)
              : analysis::town_centre_stats(*s.incidents, selection, layer, table);
    JsonWriter w;
    w.raw(R"({"type":"FeatureCollection","features":[)");
    for (std::size_t i = 0; i < stats.areas.size() && i < layer.size(); ++i) {
      const auto& a = stats.areas[i];
      begin_area_feature(w, layer, i, i == 0);
      w.raw(R"(,"total":)").integer(static_cast<std::int64_t>(a.total));
      w.raw(R"(,"by_category":{)");
      for (int c = 0; c < data::kCategoryCount; ++c) {
        if (c) w.raw(",");
        w.string(data::category_name(static_cast<data::Category>(c))).raw(":");
        w.integer(static_cast<std::int64_t>(a.by_category[static_cast<std::size_t>(c)]));
      }
      w.raw(R"(},"area_km2":)").number(a.area_km2, 4);
      w.raw(R"(,"per_km2":)").number(a.per_km2, 3);
      if (table) {
        // null where the table lacks the area (or its population is 0).
        w.raw(R"(,"population":)");
        if (a.population) {
          w.real(*a.population);
        } else {
          w.raw("null");
        }
        w.raw(R"(,"per_1000":)");
        if (a.per_1000) {
          w.real(*a.per_1000);
        } else {
          w.raw("null");
        }
      }
      w.raw("}}");
    }
    nlohmann::json metadata = analysis_metadata(*parsed, endpoint, kStatsVersion, selection);
    metadata["counts"]["outside"] = stats.outside;
    if (*population) {
      const data::LayerPopulation& p = **population;
      if (p.table) {
        metadata["population"] = {{"file", p.path},
                                  {"missing", stats.missing_population},
                                  {"unused", stats.unused_population}};
      } else {
        metadata["population"] = {{"file", p.path}, {"error", p.error}};
      }
    }
    finish(w, metadata);
    return geojson_response(w.take());
  });
}

void write_change(JsonWriter& w, const analysis::GroupChange& g) {
  w.raw(R"(,"count_a":)").integer(static_cast<std::int64_t>(g.count_a));
  w.raw(R"(,"count_b":)").integer(static_cast<std::int64_t>(g.count_b));
  w.raw(R"(,"change":)").integer(g.change);
  w.raw(R"(,"percent_change":)");
  if (g.percent_change) {
    w.number(*g.percent_change, 2);
  } else {
    w.raw("null");
  }
  w.raw(R"(,"rate_a":)").real(g.rate_a);
  w.raw(R"(,"rate_b":)").real(g.rate_b);
  w.raw(R"(,"rate_ratio":)").real(g.rate_ratio);  // null when infinite or undefined
  w.raw(R"(,"p_value":)").real(g.p_value);
}

nlohmann::json change_json(const analysis::GroupChange& g) {
  JsonWriter w;
  w.raw("{\"group\":null");
  write_change(w, g);
  w.raw("}");
  return nlohmann::json::parse(w.text());
}

// eps and min_points mean something only where DBSCAN runs.
std::optional<Error> dbscan_only_with(const Params& params, bool clustering,
                                      std::string_view where) {
  if (clustering) return std::nullopt;
  for (const char* name : {"eps", "min_points"}) {
    if (params.get(name)) {
      return make_error(ErrorCode::invalid_parameter,
                        std::string("Parameter '") + name + "' applies only with " +
                            std::string(where));
    }
  }
  return std::nullopt;
}

}  // namespace

Response handle_ward_stats(const Request& request, const Context& context) {
  return area_stats(request, context, true);
}

Response handle_town_centre_stats(const Request& request, const Context& context) {
  return area_stats(request, context, false);
}

Response handle_compare(const Request& request, const Context& context) {
  auto parsed = parse_analysis_request(
      request, context, {"a_from", "a_to", "b_from", "b_to", "by", "eps", "min_points"},
      {"from", "to"});
  if (!parsed) return error_response(parsed.error());
  std::int32_t days[4];
  const char* names[4] = {"a_from", "a_to", "b_from", "b_to"};
  for (int k = 0; k < 4; ++k) {
    const auto* text = parsed->params.get(names[k]);
    if (!text) {
      return error_response(make_error(ErrorCode::invalid_parameter,
                                       std::string("Parameter '") + names[k] +
                                           "' is required (a date YYYY-MM-DD)"));
    }
    auto day = parse_date(names[k], *text);
    if (!day) return error_response(day.error());
    days[k] = *day;
  }
  const analysis::Period a{days[0], days[1]}, b{days[2], days[3]};
  std::string by = "wards";
  if (const auto* text = parsed->params.get("by")) {
    if (*text != "wards" && *text != "town-centres" && *text != "clusters") {
      return error_response(make_error(ErrorCode::invalid_parameter,
                                       "Parameter 'by': '" + *text +
                                           "' is not wards, town-centres or clusters"));
    }
    by = *text;
  }
  const bool by_clusters = by == "clusters";
  auto dbscan = parse_dbscan_params(parsed->params);
  if (!dbscan) return error_response(dbscan.error());
  if (auto problem = dbscan_only_with(parsed->params, by_clusters, "by=clusters")) {
    return error_response(*problem);
  }
  parsed->own = {{"a_from", format_date(a.from_day)}, {"a_to", format_date(a.to_day)},
                 {"b_from", format_date(b.from_day)}, {"b_to", format_date(b.to_day)},
                 {"by", by},
                 {"eps", by_clusters ? format_number(dbscan->eps) : ""},
                 {"min_points", by_clusters ? std::to_string(dbscan->min_points) : ""}};

  return cached(context, "compare", *parsed, [&]() -> Response {
    const data::Snapshot& s = *parsed->snapshot;
    const data::IncidentTable& t = *s.incidents;
    JsonWriter w;
    w.raw(R"({"type":"FeatureCollection","features":[)");
    Expected<analysis::Comparison> comparison = make_error(ErrorCode::internal, "not run");
    std::size_t clusters = 0;
    if (by_clusters) {
      // The two periods' selections first (no groups), then DBSCAN over both
      // together so a cluster is the same place in each period.
      const std::vector<std::int32_t> none(t.size(), analysis::kNoGroup);
      auto periods = analysis::compare_periods(t, *s.town_centres, parsed->selection.params, a, b,
                                               none, 0);
      if (!periods) return error_response(periods.error());
      std::vector<std::uint32_t> rows;
      std::set_union(periods->selection_a.rows.begin(), periods->selection_a.rows.end(),
                     periods->selection_b.rows.begin(), periods->selection_b.rows.end(),
                     std::back_inserter(rows));
      auto run = run_clusters(s, rows, *dbscan);
      if (!run) return error_response(run.error());
      auto transformer = to_wgs84();
      if (!transformer) return error_response(transformer.error());
      const auto labels = analysis::labels_by_row(t.size(), rows, run->result.labels);
      analysis::Comparison c = analysis::compare_rows(
          labels, static_cast<std::size_t>(run->result.cluster_count), periods->selection_a.rows,
          periods->selection_b.rows, periods->exposure_a, periods->exposure_b);
      c.a = a;
      c.b = b;
      c.selection_a = std::move(periods->selection_a);
      c.selection_b = std::move(periods->selection_b);
      clusters = run->summaries.clusters.size();
      bool first = true;
      for (const analysis::ClusterSummary& cluster : run->summaries.clusters) {
        const auto label = static_cast<std::size_t>(cluster.label);
        if (label >= c.groups.size()) continue;
        if (!first) w.raw(",");
        first = false;
        w.raw(R"({"type":"Feature","id":)").string(cluster.id);
        w.raw(R"(,"geometry":)");
        // Members all on one spot or one line have no hull: drawn at the centroid.
        if (cluster.hull.empty()) {
          write_point_geometry(w, cluster.centroid, **transformer);
        } else {
          write_rings_geometry(w, cluster.hull, **transformer);
        }
        w.raw(R"(,"properties":{"id":)").string(cluster.id).raw(R"(,"name":null)");
        write_change(w, c.groups[label]);
        w.raw("}}");
      }
      comparison = std::move(c);
    } else {
      const bool by_wards = by == "wards";
      const data::BoundaryLayer& layer = by_wards ? *s.wards : *s.town_centres;
      const std::vector<std::int32_t>& groups = by_wards ? t.ward : t.town_centre;
      comparison = analysis::compare_periods(t, *s.town_centres, parsed->selection.params, a, b,
                                             groups, layer.size());
      if (!comparison) return error_response(comparison.error());
      for (std::size_t i = 0; i < comparison->groups.size() && i < layer.size(); ++i) {
        begin_area_feature(w, layer, i, i == 0);
        write_change(w, comparison->groups[i]);
        w.raw("}}");
      }
    }
    nlohmann::json metadata =
        analysis_metadata(*parsed, "compare", kCompareVersion, comparison->selection_a);
    auto counts_of = [](const analysis::Selection& sel) {
      auto excluded = nlohmann::json::object();
      for (const auto& [reason, count] : sel.excluded) excluded[reason] = count;
      return nlohmann::json{{"selected", sel.rows.size()}, {"excluded", std::move(excluded)}};
    };
    metadata["counts"] = {{"considered", t.size()},
                          {"a", counts_of(comparison->selection_a)},
                          {"b", counts_of(comparison->selection_b)},
                          {"ungrouped", {{"a", comparison->ungrouped_a}, {"b", comparison->ungrouped_b}}}};
    if (by_clusters) metadata["counts"]["clusters"] = clusters;
    metadata["total"] = change_json(comparison->total);
    metadata["exposure_days"] = {{"a", comparison->exposure_a}, {"b", comparison->exposure_b}};
    finish(w, metadata);
    return geojson_response(w.take());
  });
}

Response handle_profile(const Request& request, const Context& context) {
  auto parsed =
      parse_analysis_request(request, context, {"town_centre", "cluster", "eps", "min_points"});
  if (!parsed) return error_response(parsed.error());
  const std::string* centre_id = parsed->params.get("town_centre");
  const std::string* cluster_id = parsed->params.get("cluster");
  if (centre_id && cluster_id) {
    return error_response(make_error(ErrorCode::invalid_parameter,
                                     "Parameters 'town_centre' and 'cluster': give one, not both"));
  }
  std::int32_t centre = data::kNoArea;
  if (centre_id) {
    centre = parsed->snapshot->town_centres->find(*centre_id);
    if (centre == data::kNoArea) {
      return error_response(make_error(ErrorCode::invalid_parameter,
                                       "Parameter 'town_centre': '" + *centre_id +
                                           "' is not a loaded town centre (see "
                                           "/api/layers/town-centres)"));
    }
  }
  if (cluster_id && cluster_id->empty()) {
    return error_response(make_error(ErrorCode::invalid_parameter,
                                     "Parameter 'cluster': empty (a cluster id from "
                                     "/api/hotspots/dbscan)"));
  }
  auto dbscan = parse_dbscan_params(parsed->params);
  if (!dbscan) return error_response(dbscan.error());
  if (auto problem = dbscan_only_with(parsed->params, cluster_id != nullptr, "cluster=")) {
    return error_response(*problem);
  }
  parsed->own = {{"town_centre", centre_id ? *centre_id : ""},
                 {"cluster", cluster_id ? *cluster_id : ""},
                 {"eps", cluster_id ? format_number(dbscan->eps) : ""},
                 {"min_points", cluster_id ? std::to_string(dbscan->min_points) : ""}};
  return cached(context, "profile", *parsed, [&]() -> Response {
    const data::Snapshot& s = *parsed->snapshot;
    auto selection = analysis::select(*s.incidents, *s.town_centres, parsed->selection.params);
    const std::size_t selected = selection.rows.size();
    nlohmann::json of = nullptr;
    if (centre != data::kNoArea) {
      // Rows inside the town-centre polygon itself (the table's join).
      std::erase_if(selection.rows, [&](std::uint32_t row) {
        return s.incidents->town_centre[row] != centre;
      });
      of = {{"town_centre", *centre_id}, {"selected_before", selected}};
    } else if (cluster_id) {
      auto run = run_clusters(s, selection.rows, *dbscan);
      if (!run) return error_response(run.error());
      const auto& clusters = run->summaries.clusters;
      const auto found = std::find_if(clusters.begin(), clusters.end(),
                                      [&](const auto& c) { return c.id == *cluster_id; });
      if (found == clusters.end()) {
        return error_response(make_error(
            ErrorCode::not_found, "Parameter 'cluster': '" + *cluster_id +
                                      "' is not a cluster of this selection with these eps "
                                      "and min_points (see /api/hotspots/dbscan)"));
      }
      std::vector<std::uint32_t> members;
      for (std::size_t k = 0; k < selection.rows.size(); ++k) {
        if (run->result.labels[k] == found->label) members.push_back(selection.rows[k]);
      }
      selection.rows = std::move(members);
      of = {{"cluster", *cluster_id}, {"selected_before", selected}};
    }
    const analysis::TemporalProfile profile = analysis::temporal_profile(*s.incidents, selection);
    auto matrix = nlohmann::json::array();
    for (const auto& day : profile.hour_of_week.counts) matrix.push_back(day);
    auto monthly = nlohmann::json::array();
    for (const auto& m : profile.monthly) {
      char month[16];
      std::snprintf(month, sizeof month, "%04d-%02u", m.year, m.month);
      monthly.push_back({{"month", month}, {"count", m.count}});
    }
    return json_response({{"hour_of_week", std::move(matrix)},
                          {"hour_of_week_total", profile.hour_of_week.total},
                          {"monthly", std::move(monthly)},
                          {"excluded", profile.excluded},
                          {"metadata", [&] {
                             auto metadata =
                                 analysis_metadata(*parsed, "profile", kProfileVersion, selection);
                             if (!of.is_null()) metadata["profile_of"] = std::move(of);
                             return metadata;
                           }()}});
  });
}

}  // namespace hotspot::http
