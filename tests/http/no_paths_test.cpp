// Nothing a client reads names a directory of the server: sources, load
// reports, layer metadata and health show file names only, also in the text
// of errors from files that could not be read.
#include "handler_fixture.hpp"

#include "hotspot/data/snapshot.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace hotspot::http {
namespace {

namespace fs = std::filesystem;
using fixture::json;

class NoPaths : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("hotspot-no-paths-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    {
      std::ofstream csv(dir_ / "incidents.csv");
      csv << "id,lon,lat,category,occurred_at\n";
      for (const auto& r : fixture::kRows) {
        csv << r.id << ',' << r.lon << ',' << r.lat << ',' << r.label << ',' << r.time << '\n';
      }
      csv << fixture::kBadRows;
    }
    data::LoadOptions load;
    load.wards.path = HOTSPOT_SOURCE_DIR "/geodata/wards-E06000047.json";
    load.wards.kind = "wards";
    load.town_centres.path = HOTSPOT_SOURCE_DIR "/geodata/town-centres.geojson";
    load.town_centres.kind = "town-centres";
    data::IncidentSourceOptions good, missing;
    good.path = (dir_ / "incidents.csv").string();
    missing.path = HOTSPOT_SOURCE_DIR "/geodata/no-such-file.csv";
    load.incidents = {good, missing};
    load.threads = 1;
    store_ = new data::Store;
    store_->replace(data::load_snapshot(load));
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
    fs::remove_all(dir_);
  }

  Response get(const std::string& target) const {
    Context c;
    c.store = store_;
    c.static_root = HOTSPOT_SOURCE_DIR "/static";
    auto request = make_request("GET", target);
    if (!request) return error_response(request.error());
    return handle(*request, c);
  }

  static inline fs::path dir_;
  static inline data::Store* store_ = nullptr;
};

TEST_F(NoPaths, NoBodyNamesADirectory) {
  for (const std::string target :
       {"/api/health", "/api/layers", "/api/load-report", "/api/layers/wards",
        "/api/layers/town-centres", "/api/hotspots/dbscan", "/api/incidents"}) {
    const Response r = get(target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    EXPECT_EQ(r.body.find(HOTSPOT_SOURCE_DIR), std::string::npos) << target << ": " << r.body;
    EXPECT_EQ(r.body.find("/work/"), std::string::npos) << target;
    EXPECT_EQ(r.body.find(dir_.string()), std::string::npos) << target;
    EXPECT_EQ(r.body.find(fs::temp_directory_path().string() + "/"), std::string::npos) << target;
  }
}

TEST_F(NoPaths, FilesAreNamedByTheirFileName) {
  const json report = json::parse(get("/api/load-report").body);
  std::vector<std::string> names;
  for (const auto& f : report["files"]) names.push_back(f["path"]);
  EXPECT_EQ(names, (std::vector<std::string>{"wards-E06000047.json", "town-centres.geojson",
                                             "incidents.csv", "no-such-file.csv"}));
  const json& missing = report["files"][3];
  EXPECT_FALSE(missing["loaded"].get<bool>());
  ASSERT_TRUE(missing["error"].is_string());
  EXPECT_NE(missing["error"].get<std::string>().find("no-such-file.csv"), std::string::npos)
      << missing["error"];

  const json layers = json::parse(get("/api/layers").body);
  EXPECT_EQ(layers["layers"][0]["sources"][0]["path"], "wards-E06000047.json");
  EXPECT_EQ(layers["sources"][2]["path"], "incidents.csv");
  const json wards = json::parse(get("/api/layers/wards").body);
  EXPECT_EQ(wards["metadata"]["source"], "wards-E06000047.json") << wards["metadata"].dump();

  const json health = json::parse(get("/api/health").body);
  EXPECT_EQ(health["status"], "degraded");
  ASSERT_EQ(health["reasons"].size(), 1u) << health.dump();
  EXPECT_EQ(health["reasons"][0].get<std::string>().rfind("no-such-file.csv: ", 0), 0u)
      << health.dump();
}

}  // namespace
}  // namespace hotspot::http
