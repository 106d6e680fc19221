// The per-format halves of export_features: driver options, the Shapefile
// split by geometry family, and the zip.
#include "vector_export_detail.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <ogr_api.h>

#include <algorithm>
#include <memory>

namespace hotspot::render::detail {
namespace {

std::string last_gdal_error(std::string_view fallback) {
  const char* message = CPLGetLastErrorMsg();
  return (message && *message) ? std::string(message) : std::string(fallback);
}

// A layer of one geometry type, as Shapefile needs; single and multi parts of
// one family share a layer, written as multi.
struct Family {
  std::string suffix;
  std::string where;
  std::string type;
  std::size_t count;
};

std::vector<Family> families(const LayerScan& s) {
  std::vector<Family> all{
      {"points", "OGR_GEOMETRY IN ('POINT','MULTIPOINT')", s.multi_points ? "MULTIPOINT" : "POINT",
       s.points},
      {"lines", "OGR_GEOMETRY IN ('LINESTRING','MULTILINESTRING')", "MULTILINESTRING", s.lines},
      {"polygons", "OGR_GEOMETRY IN ('POLYGON','MULTIPOLYGON')", "MULTIPOLYGON", s.polygons},
  };
  std::erase_if(all, [](const Family& f) { return f.count == 0; });
  return all;
}

bool single_family_with_multi(const LayerScan& s) {
  return families(s).size() == 1 && (s.multi_points || s.multi_lines || s.multi_polygons) &&
         s.other == 0;
}

std::vector<std::string> common_args(const ExportJob& job, const std::string& layer_name) {
  std::vector<std::string> args{"-f", job.driver, "-nln", layer_name};
  // Formats in the working CRS get the engine's coordinates untouched.
  if (job.crs != job.source_crs) args.insert(args.end(), {"-t_srs", job.crs});
  return args;
}

// Input property name -> output column name, by position (ogr2ogr keeps the order).
std::vector<std::pair<std::string, std::string>> field_names(OGRLayerH from, OGRLayerH to) {
  std::vector<std::pair<std::string, std::string>> names;
  OGRFeatureDefnH a = OGR_L_GetLayerDefn(from);
  OGRFeatureDefnH b = OGR_L_GetLayerDefn(to);
  const int n = std::min(OGR_FD_GetFieldCount(a), OGR_FD_GetFieldCount(b));
  for (int i = 0; i < n; ++i) {
    names.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(a, i)),
                       OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(b, i)));
  }
  return names;
}

struct ZipCloser {
  void operator()(void* zip) const {
    if (zip) CPLCloseZip(zip);
  }
};

// Adds one file, given as its bytes, to an open zip (deflated).
bool add_to_zip(void* zip, const std::string& name, const std::string& bytes) {
  if (CPLCreateFileInZip(zip, name.c_str(), nullptr) != CE_None) return false;
  const bool written =
      bytes.empty() ||
      CPLWriteFileInZip(zip, bytes.data(), static_cast<int>(bytes.size())) == CE_None;
  return CPLCloseFileInZip(zip) == CE_None && written;
}

// XML text with &, < and > escaped.
std::string xml_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

// GDAL's KML writer has no option for the document's name and description:
// they go in after its <Document> tag, so the file carries its metadata as
// every other format with room for it does.
void describe_kml_document(std::string& kml, const ExportJob& job) {
  const std::size_t tag = kml.find("<Document");
  const std::size_t end = tag == std::string::npos ? tag : kml.find('>', tag);
  if (end == std::string::npos) return;
  std::string description = job.description;
  if (!job.metadata_json.empty()) description += "\n\nMetadata (JSON): " + job.metadata_json;
  kml.insert(end + 1, "<name>" + xml_text(job.description) + "</name><description>" +
                          xml_text(description) + "</description>");
}

}  // namespace

Expected<std::string> write_single_file(GDALDatasetH source, const ExportJob& job,
                                        const MemDir& dir) {
  std::string extension;
  std::vector<std::string> args = common_args(job, job.name);
  OGRLayerH layer = GDALDatasetGetLayer(source, 0);
  switch (job.format) {
    case ExportFormat::gpkg:
      extension = ".gpkg";
      args.insert(args.end(),
                  {"-lco", "DESCRIPTION=" + job.description, "-lco", "IDENTIFIER=" + job.name});
      // Layer metadata is copied by the translation into gpkg_metadata, where
      // QGIS and ArcGIS show it with the layer.
      if (!job.metadata_json.empty()) {
        GDALSetMetadataItem(layer, "HOTSPOT_METADATA", job.metadata_json.c_str(), nullptr);
      }
      GDALSetMetadataItem(layer, "DESCRIPTION", job.description.c_str(), nullptr);
      break;
    case ExportFormat::kml:
      extension = ".kml";  // the document's name and description are added below
      break;
    case ExportFormat::csv: {
      extension = ".csv";
      const auto& s = job.scan;
      const bool plain_points = s.points == s.features - s.no_geometry && !s.multi_points;
      args.insert(args.end(), {"-lco", plain_points ? "GEOMETRY=AS_XY" : "GEOMETRY=AS_WKT"});
      break;
    }
    case ExportFormat::flatgeobuf:
      extension = ".fgb";
      break;
    case ExportFormat::geojson:
      extension = ".geojson";
      args.insert(args.end(), {"-lco", "RFC7946=NO"});
      break;
    case ExportFormat::shapefile:
      return make_error(ErrorCode::internal, "Shapefiles are written by write_shapefile_zip");
  }
  if (job.format != ExportFormat::csv && job.format != ExportFormat::kml &&
      single_family_with_multi(job.scan)) {
    args.insert(args.end(), {"-nlt", "PROMOTE_TO_MULTI"});
  }
  const std::string path = dir.file(job.name + extension);
  {
    auto out = translate(source, path, args);
    if (!out) return out.error();
  }  // closed here: drivers finish their files on close
  std::string bytes;
  if (!read_mem_file(path, bytes)) {
    return make_error(ErrorCode::internal, "The " + job.driver + " driver wrote no file");
  }
  if (job.format == ExportFormat::kml) describe_kml_document(bytes, job);
  return bytes;
}

Expected<std::string> write_shapefile_zip(GDALDatasetH source, const ExportJob& job,
                                          const MemDir& dir) {
  const LayerScan& scan = job.scan;
  if (scan.other > 0) {
    return make_error(ErrorCode::invalid_parameter, "Shapefile cannot hold geometry collections (" +
                                                        std::to_string(scan.other) +
                                                        " features); use format=gpkg");
  }
  const std::string shp_dir = dir.file("shp");
  VSIMkdir(shp_dir.c_str(), 0755);
  OGRLayerH input = GDALDatasetGetLayer(source, 0);

  // One family (the usual case): one Shapefile named after the layer, holding
  // any features without geometry too. Several: one per family, plus a
  // table of the features without geometry.
  struct Part {
    std::string name, where, type;
  };
  std::vector<Part> parts;
  const auto present = families(scan);
  if (present.size() <= 1) {
    parts.push_back({job.name, "", present.empty() ? "NONE" : present.front().type});
  } else {
    for (const auto& f : present) parts.push_back({job.name + "_" + f.suffix, f.where, f.type});
    if (scan.no_geometry)
      parts.push_back({job.name + "_nogeometry", "OGR_GEOMETRY IS NULL", "NONE"});
  }

  std::vector<std::pair<std::string, std::string>> names;
  std::vector<std::string> stems;
  for (const auto& part : parts) {
    std::vector<std::string> args = common_args(job, part.name);
    args.insert(args.end(), {"-lco", "ENCODING=UTF-8", "-nlt", part.type});
    if (!part.where.empty()) args.insert(args.end(), {"-where", part.where});
    const std::string extension = part.type == "NONE" ? ".dbf" : ".shp";
    auto out = translate(source, shp_dir + "/" + part.name + extension, args);
    if (!out) return out.error();
    if (names.empty()) names = field_names(input, GDALDatasetGetLayer(out->get(), 0));
    stems.push_back(part.name + extension);
  }

  const std::string zip_path = dir.file(job.name + ".zip");
  {
    std::unique_ptr<void, ZipCloser> zip(CPLCreateZip(zip_path.c_str(), nullptr));
    if (!zip)
      return make_error(ErrorCode::internal, "Cannot create the zip: " + last_gdal_error("?"));
    const CPLStringList files(VSIReadDir(shp_dir.c_str()));
    std::vector<std::string> sorted;
    for (int i = 0; i < files.size(); ++i) sorted.emplace_back(files[i]);
    std::sort(sorted.begin(), sorted.end());
    for (const auto& name : sorted) {
      std::string bytes;
      if (!read_mem_file(shp_dir + "/" + name, bytes) || !add_to_zip(zip.get(), name, bytes)) {
        return make_error(ErrorCode::internal, "Cannot zip " + name + ": " + last_gdal_error("?"));
      }
    }
    const std::string sidecar =
        sidecar_json(job.name, job.description, job.crs, stems, names, job.metadata_json);
    if (!add_to_zip(zip.get(), job.name + ".metadata.json", sidecar)) {
      return make_error(ErrorCode::internal, "Cannot zip the metadata: " + last_gdal_error("?"));
    }
  }  // the zip's central directory is written on close
  std::string bytes;
  if (!read_mem_file(zip_path, bytes)) return make_error(ErrorCode::internal, "The zip is missing");
  return bytes;
}

}  // namespace hotspot::render::detail
