// /api/hotspots/kde: quartic kernel density as grid cells the map can shade,
// or as filled contour bands (GDAL's contour generator) at fixed or quantile
// levels. Densities are incidents per km² throughout.
#include "hotspot/http/handlers.hpp"

#include "hotspot/analysis/contours.hpp"
#include "hotspot/analysis/grid.hpp"
#include "hotspot/analysis/kde.hpp"
#include "hotspot/http/analysis_support.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/hotspot_support.hpp"
#include "hotspot/http/json_writer.hpp"
#include "hotspot/http/metadata.hpp"
#include "hotspot/http/projection.hpp"
#include "hotspot/http/shapes.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

namespace hotspot::http {
namespace {

// kde-quartic/2: contour output added; grid cells unchanged.
constexpr std::string_view kKdeVersion = "kde-quartic/2";
constexpr double kDefaultThreshold = 0.05;
// Bands from the median of the non-zero cells up to the top one per cent.
constexpr double kDefaultQuantiles[] = {0.5, 0.75, 0.9, 0.95, 0.99};

struct KdeRequest {
  analysis::KdeParams kde;
  bool contours = false;
  double threshold = kDefaultThreshold;   // grid output only
  std::vector<double> levels;             // contours: fixed levels ...
  std::vector<double> quantiles;          // ... or quantiles of the non-zero cells
};

std::string join(const std::vector<double>& values) {
  std::string text;
  for (double v : values) text += (text.empty() ? "" : ",") + format_number(v);
  return text;
}

Expected<std::vector<double>> parse_numbers(std::string_view name, const std::string& text,
                                            double min, double max) {
  auto items = parse_list(name, text);
  if (!items) return items.error();
  if (items->size() > analysis::kMaxContourLevels) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter '" + std::string(name) + "': at most " +
                          std::to_string(analysis::kMaxContourLevels) + " values");
  }
  std::vector<double> values;
  for (auto item : *items) {
    auto v = parse_double(name, item, min, max);
    if (!v) return v.error();
    if (!values.empty() && !(*v > values.back())) {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter '" + std::string(name) + "': values must be strictly ascending");
    }
    values.push_back(*v);
  }
  return values;
}

Expected<KdeRequest> parse_kde(const Params& params) {
  KdeRequest out;
  if (const auto* text = params.get("cell")) {
    auto cell = parse_double("cell", *text, 10, 5000);
    if (!cell) return cell.error();
    out.kde.cell_size = *cell;
  }
  if (const auto* text = params.get("bandwidth")) {
    auto h = parse_double("bandwidth", *text, 10, analysis::KdeParams::kMaxBandwidth);
    if (!h) return h.error();
    out.kde.bandwidth = *h;
  }
  if (const auto* text = params.get("output")) {
    if (*text != "grid" && *text != "contours") {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'output': '" + *text + "' is not grid or contours");
    }
    out.contours = *text == "contours";
  }
  const auto only_with = [&](std::string_view name, bool allowed, std::string_view output) {
    return allowed || !params.has(name)
               ? std::optional<Error>()
               : make_error(ErrorCode::invalid_parameter,
                            "Parameter '" + std::string(name) + "' applies only with output=" +
                                std::string(output));
  };
  if (auto e = only_with("threshold", !out.contours, "grid")) return *e;
  if (auto e = only_with("levels", out.contours, "contours")) return *e;
  if (auto e = only_with("quantiles", out.contours, "contours")) return *e;
  if (params.has("levels") && params.has("quantiles")) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'quantiles': give either 'levels' or 'quantiles', not both");
  }
  if (const auto* text = params.get("threshold")) {
    auto value = parse_double("threshold", *text, 0, 1);
    if (!value) return value.error();
    out.threshold = *value;
  }
  if (const auto* text = params.get("levels")) {
    auto levels = parse_numbers("levels", *text, 0, 1e9);
    if (!levels) return levels.error();
    if (levels->front() <= 0) {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'levels': levels must be greater than 0 (incidents per km2)");
    }
    out.levels = std::move(*levels);
  }
  if (const auto* text = params.get("quantiles")) {
    auto quantiles = parse_numbers("quantiles", *text, 0, 1);
    if (!quantiles) return quantiles.error();
    if (quantiles->front() <= 0 || quantiles->back() >= 1) {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'quantiles': each must lie strictly between 0 and 1");
    }
    out.quantiles = std::move(*quantiles);
  }
  if (out.contours && out.levels.empty() && out.quantiles.empty()) {
    out.quantiles.assign(std::begin(kDefaultQuantiles), std::end(kDefaultQuantiles));
  }
  if (auto problem = out.kde.validate()) return *problem;
  return out;
}

double polygons_area(const geo::MultiPolygonRings& parts) {
  double area = 0;
  for (const auto& polygon : parts) {
    for (std::size_t r = 0; r < polygon.size(); ++r) {
      const double a = std::abs(geo::signed_area(polygon[r]));
      area += r == 0 ? a : -a;
    }
  }
  return area;
}

Response render_grid(const KdeRequest& req, const analysis::KdeResult& result,
                     const geo::Transformer& to_lonlat, nlohmann::json metadata) {
  const double cutoff = req.threshold * result.max_density;
  std::size_t written = 0;
  for (double d : result.density) written += d > 0 && d >= cutoff;
  if (written > kMaxOutputCells) return error_response(too_many_cells(written));

  const auto& g = result.grid;
  JsonWriter w;
  w.text().reserve(written * 260 + 4096);
  begin_feature_collection(w);
  bool first = true;
  for (std::int32_t iy = 0; iy < g.ny; ++iy) {
    for (std::int32_t ix = 0; ix < g.nx; ++ix) {
      const double d = result.density[static_cast<std::size_t>(iy) * g.nx + ix];
      if (!(d > 0 && d >= cutoff)) continue;
      if (!first) w.raw(",");
      first = false;
      w.raw(R"({"type":"Feature","id":")").integer(ix).raw(",").integer(iy).raw("\"");
      w.raw(R"(,"geometry":)");
      write_cell_geometry(w, g, ix, iy, to_lonlat);
      w.raw(R"(,"properties":{"density":)").number(d, 3);
      w.raw(R"(,"relative":)").number(result.max_density > 0 ? d / result.max_density : 0, 4);
      w.raw("}}");
    }
  }
  metadata["counts"]["cells"] = written;
  end_feature_collection(w, metadata);
  return geojson_response(w.take());
}

Response render_contours(const KdeRequest& req, const analysis::KdeResult& result,
                         const geo::Transformer& to_lonlat, nlohmann::json metadata) {
  std::vector<double> levels = req.levels;
  if (levels.empty()) {
    auto at = analysis::quantile_levels(result.density, req.quantiles);
    if (!at) return error_response(at.error());
    levels = std::move(*at);
  }
  std::vector<analysis::ContourBand> bands;
  // No positive density (nothing selected) or every level above the peak: no bands.
  if (!levels.empty() && levels.front() < result.max_density) {
    auto traced = analysis::contour_bands(result.density, result.grid, levels);
    if (!traced) return error_response(traced.error());
    bands = std::move(*traced);
  }
  JsonWriter w;
  begin_feature_collection(w);
  for (std::size_t b = 0; b < bands.size(); ++b) {
    const auto& band = bands[b];
    if (b) w.raw(",");
    w.raw(R"({"type":"Feature","id":)").string("band-" + std::to_string(b));
    w.raw(R"(,"geometry":)");
    write_rings_geometry(w, band.polygons, to_lonlat);
    w.raw(R"(,"properties":{"band":)").integer(static_cast<std::int64_t>(b));
    w.raw(R"(,"min_density":)").real(band.min_level);
    w.raw(R"(,"max_density":)").real(band.max_level);
    w.raw(R"(,"relative":)")
        .number(result.max_density > 0 ? band.min_level / result.max_density : 0, 4);
    w.raw(R"(,"area_km2":)").number(polygons_area(band.polygons) / 1e6, 6);
    w.raw("}}");
  }
  metadata["levels"] = levels;
  metadata["counts"]["bands"] = bands.size();
  end_feature_collection(w, metadata);
  return geojson_response(w.take());
}

}  // namespace

Response handle_kde(const Request& request, const Context& context) {
  auto parsed = parse_analysis_request(
      request, context, {"cell", "bandwidth", "output", "threshold", "levels", "quantiles"});
  if (!parsed) return error_response(parsed.error());
  auto req = parse_kde(parsed->params);
  if (!req) return error_response(req.error());
  parsed->own = {{"cell", format_number(req->kde.cell_size)},
                 {"bandwidth", format_number(req->kde.bandwidth)},
                 {"output", req->contours ? "contours" : "grid"},
                 {"threshold", req->contours ? "" : format_number(req->threshold)},
                 {"levels", join(req->levels)},
                 {"quantiles", join(req->quantiles)}};

  return cached(context, "hotspots/kde", *parsed, [&]() -> Response {
    const data::Snapshot& s = *parsed->snapshot;
    const auto selection = analysis::select(*s.incidents, *s.town_centres, parsed->selection.params);
    std::vector<double> xs, ys;
    selected_points(*s.incidents, selection, xs, ys);
    auto grid = analysis::aligned_grid(study_extent(s), req->kde.cell_size);
    if (!grid) {
      return error_response(make_error(ErrorCode::payload_too_large, grid.error().message));
    }
    auto result = analysis::kernel_density(xs, ys, *grid, req->kde);
    if (!result) return error_response(result.error());
    auto transformer = to_wgs84();
    if (!transformer) return error_response(transformer.error());

    nlohmann::json metadata = analysis_metadata(*parsed, "hotspots/kde", kKdeVersion, selection);
    metadata["units"] = "incidents per km2";
    metadata["max_density"] = result->max_density;
    metadata["grid"] = grid_json(result->grid);
    metadata["counts"]["points_outside_grid"] = result->points_outside_grid;
    return req->contours ? render_contours(*req, *result, **transformer, std::move(metadata))
                         : render_grid(*req, *result, **transformer, std::move(metadata));
  });
}

}  // namespace hotspot::http
