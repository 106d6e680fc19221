// /tiles/{layer}/{z}/{x}/{y}.mvt against brute force (tiles_fixture.hpp):
// incident counts per cell and points, and the polygons of /api/layers/wards
// and /api/hotspots/dbscan reprojected by OGR.
#include "tiles_fixture.hpp"

namespace hotspot::http {
namespace {

using namespace tile_testing;
using nlohmann::json;

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

}  // namespace
}  // namespace hotspot::http
