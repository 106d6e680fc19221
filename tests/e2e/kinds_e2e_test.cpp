// hotspotd with every partnership source kind and the venue list: the load
// report names each kind and the unmatched venue, the filters are echoed and
// offered in /api/parameters, and public mode answers domestic=only with 403.

#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

const std::string kDir = HOTSPOT_SOURCE_DIR "/tests/fixtures/kinds/";

std::vector<std::string> kind_args() {
  std::vector<std::string> args;
  for (const char* kind : {"police-uk", "police-extract", "council-asb", "fire", "ae-assault"}) {
    args.push_back("--incidents");
    args.push_back(std::string(kind) + ":" + kDir + kind + "-synthetic.csv");
  }
  args.push_back("--venues");
  args.push_back(kDir + "venues-synthetic.csv");
  return args;
}

class KindsE2e : public e2e::ServerTest {};

TEST_F(KindsE2e, LoadReportNamesEachKindAndTheUnmatchedVenue) {
  start("kinds", kind_args());
  const json report = e2e::get_json(child_.port, "/api/load-report");
  std::vector<std::string> formats;
  bool venues_listed = false;
  for (const auto& file : report["files"]) {
    if (file["kind"] == "venues") venues_listed = file["loaded"].get<bool>();
    if (file["kind"] != "incidents") continue;
    formats.push_back(file["format"]);
    EXPECT_TRUE(file["loaded"].get<bool>()) << file.dump();
    EXPECT_EQ(file["rows_read"].get<int>(),
              file["rows_accepted"].get<int>() + file["rows_rejected"].get<int>());
    if (file["format"] == "ae-assault") {
      EXPECT_EQ(file["issues"].value("unmatched_venue", 0), 1) << file.dump();
    }
  }
  EXPECT_TRUE(venues_listed);
  EXPECT_EQ(formats, (std::vector<std::string>{"police-uk", "police-extract", "council-asb", "fire",
                                               "ae-assault"}));
  const json parameters = e2e::get_json(child_.port, "/api/parameters");
  const json& defaults = parameters["defaults"]["hotspots/dbscan"];
  EXPECT_TRUE(defaults.contains("alcohol"));
  EXPECT_EQ(defaults["domestic"], "include");
  const auto answer = e2e::request(child_.port, "GET", "/api/incidents?alcohol=true&domestic=only");
  EXPECT_EQ(answer.status, 200) << answer.body;
  const json only = json::parse(answer.body);
  EXPECT_EQ(only["metadata"]["parameters"]["domestic"], "only");
  EXPECT_EQ(only["metadata"]["parameters"]["alcohol"], "true");
  for (const auto& f : only["features"]) EXPECT_EQ(f["properties"]["alcohol"], "yes");
}

TEST_F(KindsE2e, IncidentsCarryTheKindsOwnFields) {
  start("kinds-fields", kind_args());
  const json all = e2e::get_json(child_.port, "/api/incidents?limit=10000");
  std::set<std::string> subtypes;
  bool police_uk_location = false, venue_location = false, end_time = false;
  for (const auto& f : all["features"]) {
    const json& p = f["properties"];
    if (p["subtype"].is_string()) subtypes.insert(p["subtype"]);
    if (p["location"].is_string()) {
      const std::string location = p["location"];
      police_uk_location |= location.rfind("On or near ", 0) == 0;
      venue_location |= location == "The Kings Head" || location == "Swan and Cygnets" ||
                        location == "Market Tavern" || location == "Bondgate Bar" ||
                        location == "The Lambton Arms";
    }
    end_time |= p["occurred_to"].is_string();
  }
  EXPECT_TRUE(police_uk_location);
  EXPECT_TRUE(venue_location);
  EXPECT_TRUE(end_time);
  EXPECT_TRUE(subtypes.count("rowdy/nuisance"));  // council ASB group
  EXPECT_TRUE(subtypes.count("Knife"));           // A&E weapon
}

TEST_F(KindsE2e, PublicModeRefusesDomesticOnly) {
  std::vector<std::string> args = kind_args();
  args.push_back("--public");
  start("kinds-public", args);
  const auto refused = e2e::request(child_.port, "GET", "/api/stats/wards?domestic=only");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("domestic"), std::string::npos);
  const auto allowed = e2e::request(child_.port, "GET", "/api/stats/wards?domestic=exclude&alcohol=false");
  EXPECT_EQ(allowed.status, 200) << allowed.body;
}

}  // namespace
