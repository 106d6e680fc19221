// /api/stats/wards, /api/stats/town-centres, /api/compare, /api/profile.
#include "hotspot/http/handlers.hpp"

#include "hotspot/analysis/area_stats.hpp"
#include "hotspot/analysis/compare.hpp"
#include "hotspot/analysis/profile.hpp"
#include "hotspot/data/category.hpp"
#include "hotspot/http/analysis_support.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/json_writer.hpp"
#include "hotspot/http/metadata.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

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
    const analysis::AreaStats stats =
        wards ? analysis::ward_stats(*s.incidents, selection, layer)
              : analysis::town_centre_stats(*s.incidents, selection, layer);
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
      w.raw("}}");
    }
    nlohmann::json metadata = analysis_metadata(*parsed, endpoint, kStatsVersion, selection);
    metadata["counts"]["outside"] = stats.outside;
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

}  // namespace

Response handle_ward_stats(const Request& request, const Context& context) {
  return area_stats(request, context, true);
}

Response handle_town_centre_stats(const Request& request, const Context& context) {
  return area_stats(request, context, false);
}

Response handle_compare(const Request& request, const Context& context) {
  auto parsed = parse_analysis_request(request, context, {"a_from", "a_to", "b_from", "b_to", "by"},
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
  bool by_wards = true;
  if (const auto* text = parsed->params.get("by")) {
    if (*text == "town-centres") {
      by_wards = false;
    } else if (*text != "wards") {
      return error_response(make_error(ErrorCode::invalid_parameter,
                                       "Parameter 'by': '" + *text +
                                           "' is not wards or town-centres"));
    }
  }
  parsed->own = {{"a_from", format_date(a.from_day)}, {"a_to", format_date(a.to_day)},
                 {"b_from", format_date(b.from_day)}, {"b_to", format_date(b.to_day)},
                 {"by", by_wards ? "wards" : "town-centres"}};

  return cached(context, "compare", *parsed, [&]() -> Response {
    const data::Snapshot& s = *parsed->snapshot;
    const data::IncidentTable& t = *s.incidents;
    const data::BoundaryLayer& layer = by_wards ? *s.wards : *s.town_centres;
    const std::vector<std::int32_t>& groups = by_wards ? t.ward : t.town_centre;
    auto comparison = analysis::compare_periods(t, *s.town_centres, parsed->selection.params, a, b,
                                                groups, layer.size());
    if (!comparison) return error_response(comparison.error());
    JsonWriter w;
    w.raw(R"({"type":"FeatureCollection","features":[)");
    for (std::size_t i = 0; i < comparison->groups.size() && i < layer.size(); ++i) {
      begin_area_feature(w, layer, i, i == 0);
      write_change(w, comparison->groups[i]);
      w.raw("}}");
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
    metadata["total"] = change_json(comparison->total);
    metadata["exposure_days"] = {{"a", comparison->exposure_a}, {"b", comparison->exposure_b}};
    finish(w, metadata);
    return geojson_response(w.take());
  });
}

Response handle_profile(const Request& request, const Context& context) {
  auto parsed = parse_analysis_request(request, context, {});
  if (!parsed) return error_response(parsed.error());
  return cached(context, "profile", *parsed, [&]() -> Response {
    const data::Snapshot& s = *parsed->snapshot;
    const auto selection = analysis::select(*s.incidents, *s.town_centres, parsed->selection.params);
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
                          {"metadata", analysis_metadata(*parsed, "profile", kProfileVersion, selection)}});
  });
}

}  // namespace hotspot::http
