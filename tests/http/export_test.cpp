// The `format` parameter end to end through handle(): downloads open with
// OGR and hold what the GeoJSON answer holds.
#include "handler_fixture.hpp"

#include "hotspot/http/service.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <map>
#include <memory>
#include <string>

namespace hotspot::http {
namespace {

using nlohmann::json;
using Export = fixture::HandlerFixture;

const std::string* header(const Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return &v;
  }
  return nullptr;
}

// A response body as a /vsimem/ file, opened with OGR; both go with the object.
class Download {
 public:
  Download(const std::string& bytes, const std::string& name, const std::string& prefix = "") {
    static std::atomic<int> counter{0};
    path_ = "/vsimem/http-export-" + std::to_string(++counter) + "-" + name;
    auto* copy = static_cast<GByte*>(CPLMalloc(bytes.size()));
    std::memcpy(copy, bytes.data(), bytes.size());
    VSIFCloseL(VSIFileFromMemBuffer(path_.c_str(), copy, bytes.size(), TRUE));
    GDALAllRegister();
    ds_ = GDALOpenEx((prefix + path_).c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr,
                     nullptr);
  }
  ~Download() {
    if (ds_) GDALClose(ds_);
    VSIUnlink(path_.c_str());
  }
  GDALDatasetH dataset() const { return ds_; }
  const std::string& path() const { return path_; }

  GIntBig features() const {
    GIntBig n = 0;
    for (int l = 0; l < GDALDatasetGetLayerCount(ds_); ++l) {
      n += OGR_L_GetFeatureCount(GDALDatasetGetLayer(ds_, l), TRUE);
    }
    return n;
  }
  std::string epsg(int layer = 0) const {
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(GDALDatasetGetLayer(ds_, layer));
    if (!srs) return "none";
    const char* code = OSRGetAuthorityCode(srs, nullptr);
    return code ? std::string("EPSG:") + code : "unidentified";
  }

 private:
  std::string path_;
  GDALDatasetH ds_ = nullptr;
};

// The attachment's file name from Content-Disposition.
std::string attachment_name(const Response& r) {
  const std::string* disposition = header(r, "Content-Disposition");
  if (!disposition) return {};
  const std::string prefix = "attachment; filename=\"";
  if (disposition->rfind(prefix, 0) != 0 || disposition->back() != '"') return {};
  return disposition->substr(prefix.size(), disposition->size() - prefix.size() - 1);
}

// A download: 200, this content type, and an attachment named
// <stem>_<date...><extension>.
void expect_attachment(const Response& r, const std::string& content_type, const std::string& stem,
                       const std::string& extension) {
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(r.content_type, content_type);
  const std::string name = attachment_name(r);
  EXPECT_EQ(name.rfind(stem + "_20", 0), 0u) << name;
  EXPECT_TRUE(name.ends_with(extension)) << name;
}

TEST_F(Export, WardsAsGeoPackageHaveAllWardsInBritishNationalGrid) {
  const json geojson = body(get("/api/layers/wards"));
  ASSERT_EQ(geojson["features"].size(), 63u);

  const Response r = get("/api/layers/wards?format=gpkg");
  ASSERT_NO_FATAL_FAILURE(expect_attachment(r, "application/geopackage+sqlite3", "wards", ".gpkg"));

  Download d(r.body, "wards.gpkg");
  ASSERT_NE(d.dataset(), nullptr);
  ASSERT_EQ(GDALDatasetGetLayerCount(d.dataset()), 1);
  EXPECT_EQ(d.features(), 63);
  EXPECT_EQ(d.epsg(), "EPSG:27700");
  OGRLayerH layer = GDALDatasetGetLayer(d.dataset(), 0);
  const char* metadata = GDALGetMetadataItem(layer, "HOTSPOT_METADATA", nullptr);
  ASSERT_NE(metadata, nullptr);
  const json m = json::parse(metadata);
  EXPECT_EQ(m["endpoint"], geojson["metadata"]["endpoint"]);
  EXPECT_EQ(m["sources"], geojson["metadata"]["sources"]);

  // Every ward id of the GeoJSON answer is in the file, and the areas agree
  // with the answer's area_km2 (computed by the loader, not by the export).
  std::map<std::string, double> area_km2;
  for (const auto& f : geojson["features"]) {
    area_km2[f["properties"]["id"]] = f["properties"]["area_km2"].get<double>();
  }
  OGR_L_ResetReading(layer);
  const int id = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), "id");
  ASSERT_GE(id, 0);
  std::size_t matched = 0;
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
    const auto it = area_km2.find(OGR_F_GetFieldAsString(f, id));
    if (it != area_km2.end()) {
      ++matched;
      EXPECT_NEAR(OGR_G_Area(OGR_F_GetGeometryRef(f)) / 1e6, it->second, 1e-3 + it->second * 1e-6)
          << it->first;
    }
    OGR_F_Destroy(f);
  }
  EXPECT_EQ(matched, 63u);
}

TEST_F(Export, TownCentresAsShapefileZip) {
  const Response r = get("/api/layers/town-centres?format=shp");
  ASSERT_NO_FATAL_FAILURE(expect_attachment(r, "application/zip", "town-centres", ".zip"));
  Download d(r.body, "town-centres.zip", "/vsizip/");
  ASSERT_NE(d.dataset(), nullptr);
  EXPECT_EQ(d.features(), 12);
  EXPECT_EQ(d.epsg(), "EPSG:27700");
  const CPLStringList members(VSIReadDir(("/vsizip/" + d.path()).c_str()));
  EXPECT_GE(members.FindString("town_centres.prj"), 0);
  EXPECT_GE(members.FindString("town_centres.metadata.json"), 0);
}

TEST_F(Export, IncidentsAsCsvAndKml) {
  const Response csv = get("/api/incidents?format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body.substr(0, 300);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.rfind("X,Y,", 0), 0u) << csv.body.substr(0, 100);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'),
            static_cast<long>(fixture::kRows.size()) + 1);  // header + one line per incident

  const Response kml = get("/api/incidents?format=kml&category=violence");
  ASSERT_EQ(kml.status, 200) << kml.body.substr(0, 300);
  EXPECT_EQ(attachment_name(kml).rfind("incidents_category-violence_20", 0), 0u)
      << attachment_name(kml);
  Download d(kml.body, "incidents.kml");
  ASSERT_NE(d.dataset(), nullptr);
  EXPECT_EQ(d.features(), 2);  // kRows has two violence incidents
}

TEST_F(Export, HotspotAnswersDownload) {
  std::size_t total = 0;
  for (const char* path :
       {"/api/hotspots/dbscan", "/api/hotspots/kde", "/api/hotspots/gistar", "/api/stats/wards"}) {
    const Response plain = get(path);
    ASSERT_EQ(plain.status, 200) << path << ": " << plain.body.substr(0, 300);
    const std::size_t n = body(plain)["features"].size();
    const Response r = get(std::string(path) + "?format=gpkg");
    ASSERT_EQ(r.status, 200) << path << ": " << r.body.substr(0, 300);
    Download d(r.body, "h.gpkg");
    ASSERT_NE(d.dataset(), nullptr) << path;
    EXPECT_EQ(d.features(), static_cast<GIntBig>(n)) << path;
    total += n;
  }
  EXPECT_GT(total, 0u);  // not only empty collections
}

TEST_F(Export, BadFormatIsA400NamingTheAllowedValues) {
  expect_error(get("/api/layers/wards?format=xlsx"), 400, "invalid_parameter",
               "geojson, gpkg, shp, kml, csv, fgb");
  expect_error(get("/api/incidents?format=gpkg&format=shp"), 400, "invalid_parameter", "format");
}

TEST_F(Export, OnlyGeoJsonEndpointsTakeFormat) {
  expect_error(get("/api/health?format=gpkg"), 400, "unknown_parameter", "format");
  expect_error(get("/api/load-report?format=csv"), 400, "unknown_parameter", "format");
  expect_error(get("/api/profile?format=csv"), 400, "unknown_parameter", "format");
}

TEST_F(Export, HandlerErrorsPassThroughAndDefaultIsUnchanged) {
  expect_error(get("/api/incidents?format=gpkg&limit=abc"), 400, "invalid_parameter", "limit");
  const Response plain = get("/api/layers/town-centres");
  EXPECT_EQ(plain.content_type, "application/geo+json");
  EXPECT_EQ(header(plain, "Content-Disposition"), nullptr);
  const Response explicit_geojson = get("/api/layers/town-centres?format=geojson");
  EXPECT_EQ(explicit_geojson.content_type, "application/geo+json");
  EXPECT_TRUE(attachment_name(explicit_geojson).ends_with(".geojson"));
  EXPECT_EQ(body(explicit_geojson)["features"], body(plain)["features"]);
}

}  // namespace
}  // namespace hotspot::http
