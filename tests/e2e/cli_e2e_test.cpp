// `hotspot analyse` against hotspotd: the same file and parameters give the
// same GeoJSON from the command line as over HTTP (apart from the clock).
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using nlohmann::json;

int run(const std::string& command) { return WEXITSTATUS(std::system(command.c_str())); }

// The answer without what depends on when it was made or loaded.
json timeless(json b) {
  auto& m = b["metadata"];
  m.erase("generated_at");
  m.erase("loaded_at");
  for (auto& source : m["sources"]) source.erase("loaded_at");
  return b;
}

TEST(Cli, AnalyseAnswersAsTheServerDoes) {
  const std::string dir = ::testing::TempDir();
  const std::string csv = dir + "/cli-same.csv";
  const std::string cli = HOTSPOT_BINARY_DIR "/hotspot";
  ASSERT_EQ(run(cli + " generate --out " + csv + " --seed 11 --count 3000 2>/dev/null"), 0);
  e2e::Child server = e2e::start_hotspotd({"--port", "0", "--threads", "1", "--incidents", csv});
  ASSERT_GT(server.port, 0) << server.banner;

  // method, CLI options, the same as a query string.
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> cases{
      {"dbscan", {"--eps 250 --min_points 8 --hull concave --concave_ratio 0.4",
                  "eps=250&min_points=8&hull=concave&concave_ratio=0.4"}},
      {"kde", {"--cell 500 --bandwidth 1500 --output contours --quantiles 0.5,0.9",
               "cell=500&bandwidth=1500&output=contours&quantiles=0.5,0.9"}},
      {"gistar", {"--on wards --all true --preset nte", "on=wards&all=true&preset=nte"}},
  };
  for (const auto& [method, args] : cases) {
    const std::string out = dir + "/cli-same-" + method + ".geojson";
    ASSERT_EQ(run(cli + " analyse --method " + method + " --incidents " + csv + " --out " + out +
                  " " + args.first + " 2>/dev/null"),
              0)
        << method;
    std::ifstream file(out);
    const json from_cli = json::parse(file, nullptr, false);
    const auto answer = e2e::request(server.port, "GET", "/api/hotspots/" + method + "?" + args.second);
    ASSERT_EQ(answer.status, 200) << answer.body;
    const json from_server = json::parse(answer.body, nullptr, false);
    ASSERT_TRUE(from_cli.is_object()) << method;
    EXPECT_FALSE(from_server["features"].empty()) << method;
    EXPECT_EQ(timeless(from_cli), timeless(from_server)) << method;
  }
  EXPECT_EQ(e2e::stop(server), 0);
}

}  // namespace
