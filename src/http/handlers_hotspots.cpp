// /api/hotspots/dbscan, /api/hotspots/kde, /api/hotspots/gistar.
#include "hotspot/http/handlers.hpp"

#include "hotspot/analysis/dbscan.hpp"
#include "hotspot/analysis/gistar.hpp"
#include "hotspot/analysis/grid.hpp"
#include "hotspot/analysis/kde.hpp"
#include "hotspot/data/category.hpp"
#include "hotspot/http/analysis_support.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/json_writer.hpp"
#include "hotspot/http/metadata.hpp"
#include "hotspot/http/projection.hpp"
#include "hotspot/http/shapes.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace hotspot::http {
namespace {

constexpr std::string_view kDbscanVersion = "dbscan/1";
constexpr std::string_view kKdeVersion = "kde-quartic/1";
constexpr std::string_view kGiStarVersion = "gistar-grid/1";
// Features written by one grid answer; beyond this the page could not draw it anyway.
constexpr std::size_t kMaxOutputCells = 100000;

// The area grids cover: the ward layer, or the incidents when no wards are loaded.
geo::Box study_extent(const data::Snapshot& s) {
  return s.wards->extent.empty() ? s.incidents->extent() : s.wards->extent;
}

Error too_many_cells(std::size_t cells) {
  return make_error(ErrorCode::payload_too_large,
                    std::to_string(cells) + " cells would be returned, over the limit of " +
                        std::to_string(kMaxOutputCells) +
                        "; use a larger 'cell', a higher threshold, or a narrower selection");
}

void write_metadata(JsonWriter& w, const nlohmann::json& metadata) {
  w.raw(R"(],"metadata":)");
  w.raw(metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  w.raw("}");
}

nlohmann::json grid_json(const analysis::GridGeometry& g) {
  return {{"crs", geo::kWorkingCrs}, {"origin_x", g.origin_x}, {"origin_y", g.origin_y},
          {"cell", g.cell},          {"nx", g.nx},             {"ny", g.ny}};
}

}  // namespace

Response handle_dbscan(const Request& request, const Context& context) {
  auto parsed = parse_analysis_request(request, context, {"eps", "min_points"});
  if (!parsed) return error_response(parsed.error());
  analysis::DbscanParams params;
  if (const auto* text = parsed->params.get("eps")) {
    auto eps = parse_double("eps", *text, 0, analysis::DbscanParams::kMaxEps);
    if (!eps) return error_response(eps.error());
    params.eps = *eps;
  }
  if (const auto* text = parsed->params.get("min_points")) {
    auto n = parse_int("min_points", *text, 1, analysis::DbscanParams::kMaxMinPoints);
    if (!n) return error_response(n.error());
    params.min_points = static_cast<std::uint32_t>(*n);
  }
  if (auto problem = params.validate()) return error_response(*problem);
  parsed->own = {{"eps", format_number(params.eps)},
                 {"min_points", std::to_string(params.min_points)}};

  return cached(context, "hotspots/dbscan", *parsed, [&]() -> Response {
    const data::Snapshot& s = *parsed->snapshot;
    const data::IncidentTable& t = *s.incidents;
    const auto selection = analysis::select(t, *s.town_centres, parsed->selection.params);
    std::vector<double> xs, ys;
    selected_points(t, selection, xs, ys);
    auto result = analysis::dbscan(xs, ys, params);
    if (!result) return error_response(result.error());
    auto transformer = to_wgs84();
    if (!transformer) return error_response(transformer.error());

    // Gather each cluster's members, core count and categories.
    const auto clusters = static_cast<std::size_t>(result->cluster_count);
    std::vector<std::vector<geo::Point>> members(clusters);
    std::vector<std::size_t> cores(clusters, 0);
    std::vector<std::array<std::size_t, data::kCategoryCount>> categories(clusters);
    for (std::size_t k = 0; k < xs.size(); ++k) {
      const std::int32_t label = result->labels[k];
      if (label == analysis::kNoise) continue;
      const auto c = static_cast<std::size_t>(label);
      members[c].push_back({xs[k], ys[k]});
      cores[c] += result->core[k];
      ++categories[c][static_cast<std::size_t>(t.category[selection.rows[k]])];
    }

    JsonWriter w;
    w.raw(R"({"type":"FeatureCollection","features":[)");
    for (std::size_t c = 0; c < clusters; ++c) {
      const auto hull = convex_hull(members[c]);
      if (c) w.raw(",");
      w.raw(R"({"type":"Feature","id":)").integer(static_cast<std::int64_t>(c));
      w.raw(R"(,"geometry":)");
      write_hull_geometry(w, hull, **transformer);
      w.raw(R"(,"properties":{"cluster":)").integer(static_cast<std::int64_t>(c));
      w.raw(R"(,"count":)").integer(static_cast<std::int64_t>(members[c].size()));
      w.raw(R"(,"core_count":)").integer(static_cast<std::int64_t>(cores[c]));
      w.raw(R"(,"by_category":{)");
      for (int k = 0; k < data::kCategoryCount; ++k) {
        if (k) w.raw(",");
        w.string(data::category_name(static_cast<data::Category>(k))).raw(":");
        w.integer(static_cast<std::int64_t>(categories[c][static_cast<std::size_t>(k)]));
      }
      w.raw(R"(},"area_km2":)").number(hull.size() >= 3 ? polygon_area(hull) / 1e6 : 0, 4);
      w.raw("}}");
    }
    nlohmann::json metadata = analysis_metadata(*parsed, "hotspots/dbscan", kDbscanVersion, selection);
    metadata["counts"]["clusters"] = result->cluster_count;
    metadata["counts"]["noise"] = result->noise_count;
    write_metadata(w, metadata);
    return geojson_response(w.take());
  });
}

Response handle_kde(const Request& request, const Context& context) {
  auto parsed = parse_analysis_request(request, context, {"cell", "bandwidth", "threshold"});
  if (!parsed) return error_response(parsed.error());
  analysis::KdeParams params;
  double threshold = 0.05;
  if (const auto* text = parsed->params.get("cell")) {
    auto cell = parse_double("cell", *text, 10, 5000);
    if (!cell) return error_response(cell.error());
    params.cell_size = *cell;
  }
  if (const auto* text = parsed->params.get("bandwidth")) {
    auto h = parse_double("bandwidth", *text, 10, analysis::KdeParams::kMaxBandwidth);
    if (!h) return error_response(h.error());
    params.bandwidth = *h;
  }
  if (const auto* text = parsed->params.get("threshold")) {
    auto value = parse_double("threshold", *text, 0, 1);
    if (!value) return error_response(value.error());
    threshold = *value;
  }
  if (auto problem = params.validate()) return error_response(*problem);
  parsed->own = {{"cell", format_number(params.cell_size)},
                 {"bandwidth", format_number(params.bandwidth)},
                 {"threshold", format_number(threshold)}};

  return cached(context, "hotspots/kde", *parsed, [&]() -> Response {
    const data::Snapshot& s = *parsed->snapshot;
    const auto selection = analysis::select(*s.incidents, *s.town_centres, parsed->selection.params);
    std::vector<double> xs, ys;
    selected_points(*s.incidents, selection, xs, ys);
    auto grid = analysis::aligned_grid(study_extent(s), params.cell_size);
    if (!grid) {
      return error_response(make_error(ErrorCode::payload_too_large, grid.error().message));
    }
    auto result = analysis::kernel_density(xs, ys, *grid, params);
    if (!result) return error_response(result.error());
    auto transformer = to_wgs84();
    if (!transformer) return error_response(transformer.error());

    const double cutoff = threshold * result->max_density;
    std::size_t written = 0;
    for (double d : result->density) written += d > 0 && d >= cutoff;
    if (written > kMaxOutputCells) return error_response(too_many_cells(written));

    const auto& g = result->grid;
    JsonWriter w;
    w.text().reserve(written * 260 + 4096);
    w.raw(R"({"type":"FeatureCollection","features":[)");
    bool first = true;
    for (std::int32_t iy = 0; iy < g.ny; ++iy) {
      for (std::int32_t ix = 0; ix < g.nx; ++ix) {
        const double d = result->density[static_cast<std::size_t>(iy) * g.nx + ix];
        if (!(d > 0 && d >= cutoff)) continue;
        if (!first) w.raw(",");
        first = false;
        w.raw(R"({"type":"Feature","id":")").integer(ix).raw(",").integer(iy).raw("\"");
        w.raw(R"(,"geometry":)");
        write_cell_geometry(w, g, ix, iy, **transformer);
        w.raw(R"(,"properties":{"density":)").number(d, 3);
        w.raw(R"(,"relative":)").number(result->max_density > 0 ? d / result->max_density : 0, 4);
        w.raw("}}");
      }
    }
    nlohmann::json metadata = analysis_metadata(*parsed, "hotspots/kde", kKdeVersion, selection);
    metadata["units"] = "incidents per km2";
    metadata["max_density"] = result->max_density;
    metadata["grid"] = grid_json(g);
    metadata["counts"]["cells"] = written;
    metadata["counts"]["points_outside_grid"] = result->points_outside_grid;
    write_metadata(w, metadata);
    return geojson_response(w.take());
  });
}

Response handle_gistar(const Request& request, const Context& context) {
  auto parsed = parse_analysis_request(request, context, {"cell", "band", "fdr", "all"});
  if (!parsed) return error_response(parsed.error());
  analysis::GiStarParams params;
  double cell = 250;
  bool all = false;
  if (const auto* text = parsed->params.get("cell")) {
    auto value = parse_double("cell", *text, 10, 5000);
    if (!value) return error_response(value.error());
    cell = *value;
  }
  if (const auto* text = parsed->params.get("band")) {
    auto value = parse_double("band", *text, 0, analysis::GiStarParams::kMaxBand);
    if (!value) return error_response(value.error());
    params.band = *value;
  }
  if (const auto* text = parsed->params.get("fdr")) {
    auto value = parse_bool("fdr", *text);
    if (!value) return error_response(value.error());
    params.fdr = *value;
  }
  if (const auto* text = parsed->params.get("all")) {
    auto value = parse_bool("all", *text);
    if (!value) return error_response(value.error());
    all = *value;
  }
  if (auto problem = params.validate()) return error_response(*problem);
  if (params.band < cell) {
    return error_response(make_error(
        ErrorCode::invalid_parameter,
        "Parameter 'band' (" + format_number(params.band) + ") is smaller than 'cell' (" +
            format_number(cell) + "): every cell would be its own only neighbour"));
  }
  parsed->own = {{"cell", format_number(cell)},
                 {"band", format_number(params.band)},
                 {"fdr", params.fdr ? "true" : "false"},
                 {"all", all ? "true" : "false"}};

  return cached(context, "hotspots/gistar", *parsed, [&]() -> Response {
    const data::Snapshot& s = *parsed->snapshot;
    const auto selection = analysis::select(*s.incidents, *s.town_centres, parsed->selection.params);
    std::vector<double> xs, ys;
    selected_points(*s.incidents, selection, xs, ys);
    auto grid = analysis::aligned_grid(study_extent(s), cell);
    if (!grid) {
      return error_response(make_error(ErrorCode::payload_too_large, grid.error().message));
    }
    const auto counts = analysis::bin_points(xs, ys, *grid);
    auto result = analysis::gistar_grid(counts.counts, *grid, params);
    if (!result) return error_response(result.error());
    auto transformer = to_wgs84();
    if (!transformer) return error_response(transformer.error());

    std::size_t written = 0;
    for (auto bin : result->bin) written += all || bin != 0;
    if (written > kMaxOutputCells) return error_response(too_many_cells(written));

    const auto& g = *grid;
    JsonWriter w;
    w.text().reserve(written * 300 + 4096);
    w.raw(R"({"type":"FeatureCollection","features":[)");
    bool first = true;
    for (std::int32_t iy = 0; iy < g.ny; ++iy) {
      for (std::int32_t ix = 0; ix < g.nx; ++ix) {
        const std::size_t i = static_cast<std::size_t>(iy) * g.nx + ix;
        if (!all && result->bin[i] == 0) continue;
        if (!first) w.raw(",");
        first = false;
        w.raw(R"({"type":"Feature","id":")").integer(ix).raw(",").integer(iy).raw("\"");
        w.raw(R"(,"geometry":)");
        write_cell_geometry(w, g, ix, iy, **transformer);
        w.raw(R"(,"properties":{"count":)").number(counts.counts[i], 0);
        w.raw(R"(,"z":)").number(result->z[i], 4);
        w.raw(R"(,"p":)").real(result->p[i]);
        w.raw(R"(,"bin":)").integer(result->bin[i]);
        w.raw("}}");
      }
    }
    nlohmann::json metadata = analysis_metadata(*parsed, "hotspots/gistar", kGiStarVersion, selection);
    metadata["grid"] = grid_json(g);
    metadata["mean"] = result->mean;
    metadata["sd"] = result->sd;
    metadata["note"] = result->note.empty() ? nlohmann::json(nullptr) : nlohmann::json(result->note);
    metadata["counts"]["cells"] = written;
    metadata["counts"]["grid_cells"] = g.size();
    metadata["counts"]["outside_grid"] = counts.outside;
    write_metadata(w, metadata);
    return geojson_response(w.take());
  });
}

}  // namespace hotspot::http
