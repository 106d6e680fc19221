#include "hotspot/data/boundary_layer.hpp"

#include "hotspot/geo/crs.hpp"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <mutex>
#include <optional>
#include <regex>
#include <utility>

namespace hotspot::data {
namespace {

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
  void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

// Silences GDAL's default stderr printing for as long as it lives; failures
// are read back with CPLGetLastErrorMsg and reported as Errors instead.
struct QuietGdal {
  QuietGdal() {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
  }
  ~QuietGdal() { CPLPopErrorHandler(); }
  QuietGdal(const QuietGdal&) = delete;
  QuietGdal& operator=(const QuietGdal&) = delete;
};

void register_drivers() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

int field_index(const OGRFeatureDefn& defn, const std::string& name) {
  const std::string wanted = lower(name);
  for (int i = 0; i < defn.GetFieldCount(); ++i) {
    if (lower(defn.GetFieldDefn(i)->GetNameRef()) == wanted) return i;
  }
  return -1;
}

std::string field_list(const OGRFeatureDefn& defn) {
  std::string out;
  for (int i = 0; i < defn.GetFieldCount(); ++i) {
    if (i > 0) out += ", ";
    out += defn.GetFieldDefn(i)->GetNameRef();
  }
  return out.empty() ? "none" : out;
}

// Boundary codes in ONS products are named <prefix><2-digit year>CD with the
// matching name in ...NM; the known ones come first, newest year first.
int detect_id_field(const OGRFeatureDefn& defn) {
  static const char* const kKnown[] = {"WD23CD",   "WD22CD",   "WD21CD",  "WD20CD",  "WD19CD",
                                       "WD18CD",   "WD17CD",   "WD16CD",  "WD15CD",  "WD14CD",
                                       "WD13CD",   "LSOA21CD", "LSOA11CD", "MSOA21CD", "MSOA11CD",
                                       "OA21CD",   "OA11CD",   "LAD22CD", "LAD21CD", "code",
                                       "id",       "fid"};
  for (const char* name : kKnown) {
    const int i = field_index(defn, name);
    if (i >= 0) return i;
  }
  static const std::regex kOnsCode("[A-Za-z]+[0-9]{2}CD", std::regex::icase);
  for (int i = 0; i < defn.GetFieldCount(); ++i) {
    if (std::regex_match(defn.GetFieldDefn(i)->GetNameRef(), kOnsCode)) return i;
  }
  return -1;
}

int detect_name_field(const OGRFeatureDefn& defn, int id_field) {
  if (id_field >= 0) {
    std::string id = defn.GetFieldDefn(id_field)->GetNameRef();
    if (id.size() > 2 && lower(id.substr(id.size() - 2)) == "cd") {
      const int i = field_index(defn, id.substr(0, id.size() - 2) + "NM");
      if (i >= 0) return i;
    }
  }
  for (const char* name : {"name", "nm", "label", "title"}) {
    const int i = field_index(defn, name);
    if (i >= 0) return i;
  }
  return -1;
}

std::string field_text(OGRFeature& f, int i) {
  if (i < 0 || !f.IsFieldSetAndNotNull(i)) return {};
  const OGRFieldDefn* def = f.GetFieldDefnRef(i);
  if (def->GetType() == OFTInteger && def->GetSubType() == OFSTBoolean) {
    return f.GetFieldAsInteger(i) != 0 ? "true" : "false";
  }
  return f.GetFieldAsString(i);
}

// How the layer's coordinates relate to the CRS definition the Transformer
// gets: true when the file stores latitude/northing first.
bool stores_lat_first(const OGRSpatialReference& srs) {
  const bool crs_lat_first = srs.EPSGTreatsAsLatLong() || srs.EPSGTreatsAsNorthingEasting();
  const std::vector<int>& mapping = srs.GetDataAxisToSRSAxisMapping();
  if (mapping.empty()) return false;
  // Data axis 1 is CRS axis |mapping[0]|.
  return (std::abs(mapping[0]) == 1) == crs_lat_first;
}

std::string proj_definition(const OGRSpatialReference& srs) {
  const char* authority = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (authority != nullptr && code != nullptr) return std::string(authority) + ":" + code;
  char* wkt = nullptr;
  const char* const options[] = {"FORMAT=WKT2_2019", nullptr};
  if (srs.exportToWkt(&wkt, options) != OGRERR_NONE || wkt == nullptr) {
    CPLFree(wkt);
    return {};
  }
  std::string out(wkt);
  CPLFree(wkt);
  return out;
}

// Collects the polygons of a (possibly curved or nested) geometry; false if
// it holds anything else.
bool collect_polygons(const OGRGeometry& g, std::vector<const OGRPolygon*>& out) {
  switch (wkbFlatten(g.getGeometryType())) {
    case wkbPolygon:
      out.push_back(g.toPolygon());
      return true;
    case wkbMultiPolygon:
    case wkbGeometryCollection: {
      bool ok = true;
      for (const OGRGeometry* part : *g.toGeometryCollection()) ok = collect_polygons(*part, out) && ok;
      return ok;
    }
    default:
      return false;
  }
}

struct Projected {
  geo::MultiPolygonRings parts;
  std::size_t dropped_rings = 0;
  bool failed = false;
};

Projected project_polygons(const std::vector<const OGRPolygon*>& polygons, bool swap_axes,
                           const geo::Transformer& to_grid) {
  Projected out;
  std::vector<double> xs, ys;
  for (const OGRPolygon* polygon : polygons) {
    geo::PolygonRings rings;
    for (int r = 0; r < polygon->getNumInteriorRings() + 1; ++r) {
      const OGRLinearRing* ring = r == 0 ? polygon->getExteriorRing() : polygon->getInteriorRing(r - 1);
      const int n = ring == nullptr ? 0 : ring->getNumPoints();
      // Fewer than four points (three corners and the closing one) is no area.
      if (n < 4) {
        ++out.dropped_rings;
        if (r == 0) break;  // without an exterior the holes mean nothing
        continue;
      }
      xs.resize(n);
      ys.resize(n);
      ring->getPoints(xs.data(), sizeof(double), ys.data(), sizeof(double));
      if (swap_axes) std::swap(xs, ys);
      if (to_grid.transform(xs, ys) != 0) {
        out.failed = true;
        return out;
      }
      geo::Ring pts(n);
      for (int i = 0; i < n; ++i) pts[i] = geo::Point{xs[i], ys[i]};
      rings.push_back(std::move(pts));
    }
    if (!rings.empty()) out.parts.push_back(std::move(rings));
  }
  return out;
}

geo::MultiPolygonRings to_lonlat(const GEOSGeom_t* g, const geo::Transformer& to_wgs84) {
  geo::MultiPolygonRings parts = geo::polygon_rings(g);
  std::vector<double> xs, ys;
  for (geo::PolygonRings& rings : parts) {
    for (geo::Ring& ring : rings) {
      xs.resize(ring.size());
      ys.resize(ring.size());
      for (std::size_t i = 0; i < ring.size(); ++i) {
        xs[i] = ring[i].x;
        ys[i] = ring[i].y;
      }
      to_wgs84.transform(xs, ys);
      for (std::size_t i = 0; i < ring.size(); ++i) ring[i] = geo::Point{xs[i], ys[i]};
    }
  }
  geo::wind_rfc7946(parts);
  return parts;
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

  const OGRGeometry* g = f.GetGeometryRef();
  if (g == nullptr || g->IsEmpty()) return skip(number, label + " has no geometry");
  // Curved geometries (CurvePolygon, MultiSurface) are approximated by lines.
  std::unique_ptr<OGRGeometry> linear;
  if (g->hasCurveGeometry()) {
    linear.reset(g->getLinearGeometry());
    if (!linear) return skip(number, label + " has a curved geometry that cannot be linearised");
    g = linear.get();
  }
  std::vector<const OGRPolygon*> polygons;
  if (!collect_polygons(*g, polygons) || polygons.empty()) {
    return skip(number, label + " is a " + OGRGeometryTypeToName(g->getGeometryType()) +
                            ", not a Polygon or MultiPolygon");
  }

  Projected projected = project_polygons(polygons, swap_axes_, *to_grid_);
  if (projected.failed) return skip(number, label + " has coordinates that cannot be projected to EPSG:27700");
  if (projected.dropped_rings > 0) {
    report_.notes.push_back("feature " + label + ": " + std::to_string(projected.dropped_rings) +
                            " ring(s) with fewer than 4 points dropped");
  }
  if (projected.parts.empty()) return skip(number, label + " has no ring that encloses an area");
  geo::Geometry geometry = geo::make_multipolygon(projected.parts);
  if (!geometry) return skip(number, label + " could not be built as a polygon");

  std::string reason;
  if (!geo::is_valid(geometry.get(), &reason)) {
    geo::Geometry repaired = geo::make_valid_polygonal(geometry.get());
    if (!repaired || geo::area(repaired.get()) <= 0) {
      return skip(number, label + " is invalid (" + reason + ") and has no area once repaired");
    }
    report_.notes.push_back("feature " + label + " repaired with MakeValid: " + reason);
    geometry = std::move(repaired);
  }
  const double a = geo::area(geometry.get());
  if (!(a > 0)) return skip(number, label + " has no area");

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
  QuietGdal quiet;

  DatasetPtr ds(GDALDataset::Open(options_.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) {
    const std::string detail = CPLGetLastErrorMsg();
    return fail(ErrorCode::unreadable_input,
                "cannot be opened as a vector layer" + (detail.empty() ? std::string() : " (" + detail + ")"));
  }
  if (ds->GetDriver() != nullptr && lower(ds->GetDriver()->GetDescription()) == "geojson") {
    report_.format = "geojson";
  }
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
