// Issue 13's methods over HTTP, against kRows (handler_fixture.hpp): the
// Clark-Evans index in an analysis's metadata, distinct locations on
// clusters and in the load report, and /api/evaluate's answers and refusals.
// Expectations come from kRows: d1 d2 d3 (March) are the one cluster at
// eps 100 m; every row has its own coordinates; ba co se pe fall in
// April-June.
#include "handler_fixture.hpp"

#include <cmath>
#include <set>
#include <utility>

namespace hotspot::http {
namespace {

using fixture::kRows;
using nlohmann::json;
using Methods = fixture::HandlerFixture;

constexpr const char* kPeriods =
    "train_from=2024-03-01&train_to=2024-03-31&test_from=2024-04-01&test_to=2024-06-30";

std::size_t distinct_coordinates() {
  std::set<std::pair<double, double>> seen;
  for (const auto& r : kRows) seen.insert({r.lon, r.lat});
  return seen.size();
}

TEST_F(Methods, EveryAnalysisCarriesItsClarkEvansIndex) {
  for (const char* target : {"/api/hotspots/dbscan?eps=100&min_points=3", "/api/hotspots/kde",
                             "/api/hotspots/gistar", "/api/stats/wards"}) {
    const auto r = get(target);
    ASSERT_EQ(r.status, 200) << target << r.body;
    const json nni = body(r)["metadata"]["nni"];
    ASSERT_TRUE(nni.is_object()) << target;
    EXPECT_EQ(nni["locations"], distinct_coordinates()) << target;
    EXPECT_EQ(nni["stacked_rows"], 0) << target;
    EXPECT_NEAR(nni["r"].get<double>(),
                nni["observed_mean_m"].get<double>() / nni["expected_mean_m"].get<double>(), 1e-9);
    // r_e = 0.5 / sqrt(n / A) for the whole ward layer's area.
    EXPECT_NEAR(nni["expected_mean_m"].get<double>(),
                0.5 / std::sqrt(static_cast<double>(kRows.size()) / nni["window_m2"].get<double>()),
                1e-6);
    EXPECT_TRUE(nni["correction"].get<std::string>().starts_with("none")) << target;
    for (const char* key : {"z", "p"}) EXPECT_TRUE(nni[key].is_number()) << key;
  }
  // One incident selected: no nearest neighbour, no index.
  EXPECT_TRUE(body(get("/api/hotspots/kde?from=2024-04-10&to=2024-04-10"))["metadata"]["nni"].is_null());
}

TEST_F(Methods, ClustersAndTheLoadReportCountDistinctLocations) {
  const json clusters = body(get("/api/hotspots/dbscan?eps=100&min_points=3"));
  ASSERT_EQ(clusters["features"].size(), 1u);
  EXPECT_EQ(clusters["features"][0]["properties"]["distinct_locations"], 3);
  EXPECT_EQ(body(get("/api/hotspots/dbscan?eps=100&min_points=3&min_locations=4"))["features"].size(), 0u);
  EXPECT_EQ(body(get("/api/hotspots/dbscan?eps=100&min_points=3&min_locations=3"))["features"].size(), 1u);
  expect_error(get("/api/hotspots/dbscan?min_locations=0"), 400, "invalid_parameter", "min_locations");
  const json report = body(get("/api/load-report"));
  EXPECT_EQ(report["incidents"]["distinct_locations"], distinct_coordinates());
  EXPECT_EQ(report["incidents"]["stacked_rows"], 0);
}

TEST_F(Methods, EvaluateScoresDbscanHullsFromTheRows) {
  // Fitted on March: the d1-d2-d3 triangle, which holds all three (on its
  // boundary) and none of the four later rows.
  const auto r = get(std::string("/api/evaluate?") + kPeriods + "&method=dbscan&eps=100&min_points=3");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  ASSERT_EQ(b["features"].size(), 1u);
  const json& p = b["features"][0]["properties"];
  EXPECT_EQ(p["method"], "dbscan");
  EXPECT_TRUE(p["coverage_percent"].is_null());
  EXPECT_EQ(p["train_incidents"], 3);
  EXPECT_EQ(p["train_total"], 3);
  EXPECT_EQ(p["test_incidents"], 0);
  EXPECT_EQ(p["test_total"], 4);
  EXPECT_EQ(p["hit_rate"], 0);
  EXPECT_EQ(b["features"][0]["geometry"]["type"], "Polygon");
  EXPECT_EQ(b["metadata"]["endpoint"], "evaluate");
  EXPECT_EQ(b["metadata"]["counts"]["selected"], 4);
  EXPECT_EQ(b["metadata"]["counts"]["train"]["selected"], 3);
  EXPECT_TRUE(p["summary"].get<std::string>().starts_with("last period's hotspots held 0.0 % "));
}

TEST_F(Methods, EvaluateGridMethodsAnswerEachCoverage) {
  for (const char* method : {"kde", "gistar"}) {
    const auto r = get(std::string("/api/evaluate?") + kPeriods + "&method=" + method);
    ASSERT_EQ(r.status, 200) << r.body;
    const json b = body(r);
    ASSERT_EQ(b["features"].size(), 3u) << method;
    const double coverages[] = {1, 5, 10};
    double previous = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      const json& p = b["features"][k]["properties"];
      EXPECT_EQ(p["coverage_percent"].get<double>(), coverages[k]) << method;
      EXPECT_LE(p["area_percent"].get<double>(), p["coverage_percent"].get<double>() + 1e-9);
      EXPECT_GE(p["area_percent"].get<double>(), previous);
      previous = p["area_percent"].get<double>();
      EXPECT_EQ(p["test_total"], 4);
      EXPECT_EQ(p["train_total"], 3);
    }
  }
}

TEST_F(Methods, EvaluateRefusesWhatItCannotScore) {
  const std::string periods = kPeriods;
  expect_error(get("/api/evaluate"), 400, "invalid_parameter", "train_from");
  expect_error(get("/api/evaluate?" + periods + "&coverage=0"), 400, "invalid_parameter", "coverage");
  expect_error(get("/api/evaluate?" + periods + "&coverage=10,5"), 400, "invalid_parameter", "coverage");
  expect_error(get("/api/evaluate?" + periods + "&method=hexbin"), 400, "invalid_parameter", "method");
  expect_error(get("/api/evaluate?" + periods + "&from=2024-01-01"), 400, "unknown_parameter", "from");
  expect_error(get("/api/evaluate?" + periods + "&method=kde&band=500"), 400, "invalid_parameter", "band");
  expect_error(get("/api/evaluate?train_from=2024-03-01&train_to=2024-04-30&test_from=2024-04-01"
                   "&test_to=2024-06-30"),
               400, "invalid_parameter", "overlap");
}

}  // namespace
}  // namespace hotspot::http
