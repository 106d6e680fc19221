// /api/hotspots/dbscan: one feature per DBSCAN cluster, described by
// analysis::summarise_clusters.
#include "hotspot/http/handlers.hpp"

#include "hotspot/analysis/clusters.hpp"
#include "hotspot/analysis/dbscan.hpp"
#include "hotspot/data/category.hpp"
#include "hotspot/http/analysis_support.hpp"
#include "hotspot/http/cluster_support.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/hotspot_support.hpp"
#include "hotspot/http/json_writer.hpp"
#include "hotspot/http/metadata.hpp"
#include "hotspot/http/projection.hpp"
#include "hotspot/http/shapes.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <string_view>

namespace hotspot::http {
namespace {

// dbscan/2: stable content-derived feature ids and the full cluster summary.
constexpr std::string_view kDbscanVersion = "dbscan/2";
constexpr std::array<std::string_view, 7> kWeekdays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

struct DbscanRequest {
  analysis::DbscanParams dbscan;
  analysis::ClusterSummaryParams summary;
};

Expected<DbscanRequest> parse_dbscan(const Params& params) {
  DbscanRequest out;
  auto dbscan = parse_dbscan_params(params);
  if (!dbscan) return dbscan.error();
  out.dbscan = *dbscan;
  if (const auto* text = params.get("hull")) {
    if (*text != "convex" && *text != "concave") {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'hull': '" + *text + "' is not convex or concave");
    }
    out.summary.concave = *text == "concave";
  }
  if (const auto* text = params.get("concave_ratio")) {
    if (!out.summary.concave) {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'concave_ratio' applies only with hull=concave");
    }
    auto ratio = parse_double("concave_ratio", *text, 0, 1);
    if (!ratio) return ratio.error();
    out.summary.concave_ratio = *ratio;
  }
  if (auto problem = out.summary.validate()) return *problem;
  return out;
}

void write_area_ref(JsonWriter& w, const data::BoundaryLayer& layer, std::int32_t index) {
  const auto i = static_cast<std::size_t>(index);
  w.raw(R"({"id":)").string(layer.ids[i]).raw(R"(,"name":)").string(layer.names[i]);
}

void write_cluster(JsonWriter& w, const analysis::ClusterSummary& c, const data::Snapshot& s,
                   const geo::Transformer& to_lonlat) {
  w.raw(R"({"type":"Feature","id":)").string(c.id);
  w.raw(R"(,"geometry":)");
  // Members all on one spot or one line have no hull area: drawn at the centroid.
  if (c.hull.empty()) {
    write_point_geometry(w, c.centroid, to_lonlat);
  } else {
    write_rings_geometry(w, c.hull, to_lonlat);
  }
  w.raw(R"(,"properties":{"id":)").string(c.id);
  w.raw(R"(,"count":)").integer(static_cast<std::int64_t>(c.members));
  w.raw(R"(,"core_count":)").integer(static_cast<std::int64_t>(c.core));
  w.raw(R"(,"by_category":{)");
  for (int k = 0; k < data::kCategoryCount; ++k) {
    if (k) w.raw(",");
    w.string(data::category_name(static_cast<data::Category>(k))).raw(":");
    w.integer(static_cast<std::int64_t>(c.by_category[static_cast<std::size_t>(k)]));
  }
  const geo::Point centre = to_lonlat.transform(c.centroid);
  w.raw(R"(},"centroid":)").lonlat(centre.x, centre.y);
  w.raw(R"(,"area_km2":)").number(c.area_m2 / 1e6, 6);
  w.raw(R"(,"density_per_km2":)").number(c.density_per_km2, 2);
  w.raw(R"(,"wards":[)");
  bool first = true;
  for (std::int32_t ward : c.wards) {
    if (ward < 0 || static_cast<std::size_t>(ward) >= s.wards->size()) continue;
    if (!first) w.raw(",");
    first = false;
    write_area_ref(w, *s.wards, ward);
    w.raw("}");
  }
  w.raw(R"(],"nearest_town_centre":)");
  if (c.nearest_town_centre >= 0 &&
      static_cast<std::size_t>(c.nearest_town_centre) < s.town_centres->size() &&
      std::isfinite(c.town_centre_distance_m)) {
    write_area_ref(w, *s.town_centres, c.nearest_town_centre);
    w.raw(R"(,"distance_m":)").number(c.town_centre_distance_m, 1).raw("}");
  } else {
    w.raw("null");
  }
  w.raw(R"(,"busiest_hour":)");
  if (c.busiest_hour >= 0) {
    w.integer(c.busiest_hour);
  } else {
    w.raw("null");
  }
  w.raw(R"(,"busiest_weekday":)");
  if (c.busiest_weekday >= 0 && c.busiest_weekday < 7) {
    w.string(kWeekdays[static_cast<std::size_t>(c.busiest_weekday)]);
  } else {
    w.raw("null");
  }
  w.raw(R"(,"share":)").number(c.share, 6);
  w.raw("}}");
}

}  // namespace

Response handle_dbscan(const Request& request, const Context& context) {
  auto parsed = parse_analysis_request(request, context,
                                       {"eps", "min_points", "hull", "concave_ratio"});
  if (!parsed) return error_response(parsed.error());
  auto params = parse_dbscan(parsed->params);
  if (!params) return error_response(params.error());
  const auto& summary_params = params->summary;
  parsed->own = {{"eps", format_number(params->dbscan.eps)},
                 {"min_points", std::to_string(params->dbscan.min_points)},
                 {"hull", summary_params.concave ? "concave" : "convex"},
                 {"concave_ratio",
                  summary_params.concave ? format_number(summary_params.concave_ratio) : ""}};

  return cached(context, "hotspots/dbscan", *parsed, [&]() -> Response {
    const data::Snapshot& s = *parsed->snapshot;
    const data::IncidentTable& t = *s.incidents;
    const auto selection = analysis::select(t, *s.town_centres, parsed->selection.params);
    auto run = run_clusters(s, selection.rows, params->dbscan, summary_params);
    if (!run) return error_response(run.error());
    const analysis::ClusterSummaries* summaries = &run->summaries;
    auto transformer = to_wgs84();
    if (!transformer) return error_response(transformer.error());

    JsonWriter w;
    w.text().reserve(summaries->clusters.size() * 1200 + 4096);
    begin_feature_collection(w);
    for (std::size_t c = 0; c < summaries->clusters.size(); ++c) {
      if (c) w.raw(",");
      write_cluster(w, summaries->clusters[c], s, **transformer);
    }
    nlohmann::json metadata =
        analysis_metadata(*parsed, "hotspots/dbscan", kDbscanVersion, selection);
    metadata["counts"]["clusters"] = summaries->clusters.size();
    metadata["counts"]["clustered"] = summaries->selection_size - summaries->noise;
    metadata["counts"]["noise"] = summaries->noise;
    metadata["units"] = {{"area_km2", "km2 of the hull"},
                         {"density_per_km2", "incidents per km2 of the hull"},
                         {"distance_m", "metres from the centroid"},
                         {"share", "members / selected incidents"},
                         {"busiest_hour", "Europe/London hour, 0-23"}};
    end_feature_collection(w, metadata);
    return geojson_response(w.take());
  });
}

}  // namespace hotspot::http
