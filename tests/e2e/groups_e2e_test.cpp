// End to end: the real hotspotd serves its default groups (the bundled 2013
// constituencies) and a groups file named with --groups FILE?id=&name=, over
// real HTTP.
#include "e2e_support.hpp"
#include "../common/ring_area.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using nlohmann::json;

class Groups : public e2e::ServerTest {};


TEST_F(Groups, DefaultGroupsLayerOverHttp) {
  start("groups_default");
  const auto answer = e2e::request(child_.port, "GET", "/api/layers/groups");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_NE(answer.header("Content-Type").find("application/geo+json"), std::string::npos);
  const json b = json::parse(answer.body);
  ASSERT_EQ(b["type"], "FeatureCollection");
  ASSERT_EQ(b["features"].size(), 6u);
  std::set<std::string> names, wards;
  for (const auto& f : b["features"]) {
    names.insert(f["properties"]["name"].get<std::string>());
    EXPECT_EQ(f["id"], f["properties"]["id"]);
    // RFC 7946: the source file's clockwise exteriors are served counter-clockwise.
    const json& rings = f["geometry"]["type"] == "Polygon" ? f["geometry"]["coordinates"]
                                                           : f["geometry"]["coordinates"][0];
    EXPECT_GT(::hotspot::testing::signed_area(rings[0]), 0) << f["id"];
    for (const auto& w : f["properties"]["wards"]) {
      EXPECT_TRUE(wards.insert(w["id"].get<std::string>()).second) << w;
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{"Bishop Auckland", "City of Durham", "Easington",
                                          "North Durham", "North West Durham", "Sedgefield"}));
  const json ward_layer = e2e::get_json(child_.port, "/api/layers/wards");
  EXPECT_EQ(wards.size(), ward_layer["features"].size());

  // The filter over HTTP: one group's incidents add up with the others'.
  std::size_t sum = 0;
  for (const auto& f : b["features"]) {
    const json page = e2e::get_json(child_.port, "/api/incidents?limit=1&group=" + f["id"].get<std::string>());
    sum += page["metadata"]["paging"]["total"].get<std::size_t>();
  }
  EXPECT_EQ(sum, e2e::incident_count(child_.port));
  EXPECT_EQ(e2e::request(child_.port, "GET", "/api/stats/groups?group=nowhere").status, 400);
}

TEST_F(Groups, GroupsFileWithNamedFields) {
  const std::string file = std::string(HOTSPOT_SOURCE_DIR) + "/geodata/wards-E06000047.json";
  // Wards as their own groups: each ward is wholly in itself.
  start("groups_named", {"--groups", file + "?id=WD13CD&name=WD13NM"});
  const json b = e2e::get_json(child_.port, "/api/layers/groups");
  ASSERT_EQ(b["features"].size(), 63u);
  for (const auto& f : b["features"]) {
    ASSERT_EQ(f["properties"]["wards"].size(), 1u) << f["id"];
    EXPECT_EQ(f["properties"]["wards"][0]["id"], f["id"]);
    EXPECT_NEAR(f["properties"]["wards"][0]["share"].get<double>(), 1.0, 1e-6);
  }
  const json report = e2e::get_json(child_.port, "/api/load-report");
  bool noted = false;
  for (const auto& f : report["files"]) {
    if (f["kind"] == "groups") noted = f["notes"][0].get<std::string>().find("63 of 63 wards") != std::string::npos;
  }
  EXPECT_TRUE(noted) << report.dump();
}

}  // namespace
