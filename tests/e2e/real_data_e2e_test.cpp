// End to end on data of real shape: another area's wards (six Darlington
// wards, a Shapefile in EPSG:27700) and a police.uk street-level file for
// them (month-only rows, some outside the wards), with the bundled County
// Durham town centres, none of which overlaps those wards. The default view
// is empty; the answer must say why, step by step.
#include "e2e_support.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace {

using nlohmann::json;

const std::string kFixture = std::string(HOTSPOT_SOURCE_DIR) + "/tests/fixtures/real-data/";

class RealData : public e2e::ServerTest {
 protected:
  void start_on_fixture(const std::string& name, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--wards", kFixture + "darlington-wards.shp", "--incidents",
                                     "police-uk:" + kFixture + "darlington-street.csv"};
    args.insert(args.end(), extra.begin(), extra.end());
    start(name, args);
  }
  // The total of /api/incidents for a query: a second count by another path.
  std::size_t total(const std::string& query) {
    const json page = e2e::get_json(port(), "/api/incidents?limit=1&" + query);
    return page["metadata"]["paging"]["total"].get<std::size_t>();
  }
};

const json& step_named(const json& funnel, const std::string& name) {
  for (const auto& step : funnel) {
    if (step["step"] == name) return step;
  }
  static const json none;
  return none;
}

TEST_F(RealData, NightTimeViewSaysMonthOnlyDatesCannotBePlaced) {
  start_on_fixture("real_data_nte");
  const std::size_t loaded = e2e::incident_count(port());
  ASSERT_GT(loaded, 0u);
  const json answer = e2e::get_json(port(), "/api/hotspots/dbscan?preset=nte");
  const json& counts = answer["metadata"]["counts"];
  EXPECT_EQ(counts["selected"], 0);
  const json& funnel = counts["funnel"];
  ASSERT_TRUE(funnel.is_array()) << counts;
  // Steps in the order applied, each entering with what the one before kept.
  std::vector<std::string> steps;
  std::size_t entering = loaded;
  for (const auto& step : funnel) {
    steps.push_back(step["step"]);
    EXPECT_EQ(step["entering"], entering) << step;
    EXPECT_EQ(step["kept"].get<std::size_t>(), step["entering"].get<std::size_t>() - step["removed"].get<std::size_t>());
    entering = step["kept"];
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"category", "domestic", "days", "window", "scope"}));
  // Category: what /api/incidents counts outside violence and criminal damage.
  const std::size_t in_categories = total("category=violence,criminal_damage");
  EXPECT_EQ(step_named(funnel, "category")["removed"], loaded - in_categories);
  // Days: every remaining row has only a month, so none can be placed on a night.
  const json& days = step_named(funnel, "days");
  EXPECT_EQ(days["entering"], in_categories);
  EXPECT_EQ(days["removed_month_only"], in_categories);
  EXPECT_EQ(days["removed_placed_outside"], 0);
  EXPECT_EQ(counts["excluded"]["month-only time: excluded from day-of-week filter"], in_categories);
  EXPECT_EQ(step_named(funnel, "scope")["entering"], 0);

  // The same funnel on every analysis endpoint.
  for (const std::string path : {"/api/hotspots/kde", "/api/hotspots/gistar", "/api/stats/wards",
                                 "/api/stats/town-centres", "/api/incidents"}) {
    const json other = e2e::get_json(port(), path + "?preset=nte");
    EXPECT_EQ(other["metadata"]["counts"]["funnel"], funnel) << path;
  }
  const json profile = e2e::get_json(port(), "/api/profile?preset=nte");
  EXPECT_EQ(profile["metadata"]["counts"]["funnel"], funnel);

  // The view that fits: town centres, all times, is still empty (no centre
  // overlaps), and the funnel says the scope removed them; everywhere, all
  // times, holds every row of the two categories.
  const json centres = e2e::get_json(
      port(), "/api/stats/wards?category=violence,criminal_damage&scope=buffer&buffer=500");
  EXPECT_EQ(step_named(centres["metadata"]["counts"]["funnel"], "scope")["removed_placed_outside"],
            in_categories);
  const json everywhere = e2e::get_json(port(), "/api/stats/wards?category=violence,criminal_damage");
  EXPECT_EQ(everywhere["metadata"]["counts"]["selected"], in_categories);
}

TEST_F(RealData, HealthAndLayersWarnAboutTownCentresAndNameTheArea) {
  start_on_fixture("real_data_layers");
  const json health = e2e::get_json(port(), "/api/health");
  const json layers = e2e::get_json(port(), "/api/layers");
  const json centres = e2e::get_json(port(), "/api/layers/town-centres");
  ASSERT_GT(centres["features"].size(), 0u);
  // Every bundled centre lies outside these wards, and each is named.
  json centre_layer;
  for (const auto& layer : layers["layers"]) {
    if (layer["name"] == "town-centres") centre_layer = layer;
  }
  ASSERT_EQ(centre_layer["outside_wards"].size(), centres["features"].size());
  ASSERT_EQ(health["warnings"].size(), 1u) << health;
  const std::string warning = health["warnings"][0];
  for (const auto& f : centres["features"]) {
    EXPECT_NE(warning.find(f["properties"]["name"].get<std::string>()), std::string::npos) << warning;
  }
  EXPECT_EQ(layers["warnings"], health["warnings"]);
  EXPECT_NE(log().find("WARNING: " + warning), std::string::npos) << log();
  // The name comes from the wards' LAD13NM field, not a fixed "County Durham".
  EXPECT_EQ(layers["area"]["name"], "Darlington");
  EXPECT_EQ(layers["area"]["from"], "field LAD13NM");
  EXPECT_EQ(health["area_name"], "Darlington");
  // No file here came with a licence option, and none is bundled with a
  // known one but the town centres (illustrative): no other credit line.
  for (const auto& source : layers["sources"]) {
    if (source["kind"] != "town-centres") {
      EXPECT_EQ(source["licence"], "") << source;
    }
  }
  // The load report names the rows outside the wards.
  const json report = e2e::get_json(port(), "/api/load-report");
  bool outside = false;
  for (const auto& file : report["files"]) {
    if (file["issues"].contains("outside_study_area")) outside = file["issues"]["outside_study_area"] > 0;
  }
  EXPECT_TRUE(outside) << report;
}

TEST_F(RealData, AreaNameOptionWinsAndBundledDataHasNoWarning) {
  // A licence option is the file's credit line, and the only one it gets.
  const std::string licence = "Contains public sector information licensed under the OGL v3.0";
  start("real_data_named", {"--area-name", "Darlington Community Safety Partnership", "--wards",
                            kFixture + "darlington-wards.shp", "--incidents",
                            "police-uk:" + kFixture + "darlington-street.csv?licence=" + licence});
  const json layers = e2e::get_json(port(), "/api/layers");
  EXPECT_EQ(layers["area"]["name"], "Darlington Community Safety Partnership");
  EXPECT_EQ(layers["area"]["from"], "option");
  EXPECT_NE(std::find(layers["licences"].begin(), layers["licences"].end(), licence),
            layers["licences"].end()) << layers["licences"];
  TearDown();
  start("real_data_bundled");
  const json health = e2e::get_json(port(), "/api/health");
  EXPECT_TRUE(health["warnings"].empty()) << health;
  EXPECT_EQ(e2e::get_json(port(), "/api/layers")["area"]["name"], "County Durham");
  TearDown();
  // Wards without a district field: the file's name.
  start("real_data_file_name", {"--wards", std::string(HOTSPOT_SHARED_DIR) +
                                               "/geodata/ons/wards-E06000005.json"});
  const json unnamed = e2e::get_json(port(), "/api/layers");
  EXPECT_EQ(unnamed["area"]["name"], "wards-E06000005");
  EXPECT_EQ(unnamed["area"]["from"], "file name");
}

// Public mode rounds and suppresses the funnel's counts as every other count:
// each is a multiple of --min-count, or null with fewer than it.
TEST_F(RealData, PublicModeRoundsTheFunnel) {
  start_on_fixture("real_data_public", {"--public", "--min-count", "10"});
  const json open_counts =
      e2e::get_json(port(), "/api/stats/wards?preset=nte")["metadata"]["counts"];
  std::size_t checked = 0;
  for (const auto& step : open_counts["funnel"]) {
    for (const auto& [key, value] : step.items()) {
      if (key == "step" || key == "reason") continue;
      ASSERT_TRUE(value.is_null() || value.get<std::int64_t>() % 10 == 0) << key << " " << step;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u);
  // The month-only count (dozens of rows in the fixture) is published, rounded.
  const json& days = step_named(open_counts["funnel"], "days");
  EXPECT_TRUE(days["removed_month_only"].is_number()) << days;
}

}  // namespace
