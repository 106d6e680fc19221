// End to end: starts the real hotspotd on a free port with the bundled data,
// talks HTTP/1.1 to it over a plain socket, then stops it with SIGTERM.
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

namespace {

using nlohmann::json;
using e2e::HttpAnswer;
using e2e::request;
using e2e::send_raw;

class Server : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    child_ = e2e::start_hotspotd({"--port", "0", "--threads", "2"});
    pid_ = child_.pid;
    port_ = child_.port;
    banner_ = child_.banner;
  }

  static void TearDownTestSuite() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);  // only if the shutdown test did not reap it
      ::waitpid(pid_, nullptr, 0);
    }
  }

  void SetUp() override {
    ASSERT_GT(port_, 0) << "no banner from hotspotd: '" << banner_ << "'";
  }

  static inline e2e::Child child_;
  static inline pid_t pid_ = -1;
  static inline int port_ = 0;
  static inline std::string banner_;
};

TEST_F(Server, ApiEndpoints) {
  const auto health = request(port_, "GET", "/api/health");
  ASSERT_EQ(health.status, 200) << health.head;
  EXPECT_EQ(health.header("Content-Type"), "application/json");
  const json h = json::parse(health.body);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["wards"], 63);

  const auto layers = request(port_, "GET", "/api/layers");
  ASSERT_EQ(layers.status, 200);
  EXPECT_EQ(json::parse(layers.body)["layers"].size(), 4u);  // wards, town centres, groups, incidents

  for (const char* target : {"/api/layers/wards", "/api/layers/town-centres", "/api/layers/groups"}) {
    const auto layer = request(port_, "GET", target);
    ASSERT_EQ(layer.status, 200) << target;
    EXPECT_EQ(layer.header("Content-Type"), "application/geo+json");
    EXPECT_EQ(json::parse(layer.body)["type"], "FeatureCollection");
  }

  const auto incidents = request(port_, "GET", "/api/incidents?limit=5&category=violence%2Casb");
  ASSERT_EQ(incidents.status, 200) << incidents.body;
  const json i = json::parse(incidents.body);
  const std::size_t total = i["metadata"]["paging"]["total"];
  EXPECT_EQ(i["features"].size(), std::min<std::size_t>(5, total));
  EXPECT_EQ(i["metadata"]["parameters"]["category"], "violence,asb");
  for (const auto& f : i["features"]) {
    EXPECT_TRUE(f["properties"]["category"] == "violence" || f["properties"]["category"] == "asb");
  }
  EXPECT_EQ(i["metadata"]["synthetic"], h["incidents"].get<int>() > 0);

  const auto report = request(port_, "GET", "/api/load-report");
  ASSERT_EQ(report.status, 200);
  EXPECT_EQ(json::parse(report.body)["files"].size(), 4u);  // the default groups file too
}

TEST_F(Server, AnalysisEndpoints) {
  for (const char* target :
       {"/api/hotspots/dbscan?preset=nte", "/api/hotspots/kde?cell=200", "/api/hotspots/gistar",
        "/api/stats/wards?category=violence", "/api/stats/town-centres",
        "/api/compare?a_from=2024-01-01&a_to=2024-06-30&b_from=2024-07-01&b_to=2024-12-31",
        "/api/profile?days=fri,sat&window=20:00-04:00"}) {
    const auto first = request(port_, "GET", target);
    ASSERT_EQ(first.status, 200) << target << ": " << first.body.substr(0, 300);
    const json b = json::parse(first.body);
    EXPECT_TRUE(b["metadata"].is_object()) << target;
    EXPECT_EQ(first.header("X-Cache"), "miss") << target;
    const auto again = request(port_, "GET", target);
    EXPECT_EQ(again.header("X-Cache"), "hit") << target;
    EXPECT_EQ(again.body, first.body) << target;
  }
  // The NTE preset selects Friday and Saturday nights only.
  const json profile = json::parse(request(port_, "GET", "/api/profile?preset=nte").body);
  for (int day : {0, 1, 2, 3, 6}) {
    for (int hour = 4; hour < 20; ++hour) EXPECT_EQ(profile["hour_of_week"][day][hour], 0);
  }
}

TEST_F(Server, ErrorStatuses) {
  const auto bad = request(port_, "GET", "/api/incidents?limit=abc");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"]["code"], "invalid_parameter");
  const auto unknown = request(port_, "GET", "/api/incidents?colour=red");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(json::parse(unknown.body)["error"]["code"], "unknown_parameter");
  const auto escape = request(port_, "GET", "/api/incidents?limit=%G1");
  EXPECT_EQ(escape.status, 400);
  EXPECT_EQ(request(port_, "GET", "/api/nope").status, 404);
  const auto post = request(port_, "POST", "/api/health");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("Allow"), "GET, HEAD");
  EXPECT_EQ(request(port_, "PUT", "/api/layers").status, 405);
  EXPECT_EQ(request(port_, "DELETE", "/index.html").status, 405);

  // 100 KiB of headers, over the 64 KiB request limit.
  const std::string huge = "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Pad: " +
                           std::string(100 * 1024, 'a') + "\r\nConnection: close\r\n\r\n";
  const auto too_large = send_raw(port_, huge);
  EXPECT_EQ(too_large.status, 413);
  const json too_large_body = json::parse(too_large.body, nullptr, false);
  ASSERT_FALSE(too_large_body.is_discarded()) << too_large.body;
  EXPECT_EQ(too_large_body["error"]["code"], "payload_too_large");
  // Far beyond any limit, Pistache itself refuses it; still 413.
  const std::string absurd = "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Pad: " +
                             std::string(2 * 1024 * 1024, 'a') + "\r\nConnection: close\r\n\r\n";
  EXPECT_EQ(send_raw(port_, absurd).status, 413);
  // The server is still up afterwards.
  EXPECT_EQ(request(port_, "GET", "/api/health").status, 200);
}

TEST_F(Server, StaticFilesAndTraversal) {
  const auto index = request(port_, "GET", "/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("<html"), std::string::npos);
  for (const char* target : {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                             "/static/../../etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
                             "/vendor/", "/..%5c..%5cetc%5cpasswd"}) {
    const auto answer = request(port_, "GET", target);
    EXPECT_EQ(answer.status, 404) << target;
    EXPECT_EQ(answer.body.find("root:"), std::string::npos) << target;
  }
}

// The command line: generate a small synthetic file, then analyse it.
int run(const std::string& command) { return WEXITSTATUS(std::system(command.c_str())); }

TEST(Cli, GenerateThenAnalyse) {
  const std::string dir = ::testing::TempDir();
  const std::string csv = dir + "/cli-synthetic.csv";
  const std::string out = dir + "/cli-dbscan.geojson";
  const std::string cli = HOTSPOT_BINARY_DIR "/hotspot";
  ASSERT_EQ(run(cli + " generate --out " + csv + " --seed 7 --count 500 2>/dev/null"), 0);
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "id,lon,lat,category,occurred_at,synthetic");
  std::size_t rows = 0;
  while (std::getline(in, line)) rows += !line.empty();
  EXPECT_EQ(rows, 500u);

  ASSERT_EQ(run(cli + " analyse --method dbscan --incidents " + csv + " --out " + out +
                " --eps 200 --min_points 5 2>/dev/null"),
            0);
  std::ifstream geojson(out);
  const json b = json::parse(geojson);
  EXPECT_EQ(b["type"], "FeatureCollection");
  EXPECT_EQ(b["metadata"]["counts"]["considered"], 500);
  EXPECT_EQ(b["metadata"]["parameters"]["eps"], "200");

  EXPECT_EQ(run(cli + " analyse --method dbscan --incidents " + csv + " --out " + out +
                " --eps 0 2>/dev/null"),
            2);
  EXPECT_EQ(run(cli + " generate --bogus 1 2>/dev/null"), 2);
  EXPECT_EQ(run(cli + " frobnicate 2>/dev/null"), 2);
  EXPECT_EQ(run(std::string(HOTSPOT_BINARY_DIR "/hotspotd") + " --port nope 2>/dev/null"), 2);
}

TEST_F(Server, ZStopsCleanlyOnSigterm) {
  ASSERT_EQ(::kill(pid_, SIGTERM), 0);
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 100 && done == 0; ++i) {
    done = ::waitpid(pid_, &status, WNOHANG);
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(done, pid_) << "hotspotd did not stop within 10 s";
  pid_ = -1;
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
