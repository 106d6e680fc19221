#include "hotspot/render/vector_export.hpp"

#include "hotspot/engine/projection.hpp"

#include "hotspot/geo/crs.hpp"
#include "hotspot/geo/types.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace hotspot::render {
namespace {

// The fixtures below are written as GeoJSON (lon/lat) for readability; the
// exporter takes features in EPSG:27700, as the engine makes them. This
// reads a fixture into that form: points and (multi)polygons projected,
// properties typed by their JSON values.
geo::MultiPolygonRings polygon_parts(const nlohmann::json& g, const geo::Transformer& to_bng) {
  geo::MultiPolygonRings parts;
  const bool single = g["type"] == "Polygon";
  for (const auto& polygon : single ? nlohmann::json::array({g["coordinates"]}) : g["coordinates"]) {
    std::vector<geo::Ring> rings;
    for (const auto& ring : polygon) {
      geo::Ring r;
      for (const auto& c : ring) r.push_back(to_bng.transform(geo::Point{c[0], c[1]}));
      rings.push_back(std::move(r));
    }
    parts.push_back(std::move(rings));
  }
  return parts;
}

FeatureTable table_of(const std::string& geojson) {
  const auto fc = nlohmann::json::parse(geojson);
  const geo::Transformer& to_bng = **engine::to_bng();
  FeatureTable t;
  t.name = "fixture";
  for (const auto& f : fc["features"]) {
    for (const auto& [key, value] : f["properties"].items()) {
      bool known = false;
      for (const auto& field : t.fields) known = known || field.name == key;
      if (known || value.is_null()) continue;
      const FieldType type = value.is_boolean()           ? FieldType::boolean
                             : value.is_number_integer()  ? FieldType::integer
                             : value.is_number()          ? FieldType::real
                             : value.is_string()          ? FieldType::text
                                                          : FieldType::json;
      t.add_field(key, type);
    }
  }
  for (const auto& f : fc["features"]) {
    Feature out;
    if (f.contains("id")) {
      if (f["id"].is_string()) {
        out.id = f["id"].get<std::string>();
      } else {
        out.id = f["id"].get<std::int64_t>();
      }
    }
    const auto& g = f["geometry"];
    if (g.is_object() && g["type"] == "Point") {
      out.geometry = Geometry::of_point(to_bng.transform(
          geo::Point{g["coordinates"][0].get<double>(), g["coordinates"][1].get<double>()}));
    } else if (g.is_object()) {
      out.geometry = Geometry::of_polygons(polygon_parts(g, to_bng));
    }
    for (const auto& field : t.fields) {
      const auto& props = f["properties"];
      if (!props.contains(field.name) || props[field.name].is_null()) {
        out.values.emplace_back(Null{});
        continue;
      }
      const auto& v = props[field.name];
      switch (field.type) {
        case FieldType::boolean: out.values.emplace_back(v.get<bool>()); break;
        case FieldType::integer: out.values.emplace_back(v.get<std::int64_t>()); break;
        case FieldType::real: out.values.emplace_back(v.get<double>()); break;
        case FieldType::text: out.values.emplace_back(v.get<std::string>()); break;
        case FieldType::json: out.values.emplace_back(v.dump()); break;
      }
    }
    t.features.push_back(std::move(out));
  }
  return t;
}

Expected<ExportedFile> export_geojson(const std::string& geojson, ExportFormat format,
                                      const ExportOptions& options) {
  return export_features(table_of(geojson), format, options);
}

// Three features near Chester-le-Street (lon/lat degrees):
//
//   P  a point                       "Chester-le-Street – Front St"
//
//   +-----------+                     "Ring with hole": outer 0.04 x 0.02 deg,
//   |   +---+   |                     hole 0.01 x 0.01 deg (clockwise)
//   |   +---+   |
//   +-----------+
//
//   +---+   +---+                     "Two squares": a MultiPolygon of two
//   +---+   +---+                     0.01 x 0.01 deg squares
const char* const kPointName = "Chester-le-Street \xE2\x80\x93 Front St";
const double kPoint[2] = {-1.5734, 54.8586};
using Ring = std::vector<std::array<double, 2>>;
const Ring kOuter{{-1.60, 54.84}, {-1.56, 54.84}, {-1.56, 54.86}, {-1.60, 54.86}, {-1.60, 54.84}};
const Ring kHole{
    {-1.59, 54.845}, {-1.59, 54.855}, {-1.58, 54.855}, {-1.58, 54.845}, {-1.59, 54.845}};
const Ring kSquareA{{-1.55, 54.80}, {-1.54, 54.80}, {-1.54, 54.81}, {-1.55, 54.81}, {-1.55, 54.80}};
const Ring kSquareB{{-1.52, 54.80}, {-1.51, 54.80}, {-1.51, 54.81}, {-1.52, 54.81}, {-1.52, 54.80}};
const char* const kMetadata =
    R"({"endpoint":"test/export","method_version":"test-method/1","parameters":{"eps":"250"}})";

std::string ring_json(const Ring& ring) {
  std::string out = "[";
  for (std::size_t i = 0; i < ring.size(); ++i) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s[%.6f,%.6f]", i ? "," : "", ring[i][0], ring[i][1]);
    out += buffer;
  }
  return out + "]";
}

std::string point_feature() {
  return R"({"type":"Feature","id":"p1","geometry":{"type":"Point","coordinates":[-1.5734,54.8586]},)"
         R"("properties":{"name":")" +
         std::string(kPointName) +
         R"(","count":3,"big":12345678901,"rate":0.25,"flag":true,"missing":null,)"
         R"("tags":["a","b"],"nested":{"k":1},"very_long_field_name":"long","very_long_field_other":"other",)"
         R"("day":"2024-03-01","at":"2024-03-01T22:41:07Z"}})";
}

std::string sample(bool with_point = true, bool with_polygons = true) {
  std::vector<std::string> features;
  if (with_point) features.push_back(point_feature());
  if (with_polygons) {
    features.push_back(R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":[)" +
                       ring_json(kOuter) + "," + ring_json(kHole) +
                       R"(]},"properties":{"name":"Ring with hole","count":1,"rate":1.5}})");
    features.push_back(R"({"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[)" +
                       ring_json(kSquareA) + "],[" + ring_json(kSquareB) +
                       R"(]]},"properties":{"name":"Two squares","count":2,"rate":2.5}})");
  }
  std::string out = R"({"type":"FeatureCollection","features":[)";
  for (std::size_t i = 0; i < features.size(); ++i) out += (i ? "," : "") + features[i];
  return out + R"(],"metadata":)" + kMetadata + "}";
}

// Independent reference: the shoelace area of rings projected point by point.
double projected_area(const std::vector<Ring>& rings, const geo::Transformer& t) {
  double total = 0;
  for (std::size_t r = 0; r < rings.size(); ++r) {
    double twice = 0;
    std::vector<geo::Point> p;
    for (const auto& v : rings[r]) p.push_back(t.transform(geo::Point{v[0], v[1]}));
    for (std::size_t i = 0; i + 1 < p.size(); ++i)
      twice += p[i].x * p[i + 1].y - p[i + 1].x * p[i].y;
    total += (r == 0 ? 1 : -1) * std::abs(twice) / 2;  // ring 0 outer, the rest holes
  }
  return total;
}

// The exported bytes as a /vsimem/ file, removed with the object.
class MemFile {
 public:
  MemFile(const std::string& bytes, const std::string& extension) {
    static std::atomic<int> counter{0};
    path_ = "/vsimem/export-test-" + std::to_string(++counter) + extension;
    auto* copy = static_cast<GByte*>(CPLMalloc(bytes.size()));
    std::memcpy(copy, bytes.data(), bytes.size());
    VSIFCloseL(VSIFileFromMemBuffer(path_.c_str(), copy, bytes.size(), TRUE));
  }
  ~MemFile() { VSIUnlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Closer {
  void operator()(void* ds) const { GDALClose(ds); }
};
using Dataset = std::unique_ptr<void, Closer>;

Dataset open(const std::string& path) {
  return Dataset(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
}

struct ReadFeature {
  std::map<std::string, std::string> fields;  // every field as text
  OGRGeometryH geometry = nullptr;            // owned by `owner`
  std::shared_ptr<void> owner;
};

// Every feature of every layer, keyed by its "name" field.
std::map<std::string, ReadFeature> features_by_name(GDALDatasetH ds) {
  std::map<std::string, ReadFeature> out;
  for (int l = 0; l < GDALDatasetGetLayerCount(ds); ++l) {
    OGRLayerH layer = GDALDatasetGetLayer(ds, l);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
      ReadFeature rf;
      rf.owner = std::shared_ptr<void>(f, [](void* p) { OGR_F_Destroy(p); });
      for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i) {
        if (OGR_F_IsFieldSetAndNotNull(f, i)) {
          rf.fields[OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))] =
              OGR_F_GetFieldAsString(f, i);
        }
      }
      rf.geometry = OGR_F_GetGeometryRef(f);
      // KML drivers read a Placemark's <name> back as "Name".
      const std::string name = rf.fields.count("name") ? rf.fields["name"] : rf.fields["Name"];
      out[name] = std::move(rf);
    }
  }
  return out;
}

std::string epsg_of(OGRLayerH layer) {
  OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
  if (!srs) return "none";
  OSRAutoIdentifyEPSG(srs);
  const char* code = OSRGetAuthorityCode(srs, nullptr);
  return code ? std::string("EPSG:") + code : "unidentified";
}

class VectorExport : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = geo::Transformer::create(geo::kWgs84, geo::kWorkingCrs);
    ASSERT_TRUE(t.has_value()) << t.error().message;
    to_bng_ = std::make_unique<geo::Transformer>(std::move(*t));
  }

  ExportedFile exported(ExportFormat format, const std::string& geojson = sample(),
                        ExportOptions options = {}) {
    options.layer_name = options.layer_name == "layer" ? "hotspots" : options.layer_name;
    options.metadata_json = kMetadata;
    options.description = "Test hotspots, County Durham";
    auto file = export_geojson(geojson, format, options);
    EXPECT_TRUE(file.has_value()) << (file ? "" : file.error().message);
    return file ? *file : ExportedFile{};
  }

  // Checks the three sample features read back in British National Grid.
  void expect_bng_features(GDALDatasetH ds) {
    auto features = features_by_name(ds);
    ASSERT_EQ(features.size(), 3u);
    const geo::Point p = to_bng_->transform(geo::Point{kPoint[0], kPoint[1]});
    OGRGeometryH point = features[kPointName].geometry;
    ASSERT_NE(point, nullptr);
    EXPECT_NEAR(OGR_G_GetX(point, 0), p.x, 0.01);
    EXPECT_NEAR(OGR_G_GetY(point, 0), p.y, 0.01);

    OGRGeometryH ring = features["Ring with hole"].geometry;
    ASSERT_NE(ring, nullptr);
    EXPECT_NEAR(OGR_G_Area(ring), projected_area({kOuter, kHole}, *to_bng_), 1.0);
    EXPECT_LT(OGR_G_Area(ring), projected_area({kOuter}, *to_bng_) - 1e5);  // the hole is kept

    OGRGeometryH squares = features["Two squares"].geometry;
    ASSERT_NE(squares, nullptr);
    EXPECT_EQ(OGR_G_GetGeometryCount(squares), 2);
    EXPECT_NEAR(OGR_G_Area(squares),
                projected_area({kSquareA}, *to_bng_) + projected_area({kSquareB}, *to_bng_), 1.0);
    // A corner lands where PROJ puts it, to the centimetre.
    const geo::Point corner = to_bng_->transform(geo::Point{kSquareA[0][0], kSquareA[0][1]});
    OGRGeometryH first = OGR_G_GetGeometryRef(OGR_G_GetGeometryRef(squares, 0), 0);
    bool found = false;
    for (int i = 0; i < OGR_G_GetPointCount(first); ++i) {
      found = found ||
              std::hypot(OGR_G_GetX(first, i) - corner.x, OGR_G_GetY(first, i) - corner.y) < 0.01;
    }
    EXPECT_TRUE(found);
  }

  std::unique_ptr<geo::Transformer> to_bng_;
};

TEST(ExportFormatNames, ParseAcceptsApiSpellingsAndAliases) {
  EXPECT_EQ(*parse_export_format("gpkg"), ExportFormat::gpkg);
  EXPECT_EQ(*parse_export_format("shp"), ExportFormat::shapefile);
  EXPECT_EQ(*parse_export_format("shapefile"), ExportFormat::shapefile);
  EXPECT_EQ(*parse_export_format("fgb"), ExportFormat::flatgeobuf);
  for (auto f : {ExportFormat::geojson, ExportFormat::gpkg, ExportFormat::shapefile,
                 ExportFormat::kml, ExportFormat::csv, ExportFormat::flatgeobuf}) {
    EXPECT_EQ(*parse_export_format(export_format_name(f)), f);
    EXPECT_NE(export_format_names().find(export_format_name(f)), std::string_view::npos);
  }
}

TEST(ExportFormatNames, BadNameIsAnErrorListingTheAllowedOnes) {
  for (const char* bad : {"xlsx", "", "GPKG", "gpkg ", "shp.zip"}) {
    auto f = parse_export_format(bad);
    ASSERT_FALSE(f.has_value()) << bad;
    EXPECT_EQ(f.error().code, ErrorCode::invalid_parameter);
    EXPECT_NE(f.error().message.find("geojson, gpkg, shp, kml, csv, fgb"), std::string::npos);
  }
}

TEST_F(VectorExport, GeoPackageIsBritishNationalGridWithMetadata) {
  const ExportedFile file = exported(ExportFormat::gpkg);
  EXPECT_EQ(file.file_name, "hotspots.gpkg");
  EXPECT_EQ(file.content_type, "application/geopackage+sqlite3");
  MemFile mem(file.bytes, ".gpkg");
  Dataset ds = open(mem.path());
  ASSERT_TRUE(ds);
  ASSERT_EQ(GDALDatasetGetLayerCount(ds.get()), 1);
  OGRLayerH layer = GDALDatasetGetLayer(ds.get(), 0);
  EXPECT_STREQ(OGR_L_GetName(layer), "hotspots");
  EXPECT_EQ(epsg_of(layer), "EPSG:27700");
  expect_bng_features(ds.get());

  auto features = features_by_name(ds.get());
  const auto& p = features[kPointName].fields;
  EXPECT_EQ(p.at("count"), "3");
  EXPECT_EQ(p.at("big"), "12345678901");
  EXPECT_EQ(p.at("rate"), "0.25");
  EXPECT_EQ(p.at("flag"), "1");
  EXPECT_EQ(p.count("missing"), 0u);
  EXPECT_EQ(p.at("very_long_field_name"), "long");  // GeoPackage keeps long names
  // Dates are the API's ISO 8601 text in every format.
  EXPECT_EQ(p.at("day"), "2024-03-01");
  EXPECT_NE(p.at("tags").find("\"a\""), std::string::npos);
  EXPECT_NE(p.at("nested").find("\"k\""), std::string::npos);

  const char* metadata = GDALGetMetadataItem(layer, "HOTSPOT_METADATA", nullptr);
  ASSERT_NE(metadata, nullptr);
  EXPECT_STREQ(metadata, kMetadata);
  OGRLayerH rows = GDALDatasetExecuteSQL(
      ds.get(), "SELECT description FROM gpkg_contents WHERE table_name='hotspots'", nullptr,
      nullptr);
  ASSERT_NE(rows, nullptr);
  OGRFeatureH row = OGR_L_GetNextFeature(rows);
  ASSERT_NE(row, nullptr);
  EXPECT_STREQ(OGR_F_GetFieldAsString(row, 0), "Test hotspots, County Durham");
  OGR_F_Destroy(row);
  GDALDatasetReleaseResultSet(ds.get(), rows);
  OGRLayerH md = GDALDatasetExecuteSQL(
      ds.get(), "SELECT count(*) FROM gpkg_metadata_reference WHERE table_name='hotspots'", nullptr,
      nullptr);
  ASSERT_NE(md, nullptr);
  OGRFeatureH n = OGR_L_GetNextFeature(md);
  EXPECT_GE(OGR_F_GetFieldAsInteger(n, 0), 1);
  OGR_F_Destroy(n);
  GDALDatasetReleaseResultSet(ds.get(), md);
}

std::string zip_member(const std::string& zip, const std::string& name) {
  const std::string path = "/vsizip/" + zip + "/" + name;
  VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
  if (!f) return {};
  std::string out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = VSIFReadL(buffer, 1, sizeof buffer, f)) > 0) out.append(buffer, n);
  VSIFCloseL(f);
  return out;
}

TEST_F(VectorExport, ShapefileZipSplitsGeometryFamiliesAndMapsFieldNames) {
  const ExportedFile file = exported(ExportFormat::shapefile);
  EXPECT_EQ(file.file_name, "hotspots.zip");
  EXPECT_EQ(file.content_type, "application/zip");
  MemFile mem(file.bytes, ".zip");
  const CPLStringList members(VSIReadDir(("/vsizip/" + mem.path()).c_str()));
  for (const char* expected :
       {"hotspots_points.shp", "hotspots_points.shx", "hotspots_points.dbf", "hotspots_points.prj",
        "hotspots_points.cpg", "hotspots_polygons.shp", "hotspots_polygons.prj",
        "hotspots.metadata.json"}) {
    EXPECT_GE(members.FindString(expected), 0) << expected;
  }
  EXPECT_EQ(zip_member(mem.path(), "hotspots_points.cpg").substr(0, 5), "UTF-8");

  Dataset ds = open("/vsizip/" + mem.path());
  ASSERT_TRUE(ds);
  EXPECT_EQ(GDALDatasetGetLayerCount(ds.get()), 2);
  for (int l = 0; l < GDALDatasetGetLayerCount(ds.get()); ++l) {
    EXPECT_EQ(epsg_of(GDALDatasetGetLayer(ds.get(), l)), "EPSG:27700");
  }
  expect_bng_features(ds.get());
  auto features = features_by_name(ds.get());
  const auto& p = features[kPointName].fields;  // the UTF-8 name survived the .dbf
  EXPECT_EQ(p.at("big"), "12345678901");
  EXPECT_EQ(p.at("very_long_"), "long");
  EXPECT_EQ(p.at("very_lon_1"), "other");
  EXPECT_EQ(p.at("day"), "2024-03-01");  // dates stay the API's ISO text
  EXPECT_EQ(p.at("at"), "2024-03-01T22:41:07Z");

  const std::string sidecar = zip_member(mem.path(), "hotspots.metadata.json");
  EXPECT_NE(sidecar.find(R"("very_long_field_name": "very_long_")"), std::string::npos) << sidecar;
  EXPECT_NE(sidecar.find(R"("very_long_field_other": "very_lon_1")"), std::string::npos);
  EXPECT_NE(sidecar.find(kMetadata), std::string::npos);
  EXPECT_NE(sidecar.find(R"("crs": "EPSG:27700")"), std::string::npos);
}

TEST_F(VectorExport, ShapefileKeepsFeaturesWithoutGeometryInATable) {
  std::string input = sample();
  const std::string nogeometry =
      R"({"type":"Feature","geometry":null,"properties":{"name":"nowhere","count":9}},)";
  input.insert(input.find("[{") + 1, nogeometry);
  const ExportedFile file = exported(ExportFormat::shapefile, input);
  MemFile mem(file.bytes, ".zip");
  Dataset table = open("/vsizip/" + mem.path() + "/hotspots_nogeometry.dbf");
  ASSERT_TRUE(table);
  auto rows = features_by_name(table.get());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows["nowhere"].fields.at("count"), "9");
  Dataset all = open("/vsizip/" + mem.path());
  ASSERT_TRUE(all);
  EXPECT_EQ(features_by_name(all.get()).size(), 4u);
}

TEST_F(VectorExport, ShapefileOfOneFamilyIsOneLayerNamedAfterIt) {
  const ExportedFile file = exported(ExportFormat::shapefile, sample(false, true));
  MemFile mem(file.bytes, ".zip");
  Dataset ds = open("/vsizip/" + mem.path() + "/hotspots.shp");
  ASSERT_TRUE(ds);
  EXPECT_EQ(OGR_L_GetFeatureCount(GDALDatasetGetLayer(ds.get(), 0), TRUE), 2);
  EXPECT_FALSE(zip_member(mem.path(), "hotspots.metadata.json").empty());
}

TEST_F(VectorExport, KmlIsWgs84WithMetadataInTheDescription) {
  const ExportedFile file = exported(ExportFormat::kml);
  EXPECT_EQ(file.file_name, "hotspots.kml");
  EXPECT_NE(file.bytes.find("test-method/1"), std::string::npos);
  EXPECT_NE(file.bytes.find(kPointName), std::string::npos);
  MemFile mem(file.bytes, ".kml");
  Dataset ds = open(mem.path());
  ASSERT_TRUE(ds);
  auto features = features_by_name(ds.get());
  ASSERT_EQ(features.size(), 3u);
  OGRGeometryH p = features[kPointName].geometry;
  ASSERT_NE(p, nullptr);
  EXPECT_NEAR(OGR_G_GetX(p, 0), kPoint[0], 1e-7);  // through EPSG:27700 and back: ~1 mm
  EXPECT_NEAR(OGR_G_GetY(p, 0), kPoint[1], 1e-7);
  EXPECT_EQ(features["Two squares"].fields.at("count"), "2");
  EXPECT_EQ(features[kPointName].fields.at("day"), "2024-03-01");
  EXPECT_NE(file.bytes.find(R"(<SimpleField name="day" type="string")"), std::string::npos);
  // The document carries its description and the metadata, as LIBKML once wrote them.
  EXPECT_NE(file.bytes.find("<description>Test hotspots, County Durham"), std::string::npos);
  // Areas in square degrees against the plain shoelace of the input.
  EXPECT_NEAR(OGR_G_Area(features["Ring with hole"].geometry), 0.04 * 0.02 - 0.01 * 0.01, 1e-10);
}

TEST_F(VectorExport, KmlRefusesAnotherCrs) {
  ExportOptions options;
  options.target_crs = "EPSG:27700";
  auto file = export_geojson(sample(), ExportFormat::kml, options);
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().code, ErrorCode::invalid_parameter);
}

TEST_F(VectorExport, CsvHasWktForMixedGeometryAndXYForPoints) {
  const ExportedFile mixed = exported(ExportFormat::csv);
  EXPECT_EQ(mixed.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(mixed.bytes.rfind("WKT,", 0), 0u) << mixed.bytes.substr(0, 80);
  MemFile mem(mixed.bytes, ".csv");
  Dataset ds = open(mem.path());
  ASSERT_TRUE(ds);
  auto features = features_by_name(ds.get());
  ASSERT_EQ(features.size(), 3u);
  ASSERT_TRUE(features.count(kPointName));
  OGRGeometryH ring = nullptr;
  char* wkt = const_cast<char*>(features["Ring with hole"].fields.at("WKT").c_str());
  ASSERT_EQ(OGR_G_CreateFromWkt(&wkt, nullptr, &ring), OGRERR_NONE);
  EXPECT_NEAR(OGR_G_Area(ring), 0.04 * 0.02 - 0.01 * 0.01, 1e-10);
  OGR_G_DestroyGeometry(ring);

  const ExportedFile points = exported(ExportFormat::csv, sample(true, false));
  EXPECT_EQ(points.bytes.rfind("X,Y,", 0), 0u) << points.bytes.substr(0, 80);
  // The fixture's point went to EPSG:27700 and back: equal to about 1 mm.
  EXPECT_NE(points.bytes.find("-1.57339998"), std::string::npos);
  EXPECT_NE(points.bytes.find(",54.85859999"), std::string::npos);
  EXPECT_NE(points.bytes.find(kPointName), std::string::npos);
}

// Exports in British National Grid, by default or on request: one layer
// that says EPSG:27700 and holds the three sample features where PROJ puts
// them.
struct BngExport {
  ExportFormat format;
  std::string target_crs;  // empty: the format's default
  std::string file_name;
};

void PrintTo(const BngExport& c, std::ostream* os) { *os << c.file_name; }

class VectorExportInBng : public VectorExport, public ::testing::WithParamInterface<BngExport> {};

TEST_P(VectorExportInBng, FeaturesAreInBritishNationalGrid) {
  const BngExport& c = GetParam();
  ExportOptions options;
  options.target_crs = c.target_crs;
  const ExportedFile file = exported(c.format, sample(), options);
  EXPECT_EQ(file.file_name, c.file_name);
  MemFile mem(file.bytes, c.file_name.substr(c.file_name.rfind('.')));
  Dataset ds = open(mem.path());
  ASSERT_TRUE(ds);
  EXPECT_EQ(epsg_of(GDALDatasetGetLayer(ds.get(), 0)), "EPSG:27700");
  expect_bng_features(ds.get());
}

INSTANTIATE_TEST_SUITE_P(
    VectorExport, VectorExportInBng,
    ::testing::Values(BngExport{ExportFormat::flatgeobuf, "", "hotspots.fgb"},  // its default
                      BngExport{ExportFormat::geojson, "EPSG:27700", "hotspots.geojson"}),
    [](const ::testing::TestParamInfo<BngExport>& info) {
      return std::string(export_format_name(info.param.format));
    });

TEST_F(VectorExport, TargetCrsIsAnOptionAndOnlyEpsgCodesAreTaken) {
  ExportOptions options;
  options.target_crs = "EPSG:4326";
  const ExportedFile file = exported(ExportFormat::gpkg, sample(), options);
  MemFile mem(file.bytes, ".gpkg");
  Dataset ds = open(mem.path());
  ASSERT_TRUE(ds);
  EXPECT_EQ(epsg_of(GDALDatasetGetLayer(ds.get(), 0)), "EPSG:4326");

  for (const char* bad : {"/etc/passwd", "EPSG:", "+proj=longlat", "EPSG:27700x"}) {
    options.target_crs = bad;
    auto result = export_geojson(sample(), ExportFormat::gpkg, options);
    ASSERT_FALSE(result.has_value()) << bad;
    EXPECT_EQ(result.error().code, ErrorCode::invalid_parameter) << bad;
  }
  options.target_crs = "EPSG:999999";
  auto unknown = export_geojson(sample(), ExportFormat::gpkg, options);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::projection_failed);
}

TEST_F(VectorExport, TooManyFeaturesAreRefused) {
  ExportOptions options;
  options.max_features = 2;
  auto result = export_geojson(sample(), ExportFormat::gpkg, options);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::payload_too_large);
  options.max_features = 3;
  EXPECT_TRUE(export_geojson(sample(), ExportFormat::gpkg, options).has_value());
}

TEST_F(VectorExport, EmptyCollectionExportsToEveryFormat) {
  const std::string empty = R"({"type":"FeatureCollection","features":[]})";
  for (auto format : {ExportFormat::gpkg, ExportFormat::shapefile, ExportFormat::kml,
                      ExportFormat::csv, ExportFormat::flatgeobuf}) {
    auto file = export_geojson(empty, format, {});
    EXPECT_TRUE(file.has_value()) << export_format_name(format) << ": "
                                  << (file ? "" : file.error().message);
  }
}

TEST_F(VectorExport, ScratchFilesAreRemovedAndThreadsDoNotCollide) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      const auto format = i % 2 ? ExportFormat::gpkg : ExportFormat::shapefile;
      if (export_geojson(sample(), format, {}).has_value()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 4);
  const CPLStringList left(VSIReadDir("/vsimem/"));
  for (int i = 0; i < left.size(); ++i) {
    EXPECT_EQ(std::string(left[i]).find("hotspot-export"), std::string::npos) << left[i];
  }
}

}  // namespace
}  // namespace hotspot::render
