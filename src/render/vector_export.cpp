#include "hotspot/render/vector_export.hpp"

#include "gdal_mem.hpp"
#include "vector_export_detail.hpp"

#include "hotspot/geo/crs.hpp"
#include "hotspot/render/json_writer.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>
#include <utility>
#include <vector>

namespace hotspot::render {
namespace {

using detail::DatasetHandle;
using detail::MemDir;

struct FormatInfo {
  ExportFormat format;
  std::string_view name;   // the API spelling
  std::string_view alias;  // also accepted
  std::string_view driver;
  std::string_view extension;  // of the file served
  std::string_view content_type;
  std::string_view crs;  // the default
};

// British National Grid for the formats analysts load into desktop GIS
// beside OS mapping; WGS84 where the format or its readers expect it.
constexpr std::array kFormats{
    FormatInfo{ExportFormat::geojson, "geojson", "", "GeoJSON", ".geojson", "application/geo+json",
               "EPSG:4326"},
    FormatInfo{ExportFormat::gpkg, "gpkg", "geopackage", "GPKG", ".gpkg",
               "application/geopackage+sqlite3", "EPSG:27700"},
    FormatInfo{ExportFormat::shapefile, "shp", "shapefile", "ESRI Shapefile", ".zip",
               "application/zip", "EPSG:27700"},
    // GDAL's own KML writer streams; LIBKML's grows with the square of the
    // features (10,000 incidents: 0.5 s against 4.6 minutes).
    FormatInfo{ExportFormat::kml, "kml", "", "KML", ".kml",
               "application/vnd.google-earth.kml+xml", "EPSG:4326"},
    FormatInfo{ExportFormat::csv, "csv", "", "CSV", ".csv", "text/csv; charset=utf-8", "EPSG:4326"},
    FormatInfo{ExportFormat::flatgeobuf, "fgb", "flatgeobuf", "FlatGeobuf", ".fgb",
               "application/octet-stream", "EPSG:27700"},
};

const FormatInfo& info(ExportFormat format) {
  for (const auto& f : kFormats) {
    if (f.format == format) return f;
  }
  return kFormats.front();  // unreachable while the table is complete
}

void register_drivers() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

std::string driver_for(const FormatInfo& format) { return std::string(format.driver); }

std::string last_gdal_error(std::string_view fallback) {
  const char* message = CPLGetLastErrorMsg();
  return (message && *message) ? std::string(message) : std::string(fallback);
}

std::string sanitise_name(std::string_view name, std::size_t max_length = 60) {
  std::string out;
  for (char c : name.substr(0, max_length)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    out += ok ? c : '_';
  }
  return out.empty() ? std::string("layer") : out;
}

// Only "EPSG:<code>" is taken: PROJ's user-input parser would also read
// files and URLs, which a request must never be able to name.
Expected<std::string> checked_crs(const FormatInfo& format, const std::string& requested) {
  const std::string crs = requested.empty() ? std::string(format.crs) : requested;
  const bool shape =
      crs.size() > 5 && crs.size() < 16 && crs.starts_with("EPSG:") &&
      std::all_of(crs.begin() + 5, crs.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!shape) {
    return make_error(ErrorCode::invalid_parameter,
                      "Target CRS '" + crs + "' is not of the form EPSG:<code>, e.g. EPSG:27700");
  }
  if (format.format == ExportFormat::kml && crs != "EPSG:4326") {
    return make_error(ErrorCode::invalid_parameter, "KML is always WGS84 (EPSG:4326), not " + crs);
  }
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  const OGRErr err = OSRSetFromUserInput(srs, crs.c_str());
  OSRDestroySpatialReference(srs);
  if (err != OGRERR_NONE) {
    return make_error(ErrorCode::projection_failed, "Unknown CRS " + crs);
  }
  return crs;
}

// Counts the features by geometry family; geometry collections are flagged
// because Shapefile has no type for them.
Expected<detail::LayerScan> scan(OGRLayerH layer, std::size_t max_features) {
  detail::LayerScan result;
  OGR_L_ResetReading(layer);
  while (OGRFeatureH feature = OGR_L_GetNextFeature(layer)) {
    OGRGeometryH geometry = OGR_F_GetGeometryRef(feature);
    const auto type = geometry ? wkbFlatten(OGR_G_GetGeometryType(geometry)) : wkbNone;
    OGR_F_Destroy(feature);
    if (++result.features > max_features) {
      return make_error(ErrorCode::payload_too_large,
                        "The export would hold more than " + std::to_string(max_features) +
                            " features; narrow the selection or lower 'limit'");
    }
    // A multi type counts with its family and marks the family as multi.
    struct Family {
      OGRwkbGeometryType single;
      std::size_t detail::LayerScan::*count;
      bool detail::LayerScan::*multi;
    };
    static constexpr Family kFamilies[] = {
        {wkbPoint, &detail::LayerScan::points, &detail::LayerScan::multi_points},
        {wkbLineString, &detail::LayerScan::lines, &detail::LayerScan::multi_lines},
        {wkbPolygon, &detail::LayerScan::polygons, &detail::LayerScan::multi_polygons},
    };
    bool counted = type == wkbNone;
    if (counted) ++result.no_geometry;
    for (const Family& f : kFamilies) {
      const bool multi = type == OGR_GT_GetCollection(f.single);
      if (counted || (type != f.single && !multi)) continue;
      ++(result.*f.count);
      result.*f.multi = result.*f.multi || multi;
      counted = true;
    }
    if (!counted) ++result.other;  // geometry collections
  }
  OGR_L_ResetReading(layer);
  return result;
}

}  // namespace

namespace detail {

Expected<DatasetHandle> translate(GDALDatasetH source, const std::string& destination,
                                  const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::unique_ptr<GDALVectorTranslateOptions, decltype(&GDALVectorTranslateOptionsFree)> options(
      GDALVectorTranslateOptionsNew(argv.data(), nullptr), GDALVectorTranslateOptionsFree);
  if (!options) {
    return make_error(ErrorCode::internal, "Bad export options: " + last_gdal_error("?"));
  }
  int usage_error = FALSE;
  DatasetHandle out(
      GDALVectorTranslate(destination.c_str(), nullptr, 1, &source, options.get(), &usage_error));
  if (!out) {
    return make_error(ErrorCode::internal,
                      "Export failed: " + last_gdal_error("the driver gave no reason"));
  }
  return out;
}

std::string sidecar_json(const std::string& layer, const std::string& description,
                         const std::string& crs, const std::vector<std::string>& files,
                         const std::vector<std::pair<std::string, std::string>>& field_names,
                         const std::string& metadata_json) {
  std::string out = "{\n  \"layer\": " + json_quote(layer);
  out += ",\n  \"description\": " + json_quote(description);
  out += ",\n  \"crs\": " + json_quote(crs);
  out += ",\n  \"files\": [";
  for (std::size_t i = 0; i < files.size(); ++i) out += (i ? ", " : "") + json_quote(files[i]);
  out += "],\n  \"field_names\": {";
  for (std::size_t i = 0; i < field_names.size(); ++i) {
    out += std::string(i ? "," : "") + "\n    " + json_quote(field_names[i].first) + ": " +
           json_quote(field_names[i].second);
  }
  out += field_names.empty() ? "}" : "\n  }";
  out += ",\n  \"notes\": " +
         json_quote(
             "Shapefile field names hold at most 10 characters: field_names maps each "
             "property of the GeoJSON answer to its .dbf column. Text values longer than "
             "254 bytes are cut to 254. Object and array properties are JSON text.");
  out += ",\n  \"metadata\": " + (metadata_json.empty() ? std::string("null") : metadata_json);
  return out + "\n}\n";
}

}  // namespace detail

std::string_view export_format_names() { return "geojson, gpkg, shp, kml, csv, fgb"; }

std::string_view export_format_name(ExportFormat format) { return info(format).name; }

Expected<ExportFormat> parse_export_format(std::string_view text) {
  for (const auto& f : kFormats) {
    if (text == f.name || (!f.alias.empty() && text == f.alias)) return f.format;
  }
  return make_error(ErrorCode::invalid_parameter, "Parameter 'format': '" + std::string(text) +
                                                      "' is not one of " +
                                                      std::string(export_format_names()));
}

std::string_view default_export_crs(ExportFormat format) { return info(format).crs; }

Expected<ExportedFile> export_features(const FeatureTable& table, ExportFormat format,
                                       const ExportOptions& options) {
  const FormatInfo& fmt = info(format);
  if (table.features.size() > options.max_features) {
    return make_error(ErrorCode::payload_too_large,
                      "The export would hold " + std::to_string(table.features.size()) +
                          " features, over the limit of " + std::to_string(options.max_features) +
                          "; narrow the selection or lower 'limit'");
  }
  register_drivers();
  detail::QuietErrors quiet;
  auto crs = checked_crs(fmt, options.target_crs);
  if (!crs) return crs.error();

  MemDir dir;
  auto source = detail::memory_layer(table);
  if (!source) return source.error();
  OGRLayerH layer = GDALDatasetGetLayer(source->get(), 0);
  auto counts = scan(layer, options.max_features);
  if (!counts) return counts.error();

  detail::ExportJob job{format,
                        driver_for(fmt),
                        sanitise_name(options.layer_name),
                        options.description.empty() ? options.layer_name : options.description,
                        options.metadata_json,
                        *crs,
                        std::string(geo::kWorkingCrs),
                        *counts};
  ExportedFile file;
  file.content_type = std::string(fmt.content_type);
  file.file_name = (options.file_stem.empty() ? job.name : sanitise_name(options.file_stem, 160)) +
                   std::string(fmt.extension);
  auto bytes = format == ExportFormat::shapefile
                   ? detail::write_shapefile_zip(source->get(), job, dir)
                   : detail::write_single_file(source->get(), job, dir);
  if (!bytes) return bytes.error();
  file.bytes = std::move(*bytes);
  return file;
}

}  // namespace hotspot::render
