// OGC API - Features against real clients: GDAL's OAPIF driver (ogrinfo,
// ogr2ogr) reads a real hotspotd. Every collection is copied whole, a page
// of 25 at a time, and compared with the API's own answers; a spatial
// filter in ogr2ogr gives the features the API's bbox gives.
#include "e2e_support.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kRows = 240;
constexpr int kPageSize = 25;

// Incidents spread over Durham city and around it (lon, lat from a fixed
// pattern), so bounding boxes cut through them.
void write_spread_incidents(const fs::path& path) {
  std::ofstream out(path);
  out << "id,lon,lat,category,occurred_at\n";
  for (int i = 0; i < kRows; ++i) {
    const double lon = -1.70 + 0.0013 * ((i * 37) % 200);
    const double lat = 54.70 + 0.0009 * ((i * 53) % 180);
    out << "o" << i << ',' << lon << ',' << lat << ",Public order,2024-0" << (1 + i % 9) << "-1"
        << (i % 10) << "T2" << (i % 4) << ":15:00+00:00\n";
  }
}

// Runs a command; its standard output, and its exit status in `status`.
std::string run(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    status = -1;
    return out;
  }
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  status = ::pclose(pipe);
  return out;
}

class OgcClients : public ServerTest {
 protected:
  void SetUp() override {
    dir_ = temp_dir("ogc-e2e");
    write_spread_incidents(dir_ / "incidents.csv");
    start("ogc", {"--incidents", (dir_ / "incidents.csv").string()});
  }
  void TearDown() override {
    ServerTest::TearDown();
    fs::remove_all(dir_);
  }

  std::string root() const { return "OAPIF:http://127.0.0.1:" + std::to_string(port()) + "/ogc"; }

  // ogr2ogr's GeoJSON copy of a collection (with extra arguments), parsed.
  json copy(const std::string& collection, const std::string& extra = "") {
    const fs::path out = dir_ / (collection + ".geojson");
    fs::remove(out);
    int status = 0;
    const std::string output =
        run("ogr2ogr -f GeoJSON " + out.string() + " '" + root() + "' " + collection +
                " -oo PAGE_SIZE=" + std::to_string(kPageSize) + " " + extra,
            status);
    EXPECT_EQ(status, 0) << output;
    std::ifstream in(out);
    return json::parse(in, nullptr, false);
  }

  // The API's own features of a collection (every one, in one page).
  json api_items(const std::string& collection, const std::string& query = "") {
    const json page =
        get_json(port(), "/ogc/collections/" + collection + "/items?limit=10000" + query);
    EXPECT_TRUE(page.is_object()) << collection << query;
    return page;
  }

  // How many times the log shows an items request for this collection.
  std::size_t item_requests(const std::string& collection) {
    std::istringstream lines(log());
    std::size_t n = 0;
    for (std::string line; std::getline(lines, line);) {
      n += line.find("/ogc/collections/" + collection + "/items") != std::string::npos;
    }
    return n;
  }

  fs::path dir_;
};

// The features' identities: the "id" property of boundary layers, the
// source row id of incidents.
std::multiset<std::string> identities(const json& collection) {
  std::multiset<std::string> out;
  for (const auto& f : collection["features"]) {
    const json& p = f["properties"];
    out.insert(p.contains("source_id") ? p["source_id"].get<std::string>()
                                       : p["id"].get<std::string>());
  }
  return out;
}

TEST_F(OgcClients, OgrinfoListsEveryCollection) {
  int status = 0;
  const std::string listing = run("ogrinfo -ro -q '" + root() + "'", status);
  ASSERT_EQ(status, 0) << listing;
  const json collections = get_json(port(), "/ogc/collections");
  ASSERT_EQ(collections["collections"].size(), 4u);
  for (const auto& c : collections["collections"]) {
    EXPECT_NE(listing.find(c["id"].get<std::string>()), std::string::npos)
        << c["id"] << " not in:\n" << listing;
  }
}

TEST_F(OgcClients, Ogr2ogrCopiesEveryFeaturePageByPage) {
  const json layers = get_json(port(), "/api/layers");
  const json collections = get_json(port(), "/ogc/collections");
  ASSERT_EQ(collections["collections"].size(), 4u);
  for (const auto& c : collections["collections"]) {
    const std::string id = c["id"];
    const json copied = copy(id);
    ASSERT_TRUE(copied.is_object()) << id;
    const json api = api_items(id);
    EXPECT_EQ(copied["features"].size(), api["numberMatched"].get<std::size_t>()) << id;
    EXPECT_EQ(identities(copied), identities(api)) << id;
    // The same count as the map's API gives for the layer.
    for (const auto& layer : layers["layers"]) {
      if (layer["name"] == id) {
        EXPECT_EQ(copied["features"].size(), layer["features"]) << id;
      }
    }
    if (copied["features"].size() > static_cast<std::size_t>(kPageSize)) {
      EXPECT_GE(item_requests(id), copied["features"].size() / kPageSize) << id;
    }
  }
  // Every accepted row, each once (rows outside the wards are rejected at load).
  const json report = get_json(port(), "/api/load-report");
  const auto incidents = identities(copy("incidents"));
  EXPECT_EQ(incidents.size(), report["incidents"]["rows_accepted"].get<std::size_t>());
  EXPECT_EQ(std::set<std::string>(incidents.begin(), incidents.end()).size(), incidents.size());
  EXPECT_GT(incidents.size(), static_cast<std::size_t>(4 * kPageSize));
}

TEST_F(OgcClients, SpatialFilterMatchesTheApiBbox) {
  const std::string box[4] = {"-1.62", "54.74", "-1.55", "54.80"};
  const std::string spat = "-spat " + box[0] + " " + box[1] + " " + box[2] + " " + box[3];
  const std::string bbox = "&bbox=" + box[0] + "," + box[1] + "," + box[2] + "," + box[3];
  for (const std::string id : {"incidents", "wards"}) {
    const json copied = copy(id, spat);
    ASSERT_TRUE(copied.is_object()) << id;
    const json api = api_items(id, bbox);
    EXPECT_EQ(identities(copied), identities(api)) << id;
    EXPECT_GT(api["numberMatched"].get<std::size_t>(), 0u) << id;
    EXPECT_LT(api["numberMatched"].get<std::size_t>(), api_items(id)["numberMatched"].get<std::size_t>())
        << id << ": the box should cut the collection";
  }
  // The map's API agrees on the incidents.
  const json incidents = get_json(port(), "/api/incidents?limit=10000" + bbox);
  EXPECT_EQ(incidents["metadata"]["paging"]["total"], api_items("incidents", bbox)["numberMatched"]);
}

}  // namespace
}  // namespace e2e
