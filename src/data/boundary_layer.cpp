// Loading a boundary layer: the dataset opened with OGR, the layer, fields
// and CRS chosen, every feature read (skipped with a reason or kept), and the
// kept polygons indexed. Field detection is in boundary_fields.cpp, geometry
// repair and reprojection in boundary_geometry.cpp.

#include "hotspot/data/boundary_layer.hpp"

#include "hotspot/data/fnv1a.hpp"
#include "hotspot/geo/crs.hpp"
#include "hotspot/geo/gdal_errors.hpp"

#include "boundary_parts.hpp"

#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace hotspot::data {
namespace {

using detail::area_geometry;
using detail::AreaGeometry;
using detail::detect_id_field;
using detail::detect_name_field;
using detail::field_index;
using detail::field_list;
using detail::field_text;
using detail::lower;
using detail::proj_definition;
using detail::stores_lat_first;
using detail::to_lonlat;

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
  void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

void register_drivers() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

// Every file GDAL reads for the dataset (a Shapefile's .shp, .shx, .dbf,
// .prj, .cpg, ...; a GeoJSON's one file), by name and content, streamed in
// blocks through GDAL's own file layer (so /vsizip/ paths work too). A file
// that cannot be read counts by its name alone.
std::uint64_t hash_dataset_files(GDALDataset& ds) {
  Fnv1a hash;
  char** files = ds.GetFileList();
  std::vector<char> block(256 * 1024);
  for (char** f = files; f != nullptr && *f != nullptr; ++f) {
    hash.add_field(*f);
    ContentHasher content;
    VSILFILE* file = VSIFOpenL(*f, "rb");
    if (file == nullptr) {
      hash.add_field("(unreadable)");
      continue;
    }
    for (std::size_t n; (n = VSIFReadL(block.data(), 1, block.size(), file)) > 0;) {
      content.add(block.data(), n);
    }
    VSIFCloseL(file);
    hash.add(content.finish());
  }
  CSLDestroy(files);
  return hash.h;
}

class Loader {
 public:
  Loader(const BoundaryOptions& options, FileReport& report) : options_(options), report_(report) {}

  Expected<BoundaryLayer> run();

 private:
  Error fail(ErrorCode code, const std::string& reason) {
    report_.loaded = false;
    report_.error = "Boundary file '" + options_.path + "': " + reason;
    return make_error(code, report_.error);
  }
  void skip(std::size_t feature, const std::string& why) {
    ++report_.rows_rejected;
    report_.notes.push_back("feature " + std::to_string(feature) + " skipped: " + why);
    report_.add_issue(RowIssue::malformed_row, feature, why);
  }
  Expected<OGRLayer*> pick_layer(GDALDataset& ds);
  // The field the options name for `role` ("id", "name"), or an Error that
  // lists the fields there are.
  Expected<int> named_field(const OGRFeatureDefn& defn, const std::string& name,
                            const std::string& role);
  Expected<bool> choose_fields(const OGRFeatureDefn& defn);
  Expected<bool> setup_crs(OGRLayer& layer);
  void read_feature(OGRFeature& f, std::size_t number, BoundaryLayer& out);

  const BoundaryOptions& options_;
  FileReport& report_;
  int id_field_ = -1;
  int name_field_ = -1;
  bool swap_axes_ = false;
  std::optional<geo::Transformer> to_grid_;
  std::optional<geo::Transformer> to_wgs84_;
};

Expected<OGRLayer*> Loader::pick_layer(GDALDataset& ds) {
  if (ds.GetLayerCount() == 0) return fail(ErrorCode::empty_input, "it holds no vector layer");
  if (options_.layer_name.empty()) return ds.GetLayer(0);
  OGRLayer* layer = ds.GetLayerByName(options_.layer_name.c_str());
  if (layer != nullptr) return layer;
  std::string names;
  for (int i = 0; i < ds.GetLayerCount(); ++i) names += (i ? ", " : "") + std::string(ds.GetLayer(i)->GetName());
  return fail(ErrorCode::unreadable_input,
              "there is no layer '" + options_.layer_name + "' (layers: " + names + ")");
}

Expected<int> Loader::named_field(const OGRFeatureDefn& defn, const std::string& name,
                                  const std::string& role) {
  const int i = field_index(defn, name);
  if (i < 0) {
    return fail(ErrorCode::unreadable_input, "there is no field '" + name + "' for the " + role +
                                                 " (fields: " + field_list(defn) + ")");
  }
  return i;
}

Expected<bool> Loader::choose_fields(const OGRFeatureDefn& defn) {
  auto id = options_.id_field.empty() ? Expected<int>(detect_id_field(defn))
                                      : named_field(defn, options_.id_field, "id");
  if (!id) return id.error();
  id_field_ = *id;
  auto name = options_.name_field.empty() ? Expected<int>(detect_name_field(defn, id_field_))
                                          : named_field(defn, options_.name_field, "name");
  if (!name) return name.error();
  name_field_ = *name;
  if (id_field_ < 0) {
    report_.notes.push_back("no id field recognised (fields: " + field_list(defn) +
                            "); features are identified by their position, 1, 2, ...");
  }
  return true;
}

Expected<bool> Loader::setup_crs(OGRLayer& layer) {
  OGRSpatialReference srs;
  if (!options_.source_crs.empty()) {
    if (srs.SetFromUserInput(options_.source_crs.c_str()) != OGRERR_NONE) {
      return fail(ErrorCode::projection_failed, "the CRS '" + options_.source_crs + "' is not recognised");
    }
  } else if (const OGRSpatialReference* own = layer.GetSpatialRef()) {
    srs = *own;
  } else {
    // GeoJSON without a "crs" member is WGS84 by definition (RFC 7946); other
    // formats without one are assumed to be the same, and the report says so.
    srs.SetWellKnownGeogCS("WGS84");
    report_.notes.push_back("the layer declares no CRS; coordinates taken as WGS84 longitude/latitude");
  }
  // A layer's own SRS already says how its stored axes map onto the CRS;
  // remember that before overriding. Then fix the traditional GIS order
  // (x = longitude/easting, y = latitude/northing): that is how GeoJSON,
  // Shapefile and GeoPackage store coordinates and how geo::Transformer takes
  // them, whatever axis order the CRS definition itself declares.
  swap_axes_ = options_.source_crs.empty() && layer.GetSpatialRef() != nullptr && stores_lat_first(srs);
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);

  const std::string definition = proj_definition(srs);
  if (definition.empty()) return fail(ErrorCode::projection_failed, "its CRS cannot be expressed for PROJ");
  auto to_grid = geo::Transformer::create(definition, geo::kWorkingCrs);
  if (!to_grid) return fail(ErrorCode::projection_failed, to_grid.error().message);
  auto to_wgs84 = geo::Transformer::create(geo::kWorkingCrs, geo::kWgs84);
  if (!to_wgs84) return fail(ErrorCode::projection_failed, to_wgs84.error().message);
  to_grid_.emplace(std::move(to_grid.value()));
  to_wgs84_.emplace(std::move(to_wgs84.value()));
  return true;
}

void Loader::read_feature(OGRFeature& f, std::size_t number, BoundaryLayer& out) {
  std::string id = field_text(f, id_field_);
  if (id.empty()) {
    if (id_field_ >= 0) {
      report_.notes.push_back("feature " + std::to_string(number) + " has no id; identified as '" +
                              std::to_string(number) + "'");
    }
    id = std::to_string(number);
  }
  std::string name = field_text(f, name_field_);
  if (name.empty()) name = id;
  const std::string label = "'" + id + "'";

  AreaGeometry shape = area_geometry(f.GetGeometryRef(), label, swap_axes_, *to_grid_);
  for (std::string& note : shape.notes) report_.notes.push_back(std::move(note));
  if (!shape.skip.empty()) return skip(number, shape.skip);
  geo::Geometry geometry = std::move(shape.geometry);
  const double a = shape.area_m2;

  std::map<std::string, std::string> props;
  const OGRFeatureDefn* defn = f.GetDefnRef();
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    if (i == id_field_ || i == name_field_ || !f.IsFieldSetAndNotNull(i)) continue;
    props[defn->GetFieldDefn(i)->GetNameRef()] = field_text(f, i);
  }
  if (out.find(id) >= 0) report_.notes.push_back("id " + label + " appears more than once; lookups find the first");

  out.lonlat.push_back(to_lonlat(geometry.get(), *to_wgs84_));
  out.envelopes.push_back(geo::envelope(geometry.get()));
  out.extent.expand(out.envelopes.back());
  out.area_m2.push_back(a);
  out.ids.push_back(std::move(id));
  out.names.push_back(std::move(name));
  out.properties.push_back(std::move(props));
  out.geometries.push_back(std::move(geometry));
  ++report_.rows_accepted;
}

Expected<BoundaryLayer> Loader::run() {
  const auto started = std::chrono::steady_clock::now();
  report_.path = options_.path;
  report_.kind = options_.kind;
  report_.format = "ogr";
  register_drivers();
  geo::QuietGdalErrors quiet;

  DatasetPtr ds(GDALDataset::Open(options_.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) {
    const std::string detail = CPLGetLastErrorMsg();
    return fail(ErrorCode::unreadable_input,
                "cannot be opened as a vector layer" + (detail.empty() ? std::string() : " (" + detail + ")"));
  }
  if (ds->GetDriver() != nullptr && lower(ds->GetDriver()->GetDescription()) == "geojson") {
    report_.format = "geojson";
  }
  report_.content_hash = hash_dataset_files(*ds);
  auto layer = pick_layer(*ds);
  if (!layer) return layer.error();
  if (auto ok = choose_fields(*(*layer)->GetLayerDefn()); !ok) return ok.error();
  if (auto ok = setup_crs(**layer); !ok) return ok.error();

  BoundaryLayer out;
  out.kind = options_.kind;
  out.source_path = options_.path;
  (*layer)->ResetReading();
  std::size_t number = 0;
  while (FeaturePtr f{(*layer)->GetNextFeature()}) {
    ++number;
    ++report_.rows_read;
    read_feature(*f, number, out);
  }
  if (CPLGetLastErrorType() >= CE_Failure && number == 0) {
    return fail(ErrorCode::unreadable_input, std::string("reading failed: ") + CPLGetLastErrorMsg());
  }
  if (out.size() == 0) {
    return fail(ErrorCode::empty_input, "no usable polygons (" + std::to_string(number) + " feature(s) read, " +
                                            std::to_string(report_.rows_rejected) + " skipped)");
  }

  std::vector<const GEOSGeom_t*> raw;
  raw.reserve(out.geometries.size());
  for (const geo::Geometry& g : out.geometries) raw.push_back(g.get());
  out.index = std::make_unique<geo::PolygonIndex>(std::move(raw));

  report_.loaded = true;
  report_.error.clear();
  report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace

std::int32_t BoundaryLayer::find(const std::string& id) const {
  const auto it = std::find(ids.begin(), ids.end(), id);
  return it == ids.end() ? -1 : static_cast<std::int32_t>(it - ids.begin());
}

Expected<BoundaryLayer> load_boundaries(const BoundaryOptions& options, FileReport& report) {
  try {
    return Loader(options, report).run();
  } catch (const std::exception& e) {
    // Only allocation failures can get here; keep them inside the module.
    report.loaded = false;
    report.error = "Boundary file '" + options.path + "': " + e.what();
    return make_error(ErrorCode::internal, report.error);
  }
}

}  // namespace hotspot::data
