#pragma once
// The vector tile tests' fixture: the bundled layers and synthetic incidents,
// tiles decoded by GDAL's MVT reader, and the brute force they are compared
// with: the incidents /api/incidents selects, reprojected to Web Mercator by
// OGR from the loaded rows (not the server's code).
#include "../common/bundled_layers.hpp"
#include "hotspot/engine/disclosure.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/service.hpp"

#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <vector>

namespace hotspot::http::tile_testing {

using nlohmann::json;

inline constexpr double kHalf = 20037508.342789244;  // half the Web Mercator square, metres
inline constexpr double kExtent = 4096, kBuffer = 80;
inline constexpr int kCells = 16;

struct Tile {
  int z, x, y;
  std::string path() const {
    return std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y);
  }
  double size() const { return 2 * kHalf / std::ldexp(1.0, z); }
  double west() const { return -kHalf + x * size(); }
  double north() const { return kHalf - y * size(); }
};

struct Merc {
  double x, y;
};

// The tile holding a lon/lat at zoom z (the slippy-map formula).
inline Tile tile_of(double lon, double lat, int z) {
  const double n = std::ldexp(1.0, z), rad = lat * std::numbers::pi / 180;
  return {z, static_cast<int>((lon + 180) / 360 * n),
          static_cast<int>((1 - std::asinh(std::tan(rad)) / std::numbers::pi) / 2 * n)};
}

struct Decoded {
  std::map<std::string, std::string> fields;  // set fields only, as text
  double x = 0, y = 0;                        // a point's position (EPSG:3857)
};
using Layers = std::map<std::string, std::vector<Decoded>>;

// The tile's bytes read by GDAL's MVT driver from a z/x/y.pbf path, so that
// it georeferences them in EPSG:3857.
inline Layers decode(const std::string& bytes, const Tile& t) {
  Layers out;
  if (bytes.empty()) return out;
  static std::atomic<int> counter{0};
  const std::string dir = "/vsimem/tiles-test-" + std::to_string(++counter);
  const std::string path = dir + "/" + t.path() + ".pbf";
  VSILFILE* f = VSIFileFromMemBuffer(path.c_str(),
                                     reinterpret_cast<GByte*>(const_cast<char*>(bytes.data())),
                                     bytes.size(), FALSE);
  VSIFCloseL(f);
  const char* drivers[] = {"MVT", nullptr};
  GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR, drivers, nullptr, nullptr);
  EXPECT_NE(ds, nullptr) << "GDAL cannot read the tile " << t.path();
  for (int l = 0; ds && l < GDALDatasetGetLayerCount(ds); ++l) {
    OGRLayerH layer = GDALDatasetGetLayer(ds, l);
    auto& features = out[OGR_L_GetName(layer)];
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
      Decoded d;
      for (int i = 0; i < OGR_F_GetFieldCount(f); ++i) {
        if (!OGR_F_IsFieldSetAndNotNull(f, i)) continue;
        d.fields[OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, i))] = OGR_F_GetFieldAsString(f, i);
      }
      if (OGRGeometryH g = OGR_F_GetGeometryRef(f);
          g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint) {
        d.x = OGR_G_GetX(g, 0);
        d.y = OGR_G_GetY(g, 0);
      }
      features.push_back(std::move(d));
      OGR_F_Destroy(f);
    }
  }
  if (ds) GDALClose(ds);
  VSIRmdirRecursive(dir.c_str());
  return out;
}

class Tiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = new data::Store;
    store_->replace(testing::load_with_bundled_layers(HOTSPOT_SOURCE_DIR
                                                      "/geodata/incidents-synthetic.csv"));
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
  }

  Context context(bool public_mode = false) const {
    Context c;
    c.store = store_;
    c.disclosure.public_mode = public_mode;
    return c;
  }

  static Response get(const std::string& target, const Context& c) {
    auto request = make_request("GET", target);
    if (!request) return error_response(request.error());
    request->headers.emplace_back("host", "gis.example:8080");
    return handle(*request, c);
  }
  Response get(const std::string& target) const { return get(target, context()); }

  // Every incident /api/incidents selects with `query`: id and Web Mercator
  // position, reprojected by OGR from the loaded row's exact EPSG:27700
  // coordinates (the GeoJSON's 6 decimals are 0.2 m off in Web Mercator).
  std::map<std::string, Merc> incidents(const std::string& query = "") const {
    const data::IncidentTable& table = *store_->current()->incidents;
    OGRSpatialReferenceH bng = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(bng, 27700);
    OGRSpatialReferenceH web = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(web, 3857);
    OSRSetAxisMappingStrategy(web, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH to_web = OCTNewCoordinateTransformation(bng, web);
    std::map<std::string, Merc> out;
    for (std::size_t offset = 0;;) {
      const Response r = get("/api/incidents?limit=10000&offset=" + std::to_string(offset) + query);
      EXPECT_EQ(r.status, 200) << r.body;
      const json b = json::parse(r.body);
      for (const auto& f : b["features"]) {
        const auto i = f["id"].get<std::size_t>();
        double x = table.x[i], y = table.y[i];
        EXPECT_TRUE(OCTTransform(to_web, 1, &x, &y, nullptr));
        out[std::to_string(i)] = {x, y};
      }
      if (b["metadata"]["paging"]["next_offset"].is_null()) break;
      offset = b["metadata"]["paging"]["next_offset"];
    }
    OCTDestroyCoordinateTransformation(to_web);
    OSRRelease(bng);
    OSRRelease(web);
    return out;
  }

  static void expect_error(const Response& r, int status, const std::string& code,
                           const std::string& mentions) {
    EXPECT_EQ(r.status, status) << r.body;
    const json b = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(b.is_object()) << r.body;
    EXPECT_EQ(b["error"]["code"], code) << r.body;
    EXPECT_NE(b["error"]["message"].get<std::string>().find(mentions), std::string::npos) << r.body;
  }

  static inline data::Store* store_ = nullptr;
};

// Durham city centre, where the synthetic incidents are densest.
inline constexpr double kLon = -1.5757, kLat = 54.7768;

// Whether the tile holds p: [west, east) x (south, north].
inline bool holds(const Tile& t, const Merc& p) {
  return p.x >= t.west() && p.x < t.west() + t.size() && p.y > t.north() - t.size() &&
         p.y <= t.north();
}

// Counts per cell worked out from the incidents: [west, east) x (south, north].
inline std::map<std::string, std::int64_t> brute_cells(const std::map<std::string, Merc>& points,
                                                const Tile& t) {
  std::map<std::string, std::int64_t> cells;
  const double cell = t.size() / kCells;
  for (const auto& [id, p] : points) {
    if (!holds(t, p)) continue;
    const int column = std::min(kCells - 1, static_cast<int>((p.x - t.west()) / cell));
    const int row = std::min(kCells - 1, static_cast<int>((t.north() - p.y) / cell));
    ++cells[std::to_string(column) + "," + std::to_string(row)];
  }
  return cells;
}

inline std::map<std::string, std::int64_t> decoded_cells(const Layers& layers) {
  std::map<std::string, std::int64_t> out;
  if (!layers.contains("incident_cells")) return out;
  for (const auto& d : layers.at("incident_cells")) {
    out[d.fields.at("id")] = d.fields.contains("count") ? std::stoll(d.fields.at("count")) : -1;
  }
  return out;
}

}  // namespace hotspot::http::tile_testing
