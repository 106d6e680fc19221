// /tiles: bad addresses, empty tiles, TileJSON, public mode and tiles made
// on several threads at once (tiles_fixture.hpp).
#include "tiles_fixture.hpp"

#include <atomic>
#include <thread>

namespace hotspot::http {
namespace {

using namespace tile_testing;
using nlohmann::json;
using TileApi = Tiles;

TEST_F(TileApi, BadAddressesAreRefusedWithJsonErrors) {
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

TEST_F(TileApi, TilesAwayFromTheDataAreEmpty) {
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

TEST_F(TileApi, TileJsonDescribesEachLayer) {
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

TEST_F(TileApi, PublicModePublishesCountsOnlyUnderTheRule) {
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

TEST_F(TileApi, WebMapsOnListedOriginsMayReadTiles) {
  Context c = context();
  c.cors.origins = {"https://maps.example.org"};
  for (const std::string target : {"/tiles/wards/12/2030/1299.mvt", "/tiles/wards.json"}) {
    auto request = make_request("GET", target);
    ASSERT_TRUE(request);
    request->headers.emplace_back("origin", "https://maps.example.org");
    const Response r = handle(*request, c);
    EXPECT_EQ(r.status, 200) << r.body;
    bool allowed = false;
    for (const auto& [name, value] : r.headers) {
      allowed = allowed || (name == "Access-Control-Allow-Origin" && value == "https://maps.example.org");
    }
    EXPECT_TRUE(allowed) << target;
  }
}

TEST_F(TileApi, ConcurrentTilesMatchTilesMadeOneAtATime) {
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
