#pragma once
// Internals of the vector export shared by its two source files.

#include "hotspot/render/features.hpp"
#include "hotspot/render/vector_export.hpp"

#include "gdal_mem.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace hotspot::render::detail {

// What the input holds, by geometry family.
struct LayerScan {
  std::size_t features = 0;
  std::size_t points = 0;
  std::size_t lines = 0;
  std::size_t polygons = 0;
  std::size_t no_geometry = 0;
  std::size_t other = 0;  // geometry collections
  bool multi_points = false;
  bool multi_lines = false;
  bool multi_polygons = false;
};

struct ExportJob {
  ExportFormat format;
  std::string driver;
  std::string name;  // sanitised layer / file stem
  std::string description;
  std::string metadata_json;
  std::string crs;         // "EPSG:<code>", checked: the file's CRS
  std::string source_crs;  // the features' CRS (EPSG:27700)
  LayerScan scan;
};

// The table as one layer of an in-memory OGR dataset in EPSG:27700 (or the
// CRS `epsg` names, for coordinates made in another), the source every
// format is translated from.
Expected<DatasetHandle> memory_layer(const FeatureTable& table, int epsg = 27700);

// GDALVectorTranslate with ogr2ogr-style arguments; the output dataset open.
Expected<DatasetHandle> translate(GDALDatasetH source, const std::string& destination,
                                  const std::vector<std::string>& args);

// The <name>.metadata.json put beside a Shapefile.
std::string sidecar_json(const std::string& layer, const std::string& description,
                         const std::string& crs, const std::vector<std::string>& files,
                         const std::vector<std::pair<std::string, std::string>>& field_names,
                         const std::string& metadata_json);

// GeoPackage, KML, CSV, FlatGeobuf or reprojected GeoJSON: one file's bytes.
Expected<std::string> write_single_file(GDALDatasetH source, const ExportJob& job,
                                        const MemDir& dir);
// One Shapefile per geometry family present, the sidecar, zipped.
Expected<std::string> write_shapefile_zip(GDALDatasetH source, const ExportJob& job,
                                          const MemDir& dir);

}  // namespace hotspot::render::detail
