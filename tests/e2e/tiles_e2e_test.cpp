// Vector tiles end to end: the real hotspotd with the bundled data; a fetched
// tile is read by GDAL's own `ogrinfo` (as a GIS user's tools would) and its
// feature count compared with the incidents of /api/incidents that lie in the
// tile, projected here to Web Mercator by the spherical formula.

#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <regex>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kHalf = 20037508.342789244;  // half the Web Mercator square, metres

// ogrinfo's summary of every layer: name -> "Feature Count".
std::map<std::string, long> ogrinfo_counts(const fs::path& file) {
  const std::string command = "ogrinfo -ro -al -so '" + file.string() + "' 2>&1";
  std::map<std::string, long> out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  std::string text;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) text.append(buffer, n);
  ::pclose(pipe);
  const std::regex layer(R"(Layer name: (\S+)[\s\S]*?Feature Count: (\d+))");
  for (std::sregex_iterator it(text.begin(), text.end(), layer), end; it != end; ++it) {
    out[(*it)[1]] = std::stol((*it)[2]);
  }
  EXPECT_FALSE(out.empty()) << text;
  return out;
}

class TilesE2E : public e2e::ServerTest {};

TEST_F(TilesE2E, OgrinfoReadsFetchedTiles) {
  start("tiles");
  // Durham city at zoom 15 (points, with the tile's buffer) and 11 (cells).
  const double lon = -1.5757, lat = 54.7768, rad = lat * std::numbers::pi / 180;
  std::vector<std::pair<double, double>> points;  // Web Mercator
  for (std::size_t offset = 0;;) {
    const json page = e2e::get_json(port(), "/api/incidents?limit=10000&offset=" + std::to_string(offset));
    ASSERT_TRUE(page.is_object());
    for (const auto& f : page["features"]) {
      const double x = f["geometry"]["coordinates"][0], y = f["geometry"]["coordinates"][1];
      const double r = kHalf / std::numbers::pi, d = std::numbers::pi / 180;
      points.emplace_back(r * x * d, r * std::log(std::tan(std::numbers::pi / 4 + y * d / 2)));
    }
    if (page["metadata"]["paging"]["next_offset"].is_null()) break;
    offset = page["metadata"]["paging"]["next_offset"];
  }
  const fs::path dir = e2e::temp_dir("tiles-e2e");
  for (int z : {15, 11}) {
    const double n = std::ldexp(1.0, z), size = 2 * kHalf / n;
    const int x = static_cast<int>((lon + 180) / 360 * n);
    const int y = static_cast<int>((1 - std::asinh(std::tan(rad)) / std::numbers::pi) / 2 * n);
    const std::string path = std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y);
    const auto answer = e2e::request(port(), "GET", "/tiles/incidents/" + path + ".mvt");
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.header("Content-Type"), "application/vnd.mapbox-vector-tile");
    // The MVT driver georeferences a tile from its z/x/y.pbf path.
    fs::create_directories(dir / std::to_string(z) / std::to_string(x));
    const fs::path file = dir / (path + ".pbf");
    std::ofstream(file, std::ios::binary) << answer.body;
    const auto counts = ogrinfo_counts(file);
    // The GeoJSON's 6 decimals place a point to about 0.2 m in Web
    // Mercator: points within 1 m of an edge may be in either tile.
    const double west = -kHalf + x * size, north = kHalf - y * size, near = 1.0;
    long sure = 0, edge = 0;
    for (const auto& [px, py] : points) {
      const double to_edge = std::min({px - west, west + size - px, north - py, py - north + size});
      sure += to_edge > near;
      edge += std::abs(to_edge) <= near;
    }
    ASSERT_GT(sure, 0);
    if (z == 15) {
      EXPECT_GE(counts.at("incidents"), sure);
      EXPECT_LE(counts.at("incidents"), sure + edge);
    } else {
      EXPECT_GT(counts.at("incident_cells"), 1);  // their sums: tiles_test.cpp
    }
    // The second fetch is the cached tile.
    const auto again = e2e::request(port(), "GET", "/tiles/incidents/" + path + ".mvt");
    EXPECT_EQ(again.header("X-Cache"), "hit");
    EXPECT_EQ(again.body, answer.body);
  }
  fs::remove_all(dir);

  // Bad addresses are JSON errors on the wire too.
  const auto bad = e2e::request(port(), "GET", "/tiles/wards/23/0/0.mvt");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"]["code"], "invalid_parameter");
  // TileJSON's template names the host the client used.
  const json doc = e2e::get_json(port(), "/tiles/wards.json");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["tiles"][0], "http://127.0.0.1/tiles/wards/{z}/{x}/{y}.mvt");
}

}  // namespace
