// /api/hotspots/gistar: Getis-Ord Gi* on incident counts per grid cell or per
// ward, bins labelled as ArcGIS labels them.
#include "hotspot/http/handlers.hpp"

#include "hotspot/analysis/area_stats.hpp"
#include "hotspot/analysis/gistar.hpp"
#include "hotspot/analysis/grid.hpp"
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
#include <optional>
#include <string_view>
#include <vector>

namespace hotspot::http {
namespace {

// gistar/2: ward features and bin labels added; grid cells unchanged.
constexpr std::string_view kGiStarVersion = "gistar/2";
constexpr double kDefaultCell = 250;
constexpr double kDefaultGridBand = 750;

// The legend ArcGIS's Hot Spot Analysis draws, by Gi_Bin.
std::string_view bin_label(int bin) {
  switch (bin) {
    case 3: return "Hot Spot - 99% Confidence";
    case 2: return "Hot Spot - 95% Confidence";
    case 1: return "Hot Spot - 90% Confidence";
    case -1: return "Cold Spot - 90% Confidence";
    case -2: return "Cold Spot - 95% Confidence";
    case -3: return "Cold Spot - 99% Confidence";
    default: return "Not Significant";
  }
}

nlohmann::json bin_labels() {
  auto labels = nlohmann::json::object();
  for (int bin = 3; bin >= -3; --bin) labels[std::to_string(bin)] = bin_label(bin);
  return labels;
}

struct GiRequest {
  analysis::GiStarParams gi;
  bool wards = false;
  double cell = kDefaultCell;     // grid only
  std::optional<double> band;     // absent: the default of the chosen features
  bool all = false;
};

Expected<GiRequest> parse_gistar(const Params& params) {
  GiRequest out;
  if (const auto* text = params.get("on")) {
    if (*text != "grid" && *text != "wards") {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'on': '" + *text + "' is not grid or wards");
    }
    out.wards = *text == "wards";
  }
  if (const auto* text = params.get("cell")) {
    if (out.wards) {
      return make_error(ErrorCode::invalid_parameter, "Parameter 'cell' applies only with on=grid");
    }
    auto value = parse_double("cell", *text, 10, 5000);
    if (!value) return value.error();
    out.cell = *value;
  }
  if (const auto* text = params.get("band")) {
    auto value = parse_double("band", *text, 0, analysis::GiStarParams::kMaxBand);
    if (!value) return value.error();
    out.band = *value;
  }
  if (const auto* text = params.get("fdr")) {
    auto value = parse_bool("fdr", *text);
    if (!value) return value.error();
    out.gi.fdr = *value;
  }
  if (const auto* text = params.get("all")) {
    auto value = parse_bool("all", *text);
    if (!value) return value.error();
    out.all = *value;
  }
  if (!out.wards) {
    out.gi.band = out.band.value_or(kDefaultGridBand);
    if (out.gi.band < out.cell) {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'band' (" + format_number(out.gi.band) +
                            ") is smaller than 'cell' (" + format_number(out.cell) +
                            "): every cell would be its own only neighbour");
    }
  } else if (out.band) {
    out.gi.band = *out.band;
  }
  if (auto problem = out.gi.validate()) return *problem;
  return out;
}

void write_stats(JsonWriter& w, double count, const analysis::GiStarResult& r, std::size_t i) {
  w.raw(R"("count":)").number(count, 0);
  w.raw(R"(,"z":)").number(r.z[i], 4);
  w.raw(R"(,"p":)").real(r.p[i]);
  w.raw(R"(,"bin":)").integer(r.bin[i]);
  w.raw(R"(,"label":)").string(bin_label(r.bin[i]));
}

void add_result_metadata(nlohmann::json& metadata, const analysis::GiStarResult& r) {
  metadata["mean"] = r.mean;
  metadata["sd"] = r.sd;
  metadata["note"] = r.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.note);
  metadata["bins"] = bin_labels();
}

Response gistar_on_grid(const AnalysisRequest& parsed, const GiRequest& req) {
  const data::Snapshot& s = *parsed.snapshot;
  const auto selection = analysis::select(*s.incidents, *s.town_centres, parsed.selection.params);
  std::vector<double> xs, ys;
  selected_points(*s.incidents, selection, xs, ys);
  auto grid = analysis::aligned_grid(study_extent(s), req.cell);
  if (!grid) return error_response(make_error(ErrorCode::payload_too_large, grid.error().message));
  const auto counts = analysis::bin_points(xs, ys, *grid);
  auto result = analysis::gistar_grid(counts.counts, *grid, req.gi);
  if (!result) return error_response(result.error());
  auto transformer = to_wgs84();
  if (!transformer) return error_response(transformer.error());

  std::size_t written = 0;
  for (auto bin : result->bin) written += req.all || bin != 0;
  if (written > kMaxOutputCells) return error_response(too_many_cells(written));

  const auto& g = *grid;
  JsonWriter w;
  w.text().reserve(written * 320 + 4096);
  begin_feature_collection(w);
  bool first = true;
  for (std::int32_t iy = 0; iy < g.ny; ++iy) {
    for (std::int32_t ix = 0; ix < g.nx; ++ix) {
      const std::size_t i = static_cast<std::size_t>(iy) * g.nx + ix;
      if (!req.all && result->bin[i] == 0) continue;
      if (!first) w.raw(",");
      first = false;
      w.raw(R"({"type":"Feature","id":")").integer(ix).raw(",").integer(iy).raw("\"");
      w.raw(R"(,"geometry":)");
      write_cell_geometry(w, g, ix, iy, **transformer);
      w.raw(R"(,"properties":{)");
      write_stats(w, counts.counts[i], *result, i);
      w.raw("}}");
    }
  }
  nlohmann::json metadata = analysis_metadata(parsed, "hotspots/gistar", kGiStarVersion, selection);
  metadata["grid"] = grid_json(g);
  add_result_metadata(metadata, *result);
  metadata["counts"]["cells"] = written;
  metadata["counts"]["grid_cells"] = g.size();
  metadata["counts"]["outside_grid"] = counts.outside;
  end_feature_collection(w, metadata);
  return geojson_response(w.take());
}

// The smallest band giving every point at least one neighbour besides
// itself: the largest nearest-neighbour distance (ArcGIS's default band).
double default_band(const std::vector<double>& xs, const std::vector<double>& ys) {
  double band = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    double nearest = INFINITY;
    for (std::size_t j = 0; j < xs.size(); ++j) {
      if (j != i) nearest = std::min(nearest, std::hypot(xs[i] - xs[j], ys[i] - ys[j]));
    }
    if (std::isfinite(nearest)) band = std::max(band, nearest);
  }
  return band;
}

Response gistar_on_wards(AnalysisRequest& parsed, GiRequest req) {
  const data::Snapshot& s = *parsed.snapshot;
  const data::BoundaryLayer& wards = *s.wards;
  if (wards.size() < 2) {
    return error_response(make_error(ErrorCode::invalid_parameter,
                                     "Parameter 'on': wards needs at least two wards loaded"));
  }
  // Bounded before the O(n^2) default band and statistic.
  if (wards.size() > analysis::GiStarParams::kMaxFeatures) {
    return error_response(make_error(
        ErrorCode::payload_too_large,
        "Parameter 'on': " + std::to_string(wards.size()) + " wards are loaded, over the limit of " +
            std::to_string(analysis::GiStarParams::kMaxFeatures) + " for on=wards; use on=grid"));
  }
  std::vector<double> cx(wards.size()), cy(wards.size());
  for (std::size_t i = 0; i < wards.size(); ++i) {
    const geo::Point c = area_centroid(geo::polygon_rings(wards.geometries[i].get()), wards.envelopes[i]);
    cx[i] = c.x;
    cy[i] = c.y;
  }
  if (!req.band) {
    // Rounded up to the metre so the echoed value reproduces the answer.
    req.gi.band = std::min(std::ceil(default_band(cx, cy)), analysis::GiStarParams::kMaxBand);
  }
  const auto selection = analysis::select(*s.incidents, *s.town_centres, parsed.selection.params);
  const auto stats = analysis::ward_stats(*s.incidents, selection, wards);
  std::vector<double> counts(wards.size(), 0);
  for (const auto& area : stats.areas) {
    if (area.area >= 0 && static_cast<std::size_t>(area.area) < counts.size()) {
      counts[static_cast<std::size_t>(area.area)] = static_cast<double>(area.total);
    }
  }
  auto result = analysis::gistar_features(counts, cx, cy, req.gi);
  if (!result) return error_response(result.error());
  auto transformer = to_wgs84();
  if (!transformer) return error_response(transformer.error());

  JsonWriter w;
  begin_feature_collection(w);
  std::size_t written = 0;
  for (std::size_t i = 0; i < wards.size(); ++i) {
    if (!req.all && result->bin[i] == 0) continue;
    if (written++) w.raw(",");
    w.raw(R"({"type":"Feature","id":)").string(wards.ids[i]);
    w.raw(R"(,"geometry":)");
    write_polygon_geometry(w, wards.lonlat[i]);
    w.raw(R"(,"properties":{"id":)").string(wards.ids[i]);
    w.raw(R"(,"name":)").string(wards.names[i]).raw(",");
    write_stats(w, counts[i], *result, i);
    const geo::Point c = (*transformer)->transform(geo::Point{cx[i], cy[i]});
    w.raw(R"(,"centroid":)").lonlat(c.x, c.y);
    w.raw("}}");
  }
  nlohmann::json metadata = analysis_metadata(parsed, "hotspots/gistar", kGiStarVersion, selection);
  metadata["parameters"]["band"] = format_number(req.gi.band);
  metadata["band_default"] = !req.band.has_value();
  add_result_metadata(metadata, *result);
  metadata["counts"]["wards"] = written;
  metadata["counts"]["ward_features"] = wards.size();
  metadata["counts"]["outside_wards"] = stats.outside;
  end_feature_collection(w, metadata);
  return geojson_response(w.take());
}

}  // namespace

Response handle_gistar(const Request& request, const Context& context) {
  auto parsed =
      parse_analysis_request(request, context, {"on", "cell", "band", "fdr", "all"});
  if (!parsed) return error_response(parsed.error());
  auto req = parse_gistar(parsed->params);
  if (!req) return error_response(req.error());
  // On wards without a band the default depends on the ward layer, which the
  // snapshot version in the cache key already covers.
  parsed->own = {{"on", req->wards ? "wards" : "grid"},
                 {"cell", req->wards ? "" : format_number(req->cell)},
                 {"band", req->band || !req->wards ? format_number(req->gi.band) : ""},
                 {"fdr", req->gi.fdr ? "true" : "false"},
                 {"all", req->all ? "true" : "false"}};

  return cached(context, "hotspots/gistar", *parsed, [&]() -> Response {
    return req->wards ? gistar_on_wards(*parsed, *req) : gistar_on_grid(*parsed, *req);
  });
}

}  // namespace hotspot::http
