// Saved analyses through a real hotspotd over a GeoPackage store: saved
// with a token, answered byte for byte the same after a source is added and
// after a restart, and 410 with the reason once a source it used is withdrawn.

#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

e2e::HttpAnswer send(int port, const std::string& method, const std::string& target,
                     const std::string& token, const std::string& body = "") {
  return e2e::send_raw(port, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                 "Authorization: Bearer " + token + "\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body,
                       120);
}

class SavedAnalysesE2e : public e2e::ServerTest {
 protected:
  void SetUp() override {
    dir_ = e2e::temp_dir("hotspot-saved-e2e");
    tokens_ = dir_ / "tokens";
    std::ofstream(tokens_).close();
    viewer_ = e2e::new_token(tokens_, "viewer", "analyst");
    editor_ = e2e::new_token(tokens_, "editor", "duty");
    ASSERT_FALSE(viewer_.empty());
    ASSERT_FALSE(editor_.empty());
  }
  void TearDown() override {
    e2e::ServerTest::TearDown();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  void start_server() {
    start("saved_analyses", {"--store", (dir_ / "store.gpkg").string(), "--tokens", tokens_.string()});
  }

  fs::path dir_, tokens_;
  std::string viewer_, editor_;
};

TEST_F(SavedAnalysesE2e, SameBytesAfterAnAddedSourceAndARestartThenGone) {
  start_server();
  const auto saved = send(port(), "POST",
                          "/api/analyses?method=hotspots/dbscan&name=Durham%20clusters&eps=150&min_points=5",
                          viewer_);
  ASSERT_EQ(saved.status, 201) << saved.body;
  const json record = json::parse(saved.body)["analysis"];
  const std::string url = record["url"];
  EXPECT_EQ(record["created_by"], "analyst");
  ASSERT_EQ(record["sources"].size(), 1u);  // the seeded synthetic source
  const std::int64_t seeded = record["sources"][0];
  const auto first = e2e::request(port(), "GET", url);
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_GT(json::parse(first.body)["features"].size(), 0u);

  // A source added later changes the live answer, not the saved one.
  std::string rows = "id,lon,lat,category,occurred_at\n";
  for (int i = 0; i < 40; ++i) {
    rows += "later" + std::to_string(i) + ",-1.5757,54.7768,Violence and sexual offences,2024-06-0" +
            std::to_string(1 + i % 9) + "T22:30:00+01:00\n";
  }
  const auto added = send(port(), "POST", "/api/sources?kind=csv&name=Later", editor_, rows);
  ASSERT_EQ(added.status, 201) << added.body;
  const auto live = e2e::get_json(port(), "/api/" + record["method"].get<std::string>() + "?" +
                                              record["parameters"].get<std::string>());
  ASSERT_TRUE(live.is_object());
  EXPECT_NE(live["metadata"]["snapshot_version"], record["snapshot_version"]);
  EXPECT_EQ(e2e::request(port(), "GET", url).body, first.body);

  // A restart: the analysis is still there and answers the same bytes.
  e2e::stop(child_);
  start_server();
  const auto listed = e2e::get_json(port(), "/api/analyses");
  ASSERT_TRUE(listed.is_object());
  ASSERT_EQ(listed["analyses"].size(), 1u);
  EXPECT_EQ(listed["analyses"][0]["status"], "ok");
  EXPECT_EQ(e2e::request(port(), "GET", url).body, first.body);
  const auto gpkg = e2e::request(port(), "GET", url + "?format=gpkg");
  EXPECT_EQ(gpkg.status, 200);
  EXPECT_NE(gpkg.header("Content-Disposition").find(".gpkg"), std::string::npos);

  // The seeded source withdrawn: 410, naming it, when and by whom.
  const auto withdrawn = send(port(), "DELETE", "/api/sources/" + std::to_string(seeded), editor_);
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  const auto gone = e2e::request(port(), "GET", url);
  EXPECT_EQ(gone.status, 410) << gone.body;
  const json error = json::parse(gone.body)["error"];
  EXPECT_EQ(error["code"], "gone");
  const std::string message = error["message"];
  EXPECT_NE(message.find("source " + std::to_string(seeded) + " ("), std::string::npos) << message;
  EXPECT_NE(message.find("was withdrawn on "), std::string::npos) << message;
  EXPECT_NE(message.find(" by duty"), std::string::npos) << message;
}

// Without a store: start-up files and hotspotd --analyses FILE.gpkg. The same
// file after a restart answers the same bytes; a changed file makes it gone.
TEST_F(SavedAnalysesE2e, StartUpFilesSameBytesAfterARestartGoneWhenChanged) {
  const fs::path incidents = dir_ / "incidents.csv";
  e2e::write_incidents(incidents, 60);
  const std::vector<std::string> args{"--incidents", incidents.string(), "--analyses",
                                      (dir_ / "analyses.gpkg").string(), "--tokens", tokens_.string()};
  start("saved_analyses_files", args);
  const auto saved = send(port(), "POST", "/api/analyses?method=stats/wards&name=Wards%20June", editor_);
  ASSERT_EQ(saved.status, 201) << saved.body;
  const std::string url = json::parse(saved.body)["analysis"]["url"];
  EXPECT_TRUE(json::parse(saved.body)["analysis"]["sources"].empty());
  const auto first = e2e::request(port(), "GET", url);
  ASSERT_EQ(first.status, 200) << first.body;

  e2e::stop(child_);
  start("saved_analyses_files", args);
  EXPECT_EQ(e2e::request(port(), "GET", url).body, first.body);

  e2e::stop(child_);
  e2e::write_incidents(incidents, 59);
  start("saved_analyses_files", args);
  const auto gone = e2e::request(port(), "GET", url);
  EXPECT_EQ(gone.status, 410) << gone.body;
  EXPECT_NE(gone.body.find("start-up files"), std::string::npos) << gone.body;
}

}  // namespace
