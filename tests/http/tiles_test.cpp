// /tiles/{layer}/{z}/{x}/{y}.mvt and /tiles/{layer}.json over the bundled
// layers and synthetic incidents. Tiles are decoded by GDAL's MVT reader and
// compared with brute force worked out here: the incidents /api/incidents
// selects, reprojected to Web Mercator by OGR (not the server's code), and
// the polygons of /api/layers/wards and /api/hotspots/dbscan likewise.
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
#include <thread>
#include <vector>

namespace hotspot::http {
namespace {

using nlohmann::json;

constexpr double kHalf = 20037508.342789244;  // half the Web Mercator square, metres
constexpr double kExtent = 4096, kBuffer = 80;
constexpr int kCells = 16;

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
Tile tile_of(double lon, double lat, int z) {
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
Layers decode(const std::string& bytes, const Tile& t) {
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
constexpr double kLon = -1.5757, kLat = 54.7768;

// Whether the tile holds p: [west, east) x (south, north].
bool holds(const Tile& t, const Merc& p) {
  return p.x >= t.west() && p.x < t.west() + t.size() && p.y > t.north() - t.size() &&
         p.y <= t.north();
}

// Counts per cell worked out from the incidents: [west, east) x (south, north].
std::map<std::string, std::int64_t> brute_cells(const std::map<std::string, Merc>& points,
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

std::map<std::string, std::int64_t> decoded_cells(const Layers& layers) {
  std::map<std::string, std::int64_t> out;
  if (!layers.contains("incident_cells")) return out;
  for (const auto& d : layers.at("incident_cells")) {
    out[d.fields.at("id")] = d.fields.contains("count") ? std::stoll(d.fields.at("count")) : -1;
  }
  return out;
}

TEST_F(Tiles, LowZoomCellsSumToTheIncidentsInsideTheTile) {
  const auto points = incidents();
  ASSERT_GT(points.size(), 10000u);
  for (int z : {6, 9, 11, 13}) {
    // The city's tile and its eastern neighbour: cells on both sides of an edge.
    for (int dx : {0, 1}) {
      Tile t = tile_of(kLon, kLat, z);
      t.x += dx;
      const Response r = get("/tiles/incidents/" + t.path() + ".mvt");
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(r.content_type, "application/vnd.mapbox-vector-tile");
      const Layers layers = decode(r.body, t);
      EXPECT_FALSE(layers.contains("incidents")) << "points below zoom 14";
      const auto expected = brute_cells(points, t);
      EXPECT_EQ(decoded_cells(layers), expected) << t.path();
      std::int64_t sum = 0;
      for (const auto& [id, n] : expected) sum += n;
      if (z == 6 && dx == 0) {
        EXPECT_EQ(static_cast<std::size_t>(sum), points.size()) << "all of the county";
      }
    }
  }
}

TEST_F(Tiles, HighZoomPointsAreTheIncidentsInsideTheTile) {
  // GDAL's MVT writer puts a point in the one tile that holds it (not in
  // its neighbours' buffers), so a tile holds its own points only.
  const auto points = incidents("&category=violence");
  for (int z : {14, 16}) {
    for (int dy : {0, 1}) {
      Tile t = tile_of(kLon, kLat, z);
      t.y += dy;
      std::set<std::string> expected;
      for (const auto& [id, p] : points) {
        if (holds(t, p)) expected.insert(id);
      }
      const Response r = get("/tiles/incidents/" + t.path() + ".mvt?category=violence");
      ASSERT_EQ(r.status, 200) << r.body;
      const Layers layers = decode(r.body, t);
      std::set<std::string> got;
      if (layers.contains("incidents")) {
        for (const auto& d : layers.at("incidents")) {
          got.insert(d.fields.at("id"));
          EXPECT_EQ(d.fields.at("category"), "violence");
          // Positions to the tile's resolution.
          const Merc& p = points.at(d.fields.at("id"));
          EXPECT_NEAR(d.x, p.x, t.size() / kExtent);
          EXPECT_NEAR(d.y, p.y, t.size() / kExtent);
        }
      }
      EXPECT_EQ(got, expected) << t.path();
      if (dy == 0) {
        EXPECT_FALSE(expected.empty()) << "the city tile has violence";
      }
    }
  }
}

// Polygons of a GeoJSON answer in EPSG:3857, by id.
std::map<std::string, OGRGeometryH> polygons_3857(const json& collection) {
  OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(wgs84, 4326);
  // GeoJSON is lon/lat: traditional GIS order, not EPSG:4326's lat/lon.
  OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReferenceH web = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(web, 3857);
  OSRSetAxisMappingStrategy(web, OAMS_TRADITIONAL_GIS_ORDER);
  OGRCoordinateTransformationH to_web = OCTNewCoordinateTransformation(wgs84, web);
  std::map<std::string, OGRGeometryH> out;
  for (const auto& f : collection["features"]) {
    OGRGeometryH g = OGR_G_CreateGeometryFromJson(f["geometry"].dump().c_str());
    OGR_G_Transform(g, to_web);
    out[f["id"].get<std::string>()] = g;
  }
  OCTDestroyCoordinateTransformation(to_web);
  OSRRelease(wgs84);
  OSRRelease(web);
  return out;
}

OGRGeometryH box(double min_x, double min_y, double max_x, double max_y) {
  OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
  OGR_G_AddPoint_2D(ring, min_x, min_y);
  OGR_G_AddPoint_2D(ring, max_x, min_y);
  OGR_G_AddPoint_2D(ring, max_x, max_y);
  OGR_G_AddPoint_2D(ring, min_x, max_y);
  OGR_G_AddPoint_2D(ring, min_x, min_y);
  OGRGeometryH polygon = OGR_G_CreateGeometry(wkbPolygon);
  OGR_G_AddGeometryDirectly(polygon, ring);
  return polygon;
}

// The decoded ids of `layer` lie between what must be there (a part of at
// least 4 x 4 tile units inside the tile) and what may be (touching the tile
// grown by its buffer and a unit).
void expect_polygons(const std::string& target, const std::string& layer,
                     const std::map<std::string, OGRGeometryH>& polygons, const Tile& t,
                     const Layers& layers) {
  const double unit = t.size() / kExtent;
  const double grow = (kBuffer + 1) * unit;
  OGRGeometryH tile = box(t.west(), t.north() - t.size(), t.west() + t.size(), t.north());
  OGRGeometryH drawn = box(t.west() - grow, t.north() - t.size() - grow,
                           t.west() + t.size() + grow, t.north() + grow);
  std::set<std::string> must, may, got;
  for (const auto& [id, g] : polygons) {
    if (OGR_G_Intersects(g, drawn)) may.insert(id);
    OGRGeometryH inside = OGR_G_Intersection(g, tile);
    if (inside && OGR_G_Area(inside) >= 16 * unit * unit) must.insert(id);
    OGR_G_DestroyGeometry(inside);
  }
  if (layers.contains(layer)) {
    for (const auto& d : layers.at(layer)) got.insert(d.fields.at("id"));
  }
  for (const auto& id : must) EXPECT_TRUE(got.contains(id)) << target << " lacks " << id;
  for (const auto& id : got) EXPECT_TRUE(may.contains(id)) << target << " has " << id;
  EXPECT_EQ(got.size(), layers.contains(layer) ? layers.at(layer).size() : 0u) << "ids repeat";
  OGR_G_DestroyGeometry(tile);
  OGR_G_DestroyGeometry(drawn);
}

void destroy(std::map<std::string, OGRGeometryH>& polygons) {
  for (auto& [id, g] : polygons) OGR_G_DestroyGeometry(g);
}

TEST_F(Tiles, WardTilesHoldTheWardsThatMeetTheTile) {
  auto wards = polygons_3857(json::parse(get("/api/layers/wards").body));
  ASSERT_EQ(wards.size(), 63u);
  std::size_t seen = 0;
  for (int z : {7, 10, 12, 14}) {
    const Tile t = tile_of(kLon, kLat, z);
    const std::string target = "/tiles/wards/" + t.path() + ".mvt";
    const Response r = get(target);
    ASSERT_EQ(r.status, 200) << r.body;
    const Layers layers = decode(r.body, t);
    expect_polygons(target, "wards", wards, t, layers);
    seen += layers.contains("wards") ? layers.at("wards").size() : 0;
    if (layers.contains("wards")) {
      EXPECT_TRUE(layers.at("wards").front().fields.contains("name"));
    }
  }
  EXPECT_GT(seen, 4u);
  destroy(wards);
}

TEST_F(Tiles, ClusterTilesTakeTheDbscanParameters) {
  for (const std::string query : {"", "?eps=200&min_points=20&category=violence"}) {
    const Response api = get("/api/hotspots/dbscan" + query);
    ASSERT_EQ(api.status, 200) << api.body;
    auto clusters = polygons_3857(json::parse(api.body));
    ASSERT_FALSE(clusters.empty()) << query;
    for (int z : {10, 13}) {
      const Tile t = tile_of(kLon, kLat, z);
      const std::string target = "/tiles/clusters/" + t.path() + ".mvt" + query;
      const Response r = get(target);
      ASSERT_EQ(r.status, 200) << r.body;
      const Layers layers = decode(r.body, t);
      ASSERT_TRUE(layers.contains("clusters")) << target;
      expect_polygons(target, "clusters", clusters, t, layers);
    }
    destroy(clusters);
  }
  // The same rules as /api/hotspots/dbscan, from the same parser.
  const std::string bad = "?eps=0";
  const Response api = get("/api/hotspots/dbscan" + bad);
  const Response tile = get("/tiles/clusters/10/505/327.mvt" + bad);
  EXPECT_EQ(tile.status, 400);
  EXPECT_EQ(json::parse(tile.body), json::parse(api.body));
}

TEST_F(Tiles, BadAddressesAreRefusedWithJsonErrors) {
  expect_error(get("/tiles/wards/23/0/0.mvt"), 400, "invalid_parameter", "{z}");
  expect_error(get("/tiles/wards/-1/0/0.mvt"), 400, "invalid_parameter", "{z}");
  expect_error(get("/tiles/wards/2/4/0.mvt"), 400, "invalid_parameter", "{x}");
  expect_error(get("/tiles/wards/2/0/4.mvt"), 400, "invalid_parameter", "{y}");
  expect_error(get("/tiles/wards/2/0/1e0.mvt"), 400, "invalid_parameter", "{y}");
  expect_error(get("/tiles/wards/2/0/.mvt"), 400, "invalid_parameter", "{y}");
  expect_error(get("/tiles/wards/0x1/0/0.mvt"), 400, "invalid_parameter", "{z}");
  expect_error(get("/tiles/wards/22/4194304/0.mvt"), 400, "invalid_parameter", "4194303");
  expect_error(get("/tiles/roads/1/0/0.mvt"), 404, "not_found", "incidents, wards");
  expect_error(get("/tiles/wards/1/0/0.png"), 404, "not_found", "{y}.mvt");
  expect_error(get("/tiles/wards/1/0/0/1.mvt"), 404, "not_found", "/tiles/wards/1/0/0/1.mvt");
  expect_error(get("/tiles/wards/1/0/0.mvt?x=1"), 400, "unknown_parameter", "x");
  expect_error(get("/tiles/incidents/1/0/0.mvt?limit=5"), 400, "unknown_parameter", "limit");
  expect_error(get("/tiles/roads.json"), 404, "not_found", "clusters");
  // The highest zoom's last tile is a tile (far from the data: empty).
  const Response last = get("/tiles/wards/22/4194303/4194303.mvt");
  EXPECT_EQ(last.status, 200) << last.body;
  EXPECT_TRUE(last.body.empty());
}

TEST_F(Tiles, TilesAwayFromTheDataAreEmpty) {
  // Over Great Britain but not County Durham, and over the Pacific (outside
  // the national grid's area of use).
  for (const std::string layer : {"wards", "incidents", "clusters", "town-centres"}) {
    for (const Tile t : {tile_of(-0.1, 51.5, 12), tile_of(-150, 0, 5)}) {
      const Response r = get("/tiles/" + layer + "/" + t.path() + ".mvt");
      EXPECT_EQ(r.status, 200) << r.body;
      EXPECT_TRUE(r.body.empty()) << layer << " " << t.path();
    }
  }
}

TEST_F(Tiles, TileJsonDescribesEachLayer) {
  const json layers = json::parse(get("/api/layers").body);
  std::map<std::string, json> bbox;
  for (const auto& l : layers["layers"]) bbox[l["name"]] = l["bbox"];
  for (const std::string layer : {"wards", "town-centres", "incidents", "clusters"}) {
    const Response r = get("/tiles/" + layer + ".json");
    ASSERT_EQ(r.status, 200) << r.body;
    const json doc = json::parse(r.body);
    EXPECT_EQ(doc["tilejson"], "3.0.0");
    const std::string url = doc["tiles"][0];
    EXPECT_TRUE(url.starts_with("http://gis.example:8080/tiles/" + layer + "/{z}/{x}/{y}.mvt"))
        << url;
    EXPECT_EQ(doc["minzoom"], 0);
    EXPECT_EQ(doc["maxzoom"], 22);
    EXPECT_EQ(doc["bounds"], bbox[layer == "clusters" ? "incidents" : layer]) << layer;
    ASSERT_FALSE(doc["vector_layers"].empty());
    for (const auto& v : doc["vector_layers"]) EXPECT_TRUE(v["fields"].contains("id")) << v;
  }
  const json incidents = json::parse(get("/tiles/incidents.json").body);
  ASSERT_EQ(incidents["vector_layers"].size(), 2u);
  EXPECT_EQ(incidents["vector_layers"][0]["id"], "incident_cells");
  EXPECT_EQ(incidents["vector_layers"][0]["maxzoom"], 13);
  EXPECT_EQ(incidents["vector_layers"][1]["id"], "incidents");
  EXPECT_EQ(incidents["vector_layers"][1]["minzoom"], 14);
  EXPECT_EQ(incidents["vector_layers"][1]["fields"]["category"], "String");
  // Parameters come back in their canonical form in the template, which
  // answers as the request it came from.
  const json clusters = json::parse(get("/tiles/clusters.json?min_points=20&eps=200").body);
  const std::string url = clusters["tiles"][0];
  EXPECT_NE(url.find("eps=200"), std::string::npos) << url;
  EXPECT_NE(url.find("min_points=20"), std::string::npos) << url;
  EXPECT_EQ(clusters["vector_layers"][0]["fields"]["count"], "Number");
  const Tile t = tile_of(kLon, kLat, 12);
  std::string templated = url.substr(url.find("/tiles/"));
  templated.replace(templated.find("{z}/{x}/{y}"), 11, t.path());
  EXPECT_EQ(get(templated).body, get("/tiles/clusters/" + t.path() + ".mvt?eps=200&min_points=20").body);
  expect_error(get("/tiles/clusters.json?eps=abc"), 400, "invalid_parameter", "eps");
}

TEST_F(Tiles, PublicModePublishesCountsOnlyUnderTheRule) {
  const Context open = context(false), closed = context(true);
  engine::Disclosure policy;
  policy.public_mode = true;
  const auto points = incidents("&domestic=exclude");
  std::size_t suppressed = 0, rounded = 0;
  for (int z : {12, 15, 18}) {
    const Tile t = tile_of(kLon, kLat, z);
    const Response r = get("/tiles/incidents/" + t.path() + ".mvt", closed);
    ASSERT_EQ(r.status, 200) << r.body;
    const Layers layers = decode(r.body, t);
    EXPECT_FALSE(layers.contains("incidents")) << "no points in public mode, zoom " << z;
    std::map<std::string, std::int64_t> expected;
    for (const auto& [id, n] : brute_cells(points, t)) {
      const auto published = policy.publish(n);
      expected[id] = published ? *published : -1;
      (published ? rounded : suppressed) += 1;
    }
    EXPECT_EQ(decoded_cells(layers), expected) << t.path();
    for (const auto& d : layers.contains("incident_cells") ? layers.at("incident_cells")
                                                            : std::vector<Decoded>{}) {
      EXPECT_EQ(d.fields.at("count_suppressed"), d.fields.contains("count") ? "0" : "1");
    }
    // The same tile outside public mode is a different answer (and cache entry).
    if (z >= 14) {
      EXPECT_NE(get("/tiles/incidents/" + t.path() + ".mvt", open).body, r.body);
    }
  }
  EXPECT_GT(suppressed, 0u);
  EXPECT_GT(rounded, 0u);
  const json doc = json::parse(get("/tiles/incidents.json", closed).body);
  ASSERT_EQ(doc["vector_layers"].size(), 1u);
  EXPECT_EQ(doc["vector_layers"][0]["maxzoom"], 22);
  EXPECT_EQ(doc["vector_layers"][0]["fields"]["count_suppressed"], "Boolean");
  expect_error(get("/tiles/incidents/12/2029/1306.mvt?domestic=only", closed), 403, "forbidden",
               "domestic");
}

TEST_F(Tiles, ConcurrentTilesMatchTilesMadeOneAtATime) {
  // GDAL's MVT writer from several threads at once, each in its own /vsimem/ directory.
  std::vector<std::string> targets;
  for (int z : {9, 12, 14, 15}) {
    const Tile t = tile_of(kLon, kLat, z);
    for (const std::string layer : {"incidents", "wards", "clusters", "town-centres"}) {
      targets.push_back("/tiles/" + layer + "/" + t.path() + ".mvt");
    }
  }
  std::vector<std::string> alone;
  for (const auto& target : targets) alone.push_back(get(target).body);
  std::vector<std::string> together(targets.size());
  std::vector<std::thread> threads;
  std::atomic<std::size_t> next{0};
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&] {
      for (std::size_t i; (i = next++) < targets.size();) together[i] = get(targets[i]).body;
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    EXPECT_EQ(together[i], alone[i]) << targets[i];
  }
}

}  // namespace
}  // namespace hotspot::http
