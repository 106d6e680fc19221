#pragma once
// Writes an answer's features into the files desktop GIS users open:
// GeoPackage, zipped Shapefile, KML, CSV, FlatGeobuf (and GeoJSON in another
// CRS), by GDAL's own drivers, so QGIS and ArcGIS read them as they read
// GDAL's output everywhere else. Coordinates come straight from the engine
// in EPSG:27700: formats in that CRS hold them exactly. The answer's metadata
// (parameters, sources, counts) travels inside the file where the format
// has room for it.

#include "hotspot/common/error.hpp"
#include "hotspot/render/features.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace hotspot::render {

enum class ExportFormat {
  geojson,     // RFC 7946, as served; WGS84
  gpkg,        // GeoPackage; EPSG:27700; metadata in gpkg_metadata + layer description
  shapefile,   // .shp/.shx/.dbf/.prj/.cpg + <name>.metadata.json in one .zip; EPSG:27700
  kml,         // KML (WGS84 only); metadata in the document description
  csv,         // geometry as X/Y (points) or WKT; WGS84; no metadata (no room for it)
  flatgeobuf,  // FlatGeobuf; EPSG:27700; no metadata (the format has no field for it)
};

// The API spelling of every format, comma-separated: "geojson, gpkg, shp, kml, csv, fgb".
std::string_view export_format_names();
// "geojson", "gpkg", "shp", "kml", "csv", "fgb".
std::string_view export_format_name(ExportFormat format);
// Accepts the API spellings and "shapefile", "flatgeobuf" (case-sensitive);
// anything else is invalid_parameter naming the accepted values.
Expected<ExportFormat> parse_export_format(std::string_view text);
// The CRS a format is written in unless ExportOptions::target_crs says otherwise.
std::string_view default_export_crs(ExportFormat format);

// Exports bigger than this are refused (payload_too_large): a conversion
// holds the features, GDAL's copy and the output in memory at once.
inline constexpr std::size_t kMaxExportFeatures = 200000;

struct ExportOptions {
  // Layer and file stem; characters other than [A-Za-z0-9_-] become '_'.
  std::string layer_name = "layer";
  // The served file's name without extension (same rule); empty: layer_name.
  std::string file_stem;
  // A serialised JSON object (the GeoJSON "metadata" member), or empty for none.
  std::string metadata_json;
  // One human-readable line ("Wards, County Durham"); the layer name when empty.
  std::string description;
  // "EPSG:<code>", or empty for default_export_crs(format). KML accepts only
  // EPSG:4326; GeoJSON in another CRS is no longer RFC 7946 and says so in "crs".
  std::string target_crs;
  std::size_t max_features = kMaxExportFeatures;
};

struct ExportedFile {
  std::string bytes;
  std::string content_type;  // e.g. "application/geopackage+sqlite3"
  std::string file_name;     // e.g. "wards.gpkg": file_stem (or layer_name) + extension
};

// Writes `table` (EPSG:27700) as `format`. JSON-valued properties are
// written as JSON text so every driver takes them. Errors: payload_too_large
// (over max_features), invalid_parameter (a CRS the format cannot take),
// projection_failed, internal (a driver failed). Thread-safe: each call
// works in its own /vsimem/ directory, removed on return.
Expected<ExportedFile> export_features(const FeatureTable& table, ExportFormat format,
                                       const ExportOptions& options);

}  // namespace hotspot::render
