#include "hotspot/analysis/contours.hpp"

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_api.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hotspot::analysis {
namespace {

struct DatasetCloser {
  void operator()(void* ds) const {
    if (ds != nullptr) GDALClose(static_cast<GDALDatasetH>(ds));
  }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

struct FeatureDestroyer {
  void operator()(void* f) const { OGR_F_Destroy(static_cast<OGRFeatureH>(f)); }
};
using Feature = std::unique_ptr<void, FeatureDestroyer>;

struct OptionsDestroyer {
  void operator()(char** list) const { CSLDestroy(list); }
};
using Options = std::unique_ptr<char*, OptionsDestroyer>;

void register_drivers() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

geo::Ring ring_of(OGRGeometryH ring) {
  geo::Ring out;
  const int n = OGR_G_GetPointCount(ring);
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back({OGR_G_GetX(ring, i), OGR_G_GetY(ring, i)});
  return out;
}

void collect_polygons(OGRGeometryH g, geo::MultiPolygonRings& out) {
  if (g == nullptr) return;
  const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
  if (type == wkbPolygon) {
    geo::PolygonRings rings;
    for (int r = 0; r < OGR_G_GetGeometryCount(g); ++r) {
      geo::Ring ring = ring_of(OGR_G_GetGeometryRef(g, r));
      if (ring.size() >= 4) rings.push_back(std::move(ring));
    }
    if (!rings.empty()) out.push_back(std::move(rings));
  } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
    for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i) collect_polygons(OGR_G_GetGeometryRef(g, i), out);
  }
}

std::string format_level(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

// GDAL's progress callback: returning FALSE stops the tracing.
int CPL_STDCALL continue_until(double, const char*, void* deadline) {
  return static_cast<const Deadline*>(deadline)->expired() ? FALSE : TRUE;
}

}  // namespace

Expected<std::vector<ContourBand>> contour_bands(std::span<const double> values,
                                                 const GridGeometry& grid,
                                                 std::span<const double> levels,
                                                 const Deadline& deadline) {
  if (values.size() != grid.size() || grid.nx <= 0 || grid.ny <= 0) {
    return make_error(ErrorCode::invalid_parameter, "grid values do not match the grid size");
  }
  if (levels.empty() || levels.size() > kMaxContourLevels) {
    return make_error(ErrorCode::invalid_parameter, "give between 1 and 50 contour levels");
  }
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (!std::isfinite(levels[i]) || (i > 0 && levels[i] <= levels[i - 1])) {
      return make_error(ErrorCode::invalid_parameter,
                        "contour levels must be finite numbers in ascending order");
    }
  }
  const double grid_max = *std::max_element(values.begin(), values.end());
  register_drivers();
  GDALDriverH raster_driver = GDALGetDriverByName("MEM");
  GDALDriverH vector_driver = GDALGetDriverByName("Memory");
  if (raster_driver == nullptr || vector_driver == nullptr) {
    return make_error(ErrorCode::internal, "GDAL's in-memory drivers are not available");
  }
  Dataset raster(GDALCreate(raster_driver, "", grid.nx, grid.ny, 1, GDT_Float64, nullptr));
  if (!raster) return make_error(ErrorCode::internal, "could not create the contour raster");
  // North up: raster row 0 is the grid's top (northernmost) row.
  double transform[6] = {grid.origin_x, grid.cell, 0, grid.origin_y + grid.ny * grid.cell, 0,
                         -grid.cell};
  GDALSetGeoTransform(raster.get(), transform);
  GDALRasterBandH band = GDALGetRasterBand(raster.get(), 1);
  for (std::int32_t row = 0; row < grid.ny; ++row) {
    const double* line = values.data() + std::size_t(grid.ny - 1 - row) * std::size_t(grid.nx);
    if (GDALRasterIO(band, GF_Write, 0, row, grid.nx, 1, const_cast<double*>(line), grid.nx, 1,
                     GDT_Float64, 0, 0) != CE_None) {
      return make_error(ErrorCode::internal, "could not fill the contour raster");
    }
  }

  Dataset vectors(GDALCreate(vector_driver, "", 0, 0, 0, GDT_Unknown, nullptr));
  if (!vectors) return make_error(ErrorCode::internal, "could not create the contour layer");
  OGRLayerH layer = GDALDatasetCreateLayer(vectors.get(), "contours", nullptr, wkbMultiPolygon, nullptr);
  if (layer == nullptr) return make_error(ErrorCode::internal, "could not create the contour layer");
  for (const char* name : {"id", "min", "max"}) {
    OGRFieldDefnH field = OGR_Fld_Create(name, std::string(name) == "id" ? OFTInteger : OFTReal);
    OGR_L_CreateField(layer, field, TRUE);
    OGR_Fld_Destroy(field);
  }
  std::string fixed = "FIXED_LEVELS=";
  for (std::size_t i = 0; i < levels.size(); ++i) fixed += (i ? "," : "") + format_level(levels[i]);
  Options options(CSLAddString(nullptr, fixed.c_str()));
  for (const char* option : {"ID_FIELD=0", "ELEV_FIELD_MIN=1", "ELEV_FIELD_MAX=2", "POLYGONIZE=YES"}) {
    options.reset(CSLAddString(options.release(), option));
  }
  const CPLErr traced = GDALContourGenerateEx(band, layer, options.get(), continue_until,
                                               const_cast<Deadline*>(&deadline));
  if (deadline.expired()) return deadline_error();
  if (traced != CE_None) {
    return make_error(ErrorCode::internal, "GDAL could not trace the contours");
  }

  std::vector<ContourBand> bands;
  OGR_L_ResetReading(layer);
  for (Feature f(OGR_L_GetNextFeature(layer)); f; f.reset(OGR_L_GetNextFeature(layer))) {
    auto* feature = static_cast<OGRFeatureH>(f.get());
    const double low = OGR_F_GetFieldAsDouble(feature, 1);
    const double high = OGR_F_GetFieldAsDouble(feature, 2);
    // The band below the first level is the background, not a contour.
    if (low < levels.front()) continue;
    // GDAL closes the top band with a sentinel far above the data; the band
    // really ends at the grid maximum, as the header promises.
    ContourBand b{low, std::min(high, grid_max), {}};
    collect_polygons(OGR_F_GetGeometryRef(feature), b.polygons);
    if (!b.polygons.empty()) bands.push_back(std::move(b));
  }
  std::sort(bands.begin(), bands.end(),
            [](const ContourBand& a, const ContourBand& b) { return a.min_level < b.min_level; });
  return bands;
}

Expected<std::vector<double>> quantile_levels(std::span<const double> values,
                                              std::span<const double> quantiles) {
  if (quantiles.empty() || quantiles.size() > kMaxContourLevels) {
    return make_error(ErrorCode::invalid_parameter, "give between 1 and 50 quantiles");
  }
  for (double q : quantiles) {
    if (!(q > 0 && q < 1)) {
      return make_error(ErrorCode::invalid_parameter, "quantiles must lie between 0 and 1");
    }
  }
  std::vector<double> positive;
  for (double v : values) {
    if (v > 0 && std::isfinite(v)) positive.push_back(v);
  }
  std::vector<double> levels;
  if (positive.empty()) return levels;
  std::sort(positive.begin(), positive.end());
  for (double q : quantiles) {
    // Linear interpolation between order statistics (numpy's default).
    const double pos = q * static_cast<double>(positive.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, positive.size() - 1);
    levels.push_back(positive[lo] + (pos - static_cast<double>(lo)) * (positive[hi] - positive[lo]));
  }
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  return levels;
}

std::size_t contour_patches(std::span<const double> values, const GridGeometry& grid,
                            std::span<const double> levels) {
  if (grid.nx <= 0 || grid.ny <= 0 || values.size() != grid.size()) return 0;
  const auto nx = static_cast<std::size_t>(grid.nx);
  // Union-find over the cells above the level, row by row.
  std::vector<std::uint32_t> parent(values.size());
  const auto find = [&](std::uint32_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::size_t patches = 0;
  for (double level : levels) {
    std::size_t groups = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!(values[i] >= level)) continue;
      parent[i] = static_cast<std::uint32_t>(i);
      ++groups;
      const std::size_t ix = i % nx, iy = i / nx;
      // Neighbours met earlier in the scan: west, and the three below.
      const std::size_t neighbours[4] = {ix > 0 ? i - 1 : i,
                                         iy > 0 && ix > 0 ? i - nx - 1 : i,
                                         iy > 0 ? i - nx : i,
                                         iy > 0 && ix + 1 < nx ? i - nx + 1 : i};
      for (std::size_t j : neighbours) {
        if (j == i || !(values[j] >= level)) continue;
        const std::uint32_t a = find(static_cast<std::uint32_t>(i)), b = find(static_cast<std::uint32_t>(j));
        if (a != b) {
          parent[a] = b;
          --groups;
        }
      }
    }
    patches += groups;
  }
  return patches;
}

std::size_t contour_crossings(std::span<const double> values, const GridGeometry& grid,
                              std::span<const double> levels) {
  if (grid.nx <= 0 || grid.ny <= 0 || values.size() != grid.size()) return 0;
  const auto nx = static_cast<std::size_t>(grid.nx), ny = static_cast<std::size_t>(grid.ny);
  std::size_t crossings = 0;
  const auto straddles = [](double a, double b, double level) {
    return (a >= level) != (b >= level);
  };
  for (double level : levels) {
    for (std::size_t iy = 0; iy < ny; ++iy) {
      const double* row = values.data() + iy * nx;
      for (std::size_t ix = 0; ix + 1 < nx; ++ix) crossings += straddles(row[ix], row[ix + 1], level);
      if (iy + 1 == ny) continue;
      const double* up = row + nx;
      for (std::size_t ix = 0; ix < nx; ++ix) crossings += straddles(row[ix], up[ix], level);
    }
  }
  return crossings;
}

}  // namespace hotspot::analysis
