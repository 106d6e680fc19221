// /api/hotspots/kde and /api/hotspots/gistar: grid cells, contour bands and
// wards with their statistics.
#include "hotspot/render/answers.hpp"

#include "answer_parts.hpp"
#include "hotspot/geo/measure.hpp"
#include "hotspot/render/json_writer.hpp"
#include "hotspot/render/metadata.hpp"

#include <string>

namespace hotspot::render {
namespace {

// Cell (ix, iy) as a polygon, counter-clockwise (kept so by the projection).
Geometry cell_geometry(const analysis::GridGeometry& g, std::int32_t ix, std::int32_t iy) {
  const double x0 = g.origin_x + ix * g.cell, y0 = g.origin_y + iy * g.cell;
  const double x1 = x0 + g.cell, y1 = y0 + g.cell;
  return Geometry::of_polygons({{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}});
}

std::string cell_id(std::int32_t ix, std::int32_t iy) {
  return std::to_string(ix) + "," + std::to_string(iy);
}

nlohmann::json grid_of(const analysis::GridGeometry& g) {
  return detail::grid_json(g.origin_x, g.origin_y, g.cell, g.nx, g.ny);
}

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

void add_stats_fields(FeatureTable& t) {
  t.add_count("count", FieldType::real, 0);
  // Public mode: z and p coarsened, so that all cells' exact statistics
  // cannot be solved back for exact counts.
  t.fields[t.add_field("z", FieldType::real, 4)].public_decimals = 1;
  t.fields[t.add_field("p", FieldType::real)].public_decimals = 2;
  t.add_field("bin", FieldType::integer);
  t.add_field("label", FieldType::text);
}

void add_stats_values(std::vector<Value>& values, const engine::GiStarResult& r, std::size_t i) {
  values.insert(values.end(), {r.counts[i], r.stats.z[i], r.stats.p[i],
                               std::int64_t{r.stats.bin[i]}, std::string(bin_label(r.stats.bin[i]))});
}

FeatureTable kde_cells(const engine::KdeResult& r) {
  FeatureTable t;
  t.name = "hotspots_kde";
  t.add_field("density", FieldType::real, 3);
  t.add_field("relative", FieldType::real, 4);
  const double peak = r.surface.max_density;
  for (const engine::KdeCell& c : r.cells) {
    t.features.push_back({cell_id(c.ix, c.iy), cell_geometry(r.surface.grid, c.ix, c.iy),
                          {c.density, peak > 0 ? c.density / peak : 0.0}});
  }
  return t;
}

FeatureTable kde_bands(const engine::KdeResult& r) {
  FeatureTable t;
  t.name = "hotspots_kde";
  t.add_field("band", FieldType::integer);
  t.add_field("min_density", FieldType::real);
  t.add_field("max_density", FieldType::real);
  t.add_field("relative", FieldType::real, 4);
  t.add_field("area_km2", FieldType::real, 6);
  const double peak = r.surface.max_density;
  for (std::size_t b = 0; b < r.bands.size(); ++b) {
    const auto& band = r.bands[b];
    t.features.push_back({"band-" + std::to_string(b), Geometry::of_polygons(band.polygons),
                          {static_cast<std::int64_t>(b), band.min_level, band.max_level,
                           peak > 0 ? band.min_level / peak : 0.0,
                           geo::polygons_area(band.polygons) / 1e6}});
  }
  return t;
}

}  // namespace

FeatureAnswer kde_answer(const data::Snapshot& snapshot, const engine::KdeParams& params,
                         const engine::KdeResult& result) {
  FeatureAnswer answer{params.contours ? kde_bands(result) : kde_cells(result), {}, std::nullopt};
  nlohmann::json& m = answer.metadata;
  m = analysis_metadata(snapshot, "hotspots/kde", kKdeVersion, params.canonical(),
                        result.selection);
  m["units"] = "incidents per km2";
  m["max_density"] = result.surface.max_density;
  m["grid"] = grid_of(result.surface.grid);
  m["counts"]["points_outside_grid"] = result.surface.points_outside_grid;
  if (params.selection.disclosure.public_mode) m["counts"]["withheld"] = result.withheld_cells;
  if (params.contours) {
    m["levels"] = result.levels;
    m["counts"]["bands"] = result.bands.size();
  } else {
    m["counts"]["cells"] = result.cells.size();
  }
  return answer;
}

FeatureAnswer gistar_answer(const data::Snapshot& snapshot, const engine::GiStarParams& params,
                            const engine::GiStarResult& r) {
  FeatureAnswer answer;
  FeatureTable& t = answer.table;
  const data::BoundaryLayer& wards = *snapshot.wards;
  if (r.on_wards) {
    t = detail::area_table("hotspots_gistar");
    add_stats_fields(t);
    t.add_field("centroid", FieldType::json);
    for (std::size_t i : r.features) {
      Feature f = detail::area_feature(wards, i);
      add_stats_values(f.values, r, i);
      f.values.emplace_back(detail::lonlat_text(r.centroids[i]));
      t.features.push_back(std::move(f));
    }
  } else {
    t.name = "hotspots_gistar";
    add_stats_fields(t);
    for (std::size_t i : r.features) {
      const auto ix = static_cast<std::int32_t>(i % static_cast<std::size_t>(r.grid.nx));
      const auto iy = static_cast<std::int32_t>(i / static_cast<std::size_t>(r.grid.nx));
      Feature f{cell_id(ix, iy), cell_geometry(r.grid, ix, iy), {}};
      add_stats_values(f.values, r, i);
      t.features.push_back(std::move(f));
    }
  }
  nlohmann::json& m = answer.metadata;
  engine::Canonical canonical = params.canonical();
  // The band the answer used, also when the server chose it.
  for (auto& [name, value] : canonical) {
    if (name == "band") value = engine::format_number(r.band);
  }
  m = analysis_metadata(snapshot, "hotspots/gistar", kGiStarVersion, canonical, r.selection);
  m["mean"] = r.stats.mean;
  m["sd"] = r.stats.sd;
  m["note"] = r.stats.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.stats.note);
  auto labels = nlohmann::json::object();
  for (int bin = 3; bin >= -3; --bin) labels[std::to_string(bin)] = bin_label(bin);
  m["bins"] = std::move(labels);
  if (params.selection.disclosure.public_mode) m["counts"]["withheld"] = r.withheld;
  if (r.on_wards) {
    m["band_default"] = r.band_default;
    m["counts"]["wards"] = r.features.size();
    m["counts"]["ward_features"] = wards.size();
    m["counts"]["outside_wards"] = r.outside;
  } else {
    m["grid"] = grid_of(r.grid);
    m["counts"]["cells"] = r.features.size();
    m["counts"]["grid_cells"] = r.grid.size();
    m["counts"]["outside_grid"] = r.outside;
  }
  return answer;
}

}  // namespace hotspot::render
