// The bad-request matrix: well over a hundred malformed, out-of-range,
// unknown or abusive requests against the real server, each answered with a
// 4xx JSON error {"error":{"code","message"}} — never a 5xx, a hang, a
// non-JSON body or a crash — and the server still answers afterwards.
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace {

using nlohmann::json;

struct Case {
  std::string method;
  std::string target;
};

std::vector<Case> bad_requests() {
  std::vector<Case> cases;
  // Parameters every analysis endpoint refuses, by the selection's rules.
  const std::vector<std::string> selection_bad = {
      "bogus=1",           "limit=5&limit=6",     "category=nope",      "category=",
      "categories=asb&category=asb",              "from=2024-02-30",    "from=2024-13-01",
      "from=24-01-01",     "from=2024-06-01&to=2024-01-01",           "days=funday",
      "days=mon,,tue",     "window=25:00-04:00",  "window=20:00",       "window=20:00-20:00",
      "ward=NOPE",         "scope=moon",          "buffer=100",         "scope=buffer&buffer=-1",
      "scope=buffer&buffer=1e9",                  "bbox=1,2,3",         "bbox=a,b,c,d",
      "bbox=-1.5,54.8,-1.6,54.9",                 "bbox=-200,54,-1,55", "preset=day",
      "from=%ZZ",          "ward=%00",
  };
  const std::vector<std::string> endpoints = {
      "/api/incidents",        "/api/hotspots/dbscan", "/api/hotspots/kde",
      "/api/hotspots/gistar",  "/api/stats/wards",     "/api/profile",
  };
  for (std::size_t e = 0; e < endpoints.size(); ++e) {
    // Every rule on one endpoint, a sample on the rest (they share the parser).
    for (std::size_t k = 0; k < selection_bad.size(); ++k) {
      if (e == 0 || k % endpoints.size() == e) {
        cases.push_back({"GET", endpoints[e] + "?" + selection_bad[k]});
      }
    }
  }
  // Each endpoint's own parameters.
  for (const std::string target : {
           "/api/incidents?limit=0", "/api/incidents?limit=100001", "/api/incidents?offset=-1",
           "/api/incidents?limit=1.5", "/api/incidents?format=exe",
           "/api/hotspots/dbscan?eps=0", "/api/hotspots/dbscan?eps=-5",
           "/api/hotspots/dbscan?eps=nan", "/api/hotspots/dbscan?eps=inf",
           "/api/hotspots/dbscan?eps=1e400", "/api/hotspots/dbscan?eps=99999",
           "/api/hotspots/dbscan?min_points=0", "/api/hotspots/dbscan?min_points=99999999999999999999",
           "/api/hotspots/dbscan?hull=round", "/api/hotspots/dbscan?concave_ratio=0.5",
           "/api/hotspots/dbscan?hull=concave&concave_ratio=2",
           "/api/hotspots/kde?cell=5", "/api/hotspots/kde?cell=6000", "/api/hotspots/kde?bandwidth=0",
           "/api/hotspots/kde?bandwidth=30000", "/api/hotspots/kde?cell=10&bandwidth=5000",
           "/api/hotspots/kde?output=raster", "/api/hotspots/kde?levels=1,2",
           "/api/hotspots/kde?output=contours&levels=2,1",
           "/api/hotspots/kde?output=contours&levels=0,1",
           "/api/hotspots/kde?output=contours&quantiles=0,0.5",
           "/api/hotspots/kde?output=contours&quantiles=0.5&levels=1",
           "/api/hotspots/kde?output=contours&threshold=0.1", "/api/hotspots/kde?threshold=2",
           "/api/hotspots/gistar?on=hexagons", "/api/hotspots/gistar?cell=500&band=100",
           "/api/hotspots/gistar?on=wards&cell=500", "/api/hotspots/gistar?band=0",
           "/api/hotspots/gistar?band=60000", "/api/hotspots/gistar?fdr=yes",
           "/api/hotspots/gistar?all=1",
           "/api/compare", "/api/compare?a_from=2024-01-01&a_to=2024-01-31&b_from=2024-02-01",
           "/api/compare?a_from=2024-01-31&a_to=2024-01-01&b_from=2024-02-01&b_to=2024-02-28",
           "/api/compare?a_from=2024-01-01&a_to=2024-02-15&b_from=2024-02-01&b_to=2024-02-28",
           "/api/compare?a_from=2024-01-01&a_to=2024-01-31&b_from=2024-02-01&b_to=2024-02-28&by=lsoa",
           "/api/compare?a_from=2024-01-01&a_to=2024-01-31&b_from=2024-02-01&b_to=2024-02-28&eps=50",
           "/api/compare?a_from=2024-01-01&a_to=2024-01-31&b_from=2024-02-01&b_to=2024-02-28&from=2024-01-01",
           "/api/profile?town_centre=atlantis", "/api/profile?cluster=",
           "/api/profile?town_centre=durham-city&cluster=abc", "/api/profile?eps=50",
           "/api/profile?cluster=0000000000000000",
           "/api/stats/town-centres?limit=5", "/api/layers/wards?x=1",
           "/api/layers/town-centres?format=docx", "/api/load-report?verbose=true",
           "/api/health?now=1", "/api/parameters?endpoint=kde", "/api/layers?all=true",
       }) {
    cases.push_back({"GET", target});
  }
  // Paths and methods.
  for (const std::string target : {"/api", "/api/", "/api/nope", "/api/hotspots", "/api/hotspots/",
                                    "/api/hotspots/optics", "/api/incidents/1", "/api/%2e%2e/etc",
                                    "/api/hotspots/dbscan%00", "/api/stats", "/api/compare/"}) {
    cases.push_back({"GET", target});
  }
  for (const std::string method : {"POST", "PUT", "DELETE", "PATCH"}) {
    for (const std::string target : {"/api/health", "/api/hotspots/dbscan", "/api/incidents"}) {
      cases.push_back({method, target});
    }
  }
  return cases;
}

TEST(BadRequests, EveryOneIsA4xxJsonErrorAndTheServerStaysUp) {
  e2e::Child server = e2e::start_hotspotd({"--port", "0", "--threads", "2"});
  ASSERT_GT(server.port, 0);
  const auto cases = bad_requests();
  ASSERT_GE(cases.size(), 100u);
  for (const Case& c : cases) {
    const e2e::HttpAnswer answer = e2e::request(server.port, c.method, c.target);
    const std::string what = c.method + " " + c.target;
    ASSERT_NE(answer.status, 0) << what << ": no answer";
    EXPECT_GE(answer.status, 400) << what;
    EXPECT_LT(answer.status, 500) << what << ": " << answer.body;
    const json body = json::parse(answer.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << what << ": " << answer.body;
    ASSERT_TRUE(body.contains("error")) << what << ": " << answer.body;
    EXPECT_TRUE(body["error"]["code"].is_string()) << what;
    const std::string message = body["error"].value("message", "");
    EXPECT_FALSE(message.empty()) << what;
    // Messages are for people: no exception or library internals.
    for (const char* leak : {"std::", "basic_string", "what()", "GDAL", "terminate"}) {
      EXPECT_EQ(message.find(leak), std::string::npos) << what << ": " << message;
    }
  }
  // Still serving.
  EXPECT_EQ(e2e::request(server.port, "GET", "/api/health").status, 200);
  e2e::stop(server);
}

}  // namespace
