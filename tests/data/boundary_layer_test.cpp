#include "hotspot/data/boundary_layer.hpp"

#include "hotspot/geo/crs.hpp"

#include <gdal.h>
#include <gdal_utils.h>
#include <geodesic.h>
#include <gtest/gtest.h>
#include <ogr_api.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <numeric>
#include <unistd.h>

namespace hotspot::data {
namespace {

namespace fs = std::filesystem;

const std::string kWards = std::string(HOTSPOT_SHARED_DIR) + "/geodata/ons/wards-E06000047.json";
const std::string kTownCentres = std::string(HOTSPOT_SOURCE_DIR) + "/geodata/town-centres.geojson";

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("hotspot-boundary-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name)) << text;
    return file(name);
  }

 private:
  fs::path path_;
};

// Loads `path` with the default options, or with what `set` changes in them.
Expected<BoundaryLayer> load(const std::string& path, FileReport& report,
                             const std::function<void(BoundaryOptions&)>& set = {}) {
  BoundaryOptions options;
  options.path = path;
  if (set) set(options);
  return load_boundaries(options, report);
}

// Ellipsoidal area of every feature, from the file's own lon/lat coordinates
// with PROJ's geodesic routines (Karney), independent of the loader.
std::vector<double> geodesic_areas(const std::string& path) {
  std::vector<double> out;
  geod_geodesic wgs84{};
  geod_init(&wgs84, 6378137, 1 / 298.257223563);
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  if (ds == nullptr) return out;
  OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    std::vector<OGRGeometryH> polygons;
    if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPolygon) {
      polygons.push_back(g);
    } else {
      for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i) polygons.push_back(OGR_G_GetGeometryRef(g, i));
    }
    double total = 0;
    for (OGRGeometryH poly : polygons) {
      for (int r = 0; r < OGR_G_GetGeometryCount(poly); ++r) {
        OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
        std::vector<double> lats, lons;
        for (int i = 0; i + 1 < OGR_G_GetPointCount(ring); ++i) {
          lons.push_back(OGR_G_GetX(ring, i));
          lats.push_back(OGR_G_GetY(ring, i));
        }
        double area = 0;
        geod_polygonarea(&wgs84, lats.data(), lons.data(), static_cast<int>(lats.size()), &area, nullptr);
        total += (r == 0 ? 1 : -1) * std::abs(area);  // holes subtract
      }
    }
    out.push_back(total);
    OGR_F_Destroy(f);
  }
  GDALClose(ds);
  return out;
}

// Rewrites `source` with ogr2ogr's library form, e.g. to a GeoPackage in EPSG:3857.
bool convert(const std::string& source, const std::string& target, const std::string& driver,
             const std::string& crs) {
  GDALDatasetH src = GDALOpenEx(source.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  if (src == nullptr) return false;
  std::vector<std::string> args = {"-f", driver, "-t_srs", crs, "-nln", "wards"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
  int usage_error = 0;
  GDALDatasetH out = GDALVectorTranslate(target.c_str(), nullptr, 1, &src, options, &usage_error);
  GDALVectorTranslateOptionsFree(options);
  const bool ok = out != nullptr && usage_error == 0;
  if (out != nullptr) GDALClose(out);
  GDALClose(src);
  return ok;
}

TEST(BoundaryLayer, LoadsTheRealWards) {
  FileReport report;
  auto layer = load(kWards, report);
  ASSERT_TRUE(layer) << layer.error().message;
  EXPECT_TRUE(report.loaded);
  EXPECT_EQ(report.rows_read, 63u);
  EXPECT_EQ(report.rows_accepted, 63u);
  EXPECT_EQ(report.rows_rejected, 0u);
  ASSERT_EQ(layer->size(), 63u);
  // WD13CD found on its own; the first feature of the file is Annfield Plain.
  EXPECT_EQ(layer->ids[0], "E05009030");
  EXPECT_EQ(layer->names[0], "Annfield Plain");
  EXPECT_EQ(layer->properties[0].at("WD13CDO"), "00EJPT");
  EXPECT_EQ(layer->properties[0].count("WD13CD"), 0u);
  for (const std::string& id : layer->ids) EXPECT_EQ(id.rfind("E05", 0), 0u) << id;
  EXPECT_EQ(layer->find("E05009030"), 0);
  EXPECT_EQ(layer->find("nope"), -1);
  ASSERT_TRUE(layer->index);
  EXPECT_EQ(layer->index->size(), 63u);
  EXPECT_EQ(layer->geometries.size(), 63u);
  EXPECT_EQ(layer->lonlat.size(), 63u);

  for (const auto& g : layer->geometries) EXPECT_TRUE(geo::is_valid(g.get()));
  for (double a : layer->area_m2) EXPECT_GT(a, 0);

  // Grid areas against ellipsoidal areas of the same rings: at Durham, about
  // 27 km east of the grid's central meridian, the National Grid scale factor
  // is 0.99961, so grid areas are smaller by k^2 = 0.99922.
  const std::vector<double> geodesic = geodesic_areas(kWards);
  ASSERT_EQ(geodesic.size(), 63u);
  for (std::size_t i = 0; i < 63; ++i) {
    EXPECT_NEAR(layer->area_m2[i] / geodesic[i], 0.99922, 0.0002) << layer->ids[i];
  }
  const double total = std::accumulate(layer->area_m2.begin(), layer->area_m2.end(), 0.0);
  EXPECT_NEAR(total / 1e6, 2232, 15);

  // The extent covers every envelope and sits in the grid square of Durham.
  for (const geo::Box& b : layer->envelopes) {
    EXPECT_TRUE(layer->extent.contains({b.min_x, b.min_y}) && layer->extent.contains({b.max_x, b.max_y}));
  }
  EXPECT_GT(layer->extent.min_x, 370000);
  EXPECT_LT(layer->extent.max_x, 460000);
  EXPECT_GT(layer->extent.min_y, 500000);
  EXPECT_LT(layer->extent.max_y, 570000);
}

TEST(BoundaryLayer, LonLatRingsAreRfc7946AndMatchTheSource) {
  FileReport report;
  auto layer = load(kWards, report);
  ASSERT_TRUE(layer);
  for (const auto& parts : layer->lonlat) {
    for (const auto& rings : parts) {
      EXPECT_GT(geo::signed_area(rings[0]), 0);  // the file's rings are clockwise
      for (std::size_t r = 1; r < rings.size(); ++r) EXPECT_LT(geo::signed_area(rings[r]), 0);
      for (const geo::Point& p : rings[0]) {
        ASSERT_GT(p.x, -2.5);
        ASSERT_LT(p.x, -1.0);
        ASSERT_GT(p.y, 54.4);
        ASSERT_LT(p.y, 55.0);
      }
    }
  }
  // The first ward's first vertex, as written in the file.
  double closest = 1;
  for (const geo::Point& p : layer->lonlat[0][0][0]) {
    closest = std::min(closest, std::hypot(p.x - -1.749256347820712, p.y - 54.878772846737895));
  }
  EXPECT_LT(closest, 1e-7) << closest;  // about a centimetre
}

TEST(BoundaryLayer, OtherFormatsAndProjectionsGiveTheSameLayer) {
  TempDir dir;
  FileReport base_report;
  auto base = load(kWards, base_report);
  ASSERT_TRUE(base);
  struct Case {
    std::string file, driver, crs;
  };
  const std::vector<Case> cases = {{"wards-27700.gpkg", "GPKG", "EPSG:27700"},
                                   {"wards-3857.gpkg", "GPKG", "EPSG:3857"},
                                   {"wards-4326.gpkg", "GPKG", "EPSG:4326"},  // latitude-first CRS
                                   {"wards-27700.shp", "ESRI Shapefile", "EPSG:27700"},
                                   {"wards-3857.shp", "ESRI Shapefile", "EPSG:3857"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    ASSERT_TRUE(convert(kWards, dir.file(c.file), c.driver, c.crs));
    FileReport report;
    auto layer = load(dir.file(c.file), report);
    ASSERT_TRUE(layer) << layer.error().message;
    ASSERT_EQ(layer->ids, base->ids);
    EXPECT_EQ(layer->names, base->names);
    for (std::size_t i = 0; i < base->size(); ++i) {
      EXPECT_NEAR(layer->area_m2[i] / base->area_m2[i], 1.0, 1e-5) << layer->ids[i];
    }
    EXPECT_NEAR(layer->extent.min_x, base->extent.min_x, 1.0);
    EXPECT_NEAR(layer->extent.max_y, base->extent.max_y, 1.0);
  }
}

// The report's content hash covers every file of the dataset: a Shapefile
// whose .dbf alone changes (same size, same .shp) hashes differently.
TEST(BoundaryLayer, ContentHashCoversEverySidecarFile) {
  TempDir dir;
  const std::string shp = dir.file("wards.shp");
  GDALAllRegister();  // convert() may run before any load() registered the drivers
  ASSERT_TRUE(convert(kWards, shp, "ESRI Shapefile", "EPSG:27700"));
  FileReport before;
  ASSERT_TRUE(load(shp, before));
  EXPECT_NE(before.content_hash, 0u);
  FileReport again;
  ASSERT_TRUE(load(shp, again));
  EXPECT_EQ(again.content_hash, before.content_hash);

  const std::string dbf = dir.file("wards.dbf");
  std::string bytes;
  {
    std::ifstream in(dbf, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const std::size_t at = bytes.find("Annfield Plain");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 14, "Annfield Plaim");
  std::ofstream(dbf, std::ios::binary | std::ios::trunc) << bytes;
  FileReport after;
  auto layer = load(shp, after);
  ASSERT_TRUE(layer);
  EXPECT_NE(std::find(layer->names.begin(), layer->names.end(), "Annfield Plaim"),
            layer->names.end());
  EXPECT_NE(after.content_hash, before.content_hash);
}

TEST(BoundaryLayer, BowTieIsRepairedAndNoted) {
  //   +   +        feature "bow": the ring crosses itself in the middle;
  //   |\ /|        MakeValid turns it into two triangles
  //   | X |
  //   |/ \|        feature "ok": a plain square beside it
  //   +   +
  TempDir dir;
  const std::string path = dir.write("bowtie.geojson", R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"code":"bow","name":"Bow tie"},"geometry":{"type":"Polygon",
      "coordinates":[[[-1.60,54.70],[-1.58,54.72],[-1.58,54.70],[-1.60,54.72],[-1.60,54.70]]]}},
    {"type":"Feature","properties":{"code":"ok","name":"Square"},"geometry":{"type":"Polygon",
      "coordinates":[[[-1.50,54.70],[-1.48,54.70],[-1.48,54.72],[-1.50,54.72],[-1.50,54.70]]]}}]})");
  FileReport report;
  auto layer = load(path, report);
  ASSERT_TRUE(layer) << layer.error().message;
  ASSERT_EQ(layer->size(), 2u);
  EXPECT_EQ(layer->ids[0], "bow");
  EXPECT_TRUE(geo::is_valid(layer->geometries[0].get()));
  EXPECT_EQ(geo::polygon_rings(layer->geometries[0].get()).size(), 2u);
  // Two triangles make half of a square the size of the "ok" one.
  EXPECT_NEAR(layer->area_m2[0] / layer->area_m2[1], 0.5, 0.005);
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_NE(report.notes[0].find("'bow'"), std::string::npos) << report.notes[0];
  EXPECT_NE(report.notes[0].find("MakeValid"), std::string::npos) << report.notes[0];
}

TEST(BoundaryLayer, PolygonsAndMultiPolygonsLoadAndOtherGeometriesAreSkipped) {
  //  feature 1 "single": Polygon                  +--+
  //  feature 2 "multi":  MultiPolygon, two parts  |  |   +--+
  //                      the second with a hole   +--+   |[]|
  //  feature 3: a Point     -> skipped, noted             +--+
  //  feature 4: no geometry -> skipped, noted
  TempDir dir;
  const std::string path = dir.write("mixed.geojson", R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"code":"single"},"geometry":{"type":"Polygon",
      "coordinates":[[[-1.60,54.70],[-1.59,54.70],[-1.59,54.71],[-1.60,54.71],[-1.60,54.70]]]}},
    {"type":"Feature","properties":{"code":"multi"},"geometry":{"type":"MultiPolygon","coordinates":[
      [[[-1.50,54.70],[-1.49,54.70],[-1.49,54.71],[-1.50,54.71],[-1.50,54.70]]],
      [[[-1.40,54.70],[-1.37,54.70],[-1.37,54.73],[-1.40,54.73],[-1.40,54.70]],
       [[-1.39,54.71],[-1.39,54.72],[-1.38,54.72],[-1.38,54.71],[-1.39,54.71]]]]}},
    {"type":"Feature","properties":{"code":"dot"},"geometry":{"type":"Point","coordinates":[-1.5,54.7]}},
    {"type":"Feature","properties":{"code":"none"},"geometry":null}]})");
  FileReport report;
  auto layer = load(path, report);
  ASSERT_TRUE(layer) << layer.error().message;
  ASSERT_EQ(layer->size(), 2u);
  EXPECT_EQ(layer->ids, (std::vector<std::string>{"single", "multi"}));
  EXPECT_EQ(report.rows_read, 4u);
  EXPECT_EQ(report.rows_accepted, 2u);
  EXPECT_EQ(report.rows_rejected, 2u);
  EXPECT_EQ(report.issues[RowIssue::malformed_row], 2u);
  ASSERT_EQ(report.notes.size(), 2u);
  EXPECT_NE(report.notes[0].find("'dot'"), std::string::npos) << report.notes[0];
  EXPECT_NE(report.notes[1].find("'none'"), std::string::npos) << report.notes[1];
  ASSERT_EQ(layer->lonlat[1].size(), 2u);
  EXPECT_EQ(layer->lonlat[1][1].size(), 2u);  // the hole survives

  auto to_grid = geo::Transformer::create(geo::kWgs84, geo::kWorkingCrs);
  ASSERT_TRUE(to_grid);
  EXPECT_EQ(layer->index->locate(to_grid->transform(geo::Point{-1.595, 54.705})), 0);
  EXPECT_EQ(layer->index->locate(to_grid->transform(geo::Point{-1.495, 54.705})), 1);  // first part
  EXPECT_EQ(layer->index->locate(to_grid->transform(geo::Point{-1.395, 54.725})), 1);  // second part
  EXPECT_EQ(layer->index->locate(to_grid->transform(geo::Point{-1.385, 54.715})), geo::PolygonIndex::kNone);
}

TEST(BoundaryLayer, ExplicitFieldsOverrideDetectionAndMissingIdsUsePositions) {
  FileReport report;
  auto layer = load(kWards, report, [](BoundaryOptions& o) {
    o.id_field = "wd13nm";  // case does not matter
    o.name_field = "WD13CD";
  });
  ASSERT_TRUE(layer) << layer.error().message;
  EXPECT_EQ(layer->ids[0], "Annfield Plain");
  EXPECT_EQ(layer->names[0], "E05009030");

  TempDir dir;
  const std::string path = dir.write("anon.geojson", R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"colour":"red"},"geometry":{"type":"Polygon",
      "coordinates":[[[-1.60,54.70],[-1.59,54.70],[-1.59,54.71],[-1.60,54.71],[-1.60,54.70]]]}}]})");
  FileReport anon_report;
  auto anon = load(path, anon_report);
  ASSERT_TRUE(anon) << anon.error().message;
  EXPECT_EQ(anon->ids[0], "1");
  EXPECT_EQ(anon->properties[0].at("colour"), "red");
  ASSERT_FALSE(anon_report.notes.empty());
  EXPECT_NE(anon_report.notes[0].find("no id field"), std::string::npos);
}

TEST(BoundaryLayer, ExplicitSourceCrsOverridesTheFile) {
  // GeoJSON without a "crs" member reads as WGS84; these are grid metres.
  TempDir dir;
  const std::string path = dir.write("grid.geojson", R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"code":"km"},"geometry":{"type":"Polygon",
      "coordinates":[[[427000,542000],[428000,542000],[428000,543000],[427000,543000],[427000,542000]]]}}]})");
  FileReport report;
  auto layer = load(path, report, [](BoundaryOptions& o) { o.source_crs = "EPSG:27700"; });
  ASSERT_TRUE(layer) << layer.error().message;
  EXPECT_NEAR(layer->area_m2[0], 1e6, 1e-3);
  EXPECT_NEAR(layer->extent.min_x, 427000, 1e-6);
  // The output ring is back in degrees, near Durham.
  EXPECT_NEAR(layer->lonlat[0][0][0][0].x, -1.58, 0.02);
  EXPECT_NEAR(layer->lonlat[0][0][0][0].y, 54.77, 0.02);

  FileReport bad_report;
  auto bad = load(path, bad_report, [](BoundaryOptions& o) { o.source_crs = "EPSG:999999"; });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::projection_failed);
  EXPECT_NE(bad.error().message.find(path), std::string::npos);
}

void expect_error_naming(const std::string& path, const std::string& id_field, ErrorCode code,
                         const std::string& reason_part) {
  FileReport report;
  report.loaded = true;
  auto layer = load(path, report, [&](BoundaryOptions& o) { o.id_field = id_field; });
  ASSERT_FALSE(layer) << path;
  EXPECT_EQ(layer.error().code, code) << layer.error().message;
  EXPECT_NE(layer.error().message.find(path), std::string::npos) << layer.error().message;
  EXPECT_NE(layer.error().message.find(reason_part), std::string::npos) << layer.error().message;
  EXPECT_FALSE(report.loaded);
  EXPECT_EQ(report.error, layer.error().message);
}

TEST(BoundaryLayer, UnusableFilesAreErrorsThatNameTheFile) {
  TempDir dir;
  expect_error_naming(dir.file("missing.geojson"), "", ErrorCode::unreadable_input, "cannot be opened");
  expect_error_naming(dir.write("notes.txt", "These are meeting notes, not a map.\nSecond line.\n"), "",
                      ErrorCode::unreadable_input, "cannot be opened");
  expect_error_naming(dir.write("empty.geojson", R"({"type":"FeatureCollection","features":[]})"), "",
                      ErrorCode::empty_input, "no usable polygons");
  expect_error_naming(dir.write("points.geojson", R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"code":"a"},"geometry":{"type":"Point","coordinates":[-1.5,54.7]}}]})"),
                      "", ErrorCode::empty_input, "no usable polygons");
  expect_error_naming(kWards, "WARD_CODE", ErrorCode::unreadable_input, "WARD_CODE");
}

TEST(BoundaryLayer, MissingLayerIsAnError) {
  FileReport report;
  auto layer = load(kWards, report, [](BoundaryOptions& o) { o.layer_name = "no-such-layer"; });
  ASSERT_FALSE(layer);
  EXPECT_NE(layer.error().message.find("no-such-layer"), std::string::npos);
  EXPECT_NE(layer.error().message.find(kWards), std::string::npos);
}

TEST(BoundaryLayer, BundledTownCentresLoad) {
  FileReport report;
  auto layer = load(kTownCentres, report, [](BoundaryOptions& o) { o.kind = "town-centres"; });
  ASSERT_TRUE(layer) << layer.error().message;
  ASSERT_EQ(layer->size(), 12u);
  EXPECT_TRUE(report.notes.empty());  // nothing needed repair
  EXPECT_EQ(report.kind, "town-centres");
  EXPECT_EQ(layer->names[layer->find("durham-city")], "Durham City");
  for (std::size_t i = 0; i < layer->size(); ++i) {
    EXPECT_EQ(layer->properties[i].at("illustrative"), "true") << layer->ids[i];
    EXPECT_NE(layer->properties[i].at("note").find("not an official boundary"), std::string::npos);
    // A few hundred metres across: between 200 m and 1.2 km square.
    EXPECT_GT(layer->area_m2[i], 200.0 * 200.0) << layer->ids[i];
    EXPECT_LT(layer->area_m2[i], 1200.0 * 1200.0) << layer->ids[i];
  }
  // Durham Market Place (OS grid 427391, 542514) is in Durham City's centre.
  EXPECT_EQ(layer->index->locate({427391.0, 542514.3}), layer->find("durham-city"));

  // Every town centre lies inside the county's wards.
  FileReport ward_report;
  auto wards = load(kWards, ward_report);
  ASSERT_TRUE(wards);
  for (const geo::Box& b : layer->envelopes) {
    const geo::Point centre{(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2};
    EXPECT_NE(wards->index->locate(centre), geo::PolygonIndex::kNone);
  }
}

}  // namespace
}  // namespace hotspot::data
