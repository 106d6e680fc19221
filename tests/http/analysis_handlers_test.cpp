// The analysis endpoints against kRows (handler_fixture.hpp): each expected
// value is worked out from the rows themselves or from a property any
// correct answer has (kernels integrate to 1, counts add up).
#include "handler_fixture.hpp"

#include "hotspot/http/cache.hpp"

#include <cmath>
#include <map>
#include <set>

namespace hotspot::http {
namespace {

using fixture::kRows;
using fixture::Row;
using nlohmann::json;
using Analysis = fixture::HandlerFixture;

std::string header(const Response& r, const std::string& name) {
  for (const auto& [key, value] : r.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST_F(Analysis, DbscanFindsTheDurhamTrio) {
  // d1, d2, d3 lie within about 60 m of each other; every other row is
  // kilometres from any other. With eps 100 m and 3 points they are the only
  // cluster, and its hull is their triangle.
  const auto r = get("/api/hotspots/dbscan?eps=100&min_points=3");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  ASSERT_EQ(b["features"].size(), 1u);
  const json& f = b["features"][0];
  EXPECT_TRUE(f["id"].is_string());  // the stable id (hotspot_properties_test.cpp)
  EXPECT_EQ(f["properties"]["count"], 3);
  EXPECT_EQ(f["properties"]["core_count"], 3);
  EXPECT_EQ(f["properties"]["by_category"]["violence"], 1);
  EXPECT_EQ(f["properties"]["by_category"]["criminal_damage"], 1);
  EXPECT_EQ(f["properties"]["by_category"]["public_order"], 1);
  EXPECT_EQ(f["geometry"]["type"], "Polygon");
  const json& ring = f["geometry"]["coordinates"][0];
  ASSERT_EQ(ring.size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) {
    bool matches = false;
    for (std::size_t k = 0; k < 3; ++k) {
      matches = matches || (std::abs(ring[i][0].get<double>() - kRows[k].lon) < 2e-6 &&
                            std::abs(ring[i][1].get<double>() - kRows[k].lat) < 2e-6);
    }
    EXPECT_TRUE(matches) << ring[i];
  }
  EXPECT_EQ(b["metadata"]["counts"]["clusters"], 1);
  EXPECT_EQ(b["metadata"]["counts"]["noise"], kRows.size() - 3);
  EXPECT_EQ(b["metadata"]["parameters"]["eps"], "100");
  // With 4 points needed nothing clusters.
  EXPECT_EQ(body(get("/api/hotspots/dbscan?eps=100&min_points=4"))["features"].size(), 0u);
}

TEST_F(Analysis, KdeIntegratesToThePointCount) {
  // Each kernel integrates to 1, so density x cell area summed over every
  // non-zero cell is the number of selected points (up to the discretisation).
  const auto r = get("/api/hotspots/kde?cell=100&bandwidth=500&threshold=0");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  double mass = 0, max_relative = 0;
  for (const auto& f : b["features"]) {
    mass += f["properties"]["density"].get<double>() * 0.01;  // 100 m cells: 0.01 km2
    max_relative = std::max(max_relative, f["properties"]["relative"].get<double>());
  }
  EXPECT_NEAR(mass, static_cast<double>(kRows.size()), 0.02 * kRows.size());
  EXPECT_DOUBLE_EQ(max_relative, 1.0);
  // The densest cells sit on the Durham trio: three kernels overlapping.
  const double max_density = b["metadata"]["max_density"];
  EXPECT_GT(max_density, 2.5 * 3 / (M_PI * 0.25) * 0.8);
  // A threshold keeps only the cells at or above that fraction of the maximum.
  const json top = body(get("/api/hotspots/kde?cell=100&bandwidth=500&threshold=0.5"));
  EXPECT_LT(top["features"].size(), b["features"].size());
  for (const auto& f : top["features"]) {
    EXPECT_GE(f["properties"]["density"].get<double>(), 0.5 * max_density - 1e-3);
  }
}

TEST_F(Analysis, GiStarCountsAddUpAndBinsAreConsistent) {
  const auto r = get("/api/hotspots/gistar?cell=1000&band=3000&all=true");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  const json& grid = b["metadata"]["grid"];
  EXPECT_EQ(b["features"].size(), grid["nx"].get<std::size_t>() * grid["ny"].get<std::size_t>());
  double total = 0;
  for (const auto& f : b["features"]) {
    total += f["properties"]["count"].get<double>();
    const int bin = f["properties"]["bin"];
    const double z = f["properties"]["z"];
    const double p = f["properties"]["p"];
    EXPECT_GE(p, 0);
    EXPECT_LE(p, 1);
    if (bin != 0) {
      EXPECT_EQ(bin > 0, z > 0);
    }
    // Bins follow the p thresholds (no FDR here).
    const int expected = p <= 0.01 ? 3 : p <= 0.05 ? 2 : p <= 0.10 ? 1 : 0;
    EXPECT_EQ(std::abs(bin), expected) << f["id"] << " p=" << p;
  }
  EXPECT_EQ(total + b["metadata"]["counts"]["outside_grid"].get<double>(), kRows.size());
  // Without all=true only significant cells come back.
  const json significant = body(get("/api/hotspots/gistar?cell=1000&band=3000"));
  for (const auto& f : significant["features"]) EXPECT_NE(f["properties"]["bin"], 0);
}

TEST_F(Analysis, WardStatsMatchTheIncidentJoin) {
  // Brute force: group /api/incidents by its ward property.
  std::map<std::string, int> expected;
  const json incidents = body(get("/api/incidents"));
  for (const auto& f : incidents["features"]) {
    ++expected[f["properties"]["ward"].get<std::string>()];
  }
  const auto r = get("/api/stats/wards");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  ASSERT_EQ(b["features"].size(), 63u);
  int total = 0;
  for (const auto& f : b["features"]) {
    const std::string id = f["id"];
    const int count = f["properties"]["total"];
    EXPECT_EQ(count, expected.count(id) ? expected[id] : 0) << id;
    total += count;
    const double area = f["properties"]["area_km2"];
    EXPECT_NEAR(f["properties"]["per_km2"].get<double>(), area > 0 ? count / area : 0, 1e-3);
  }
  EXPECT_EQ(total, static_cast<int>(kRows.size()));

  // Town centres, violence and damage only: group the same incidents by
  // their town_centre property.
  std::map<std::string, int> in_centre;
  for (const auto& f : incidents["features"]) {
    const auto& p = f["properties"];
    if ((p["category"] == "violence" || p["category"] == "criminal_damage") &&
        !p["town_centre"].is_null()) {
      ++in_centre[p["town_centre"].get<std::string>()];
    }
  }
  EXPECT_EQ(in_centre["durham-city"], 2);
  const json centres = body(get("/api/stats/town-centres?category=violence,criminal_damage"));
  ASSERT_EQ(centres["features"].size(), 12u);
  for (const auto& f : centres["features"]) {
    const std::string id = f["id"];
    EXPECT_EQ(f["properties"]["total"], in_centre.count(id) ? in_centre[id] : 0) << id;
  }
}

TEST_F(Analysis, CompareCountsEachPeriod) {
  const auto r = get(
      "/api/compare?a_from=2024-03-01&a_to=2024-03-31&b_from=2024-04-01&b_to=2024-06-30");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  std::size_t a = 0, later = 0;
  for (const auto& row : kRows) {
    a += row.local_day >= 19783 && row.local_day <= 19813;
    later += row.local_day >= 19814 && row.local_day <= 19904;
  }
  EXPECT_EQ(b["metadata"]["total"]["count_a"], a);
  EXPECT_EQ(b["metadata"]["total"]["count_b"], later);
  EXPECT_EQ(b["metadata"]["exposure_days"]["a"], 31);
  EXPECT_EQ(b["metadata"]["exposure_days"]["b"], 91);
  std::size_t sum_a = 0, sum_b = 0;
  for (const auto& f : b["features"]) {
    sum_a += f["properties"]["count_a"].get<std::size_t>();
    sum_b += f["properties"]["count_b"].get<std::size_t>();
    if (f["properties"]["count_a"] == 0) {
      EXPECT_TRUE(f["properties"]["percent_change"].is_null());
    }
  }
  EXPECT_EQ(sum_a, a);
  EXPECT_EQ(sum_b, later);

  expect_error(get("/api/compare?a_from=2024-03-01&a_to=2024-03-31&b_from=2024-04-01"), 400,
               "invalid_parameter", "'b_to'");
  expect_error(get("/api/compare?a_from=2024-03-01&a_to=2024-03-31&b_from=2024-03-15&b_to=2024-04-30"),
               400, "invalid_parameter");
  expect_error(get("/api/compare?from=2024-01-01&a_from=2024-03-01&a_to=2024-03-31&b_from=2024-04-01&b_to=2024-04-30"),
               400, "unknown_parameter", "'from'");
  expect_error(get("/api/compare?by=lsoa&a_from=2024-03-01&a_to=2024-03-31&b_from=2024-04-01&b_to=2024-04-30"),
               400, "invalid_parameter", "'by'");
}

TEST_F(Analysis, ProfileHourOfWeek) {
  // Local weekday (Monday 0) and hour of each row, read off the calendar.
  const std::map<std::string, std::pair<int, int>> when{
      {"d1", {4, 21}}, {"d2", {5, 1}},  {"d3", {1, 12}}, {"ba", {2, 22}},
      {"co", {2, 10}}, {"se", {5, 20}}, {"pe", {3, 23}}};
  const auto r = get("/api/profile");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  int expected[7][24] = {};
  for (const auto& [id, wh] : when) ++expected[wh.first][wh.second];
  for (int d = 0; d < 7; ++d) {
    for (int h = 0; h < 24; ++h) EXPECT_EQ(b["hour_of_week"][d][h], expected[d][h]) << d << " " << h;
  }
  EXPECT_EQ(b["hour_of_week_total"], kRows.size());
  const json monthly = b["monthly"];
  ASSERT_EQ(monthly.size(), 4u);
  EXPECT_EQ(monthly[0], json({{"month", "2024-03"}, {"count", 3}}));
  EXPECT_EQ(monthly[1]["count"], 1);
  EXPECT_EQ(monthly[2]["count"], 1);
  EXPECT_EQ(monthly[3], json({{"month", "2024-06"}, {"count", 2}}));
}

TEST_F(Analysis, RejectsBadParameters) {
  for (const char* target :
       {"/api/hotspots/dbscan?eps=0", "/api/hotspots/dbscan?eps=5001", "/api/hotspots/dbscan?eps=x",
        "/api/hotspots/dbscan?min_points=0", "/api/hotspots/dbscan?min_points=2.5",
        "/api/hotspots/kde?cell=5", "/api/hotspots/kde?bandwidth=0", "/api/hotspots/kde?threshold=2",
        "/api/hotspots/kde?cell=10&bandwidth=5000", "/api/hotspots/gistar?band=100&cell=250",
        "/api/hotspots/gistar?fdr=yes", "/api/hotspots/gistar?all=1",
        "/api/stats/wards?category=none", "/api/profile?window=9-5"}) {
    const auto r = get(target);
    EXPECT_EQ(r.status, 400) << target << ": " << r.body;
  }
  expect_error(get("/api/hotspots/dbscan?cell=100"), 400, "unknown_parameter", "'cell'");
  expect_error(get("/api/stats/wards?eps=100"), 400, "unknown_parameter", "'eps'");
  expect_error(get("/api/hotspots/kde?cell=10&bandwidth=1000"), 413, "payload_too_large");
}

TEST_F(Analysis, CacheAnswersRepeatsAndKeysOnParameters) {
  ResponseCache cache(16, 1 << 24);
  Context c = context();
  c.cache = &cache;
  auto ask = [&](const std::string& target) { return handle(*make_request("GET", target), c); };
  const auto first = ask("/api/hotspots/dbscan?eps=100&min_points=3");
  EXPECT_EQ(header(first, "X-Cache"), "miss");
  const auto second = ask("/api/hotspots/dbscan?min_points=3&eps=100");
  EXPECT_EQ(header(second, "X-Cache"), "hit") << "same parameters in another order";
  EXPECT_EQ(second.body, first.body);
  // "100.0" normalises to the same value as "100".
  EXPECT_EQ(header(ask("/api/hotspots/dbscan?eps=100.0&min_points=3"), "X-Cache"), "hit");
  EXPECT_EQ(header(ask("/api/hotspots/dbscan?eps=120&min_points=3"), "X-Cache"), "miss");
  // Errors are not cached.
  ask("/api/hotspots/dbscan?eps=0");
  EXPECT_EQ(cache.size(), 2u);
}

// Every endpoint keys its cache entries on its own parameters: an answer to
// one query is never served for another (each endpoint, two distinct
// queries, the second must be a miss and echo its own parameters).
TEST_F(Analysis, CacheNeverServesOneQueryForAnother) {
  ResponseCache cache(64, 1 << 26);
  Context c = context();
  c.cache = &cache;
  auto ask = [&](const std::string& target) { return handle(*make_request("GET", target), c); };
  // A profile of one cluster: its id is text, which a moved-from parameters
  // struct would have lost from the key.
  const json clusters = json::parse(ask("/api/hotspots/dbscan?eps=100&min_points=3").body);
  ASSERT_FALSE(clusters["features"].empty());
  const std::string cluster = clusters["features"][0]["id"];
  const std::pair<std::string, std::string> pairs[] = {
      {"/api/profile?eps=100&min_points=3&cluster=" + cluster, "/api/profile"},
      {"/api/hotspots/dbscan?category=violence", "/api/hotspots/dbscan"},
      {"/api/hotspots/kde?output=contours&levels=1,2", "/api/hotspots/kde?output=contours"},
      {"/api/hotspots/gistar?category=violence", "/api/hotspots/gistar"},
      {"/api/stats/wards?category=violence", "/api/stats/wards"},
      {"/api/stats/town-centres?category=violence", "/api/stats/town-centres"},
      {"/api/incidents?category=violence", "/api/incidents"}};
  for (const auto& [narrow, wide] : pairs) {
    const auto first = ask(narrow);
    ASSERT_EQ(first.status, 200) << narrow << " " << first.body;
    const auto second = ask(wide);
    ASSERT_EQ(second.status, 200) << wide << " " << second.body;
    EXPECT_EQ(header(second, "X-Cache"), "miss") << wide;
    EXPECT_NE(json::parse(second.body)["metadata"]["parameters"],
              json::parse(first.body)["metadata"]["parameters"])
        << wide;
  }
}

// Public and private answers never share a cache entry, and each says which
// policy made it; /api/incidents is 403 in public mode through the cache too.
TEST_F(Analysis, PublicModeIsPartOfTheCacheKey) {
  ResponseCache cache(16, 1 << 24);
  Context open = context();
  open.cache = &cache;
  Context closed = open;
  closed.disclosure = engine::Disclosure{true, 5};
  const std::string target = "/api/stats/wards?format=csv";
  const auto first = handle(*make_request("GET", target), open);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto other = handle(*make_request("GET", target), closed);
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(header(other, "X-Cache"), "miss") << "a public request must not get the private answer";
  EXPECT_NE(other.body, first.body);
  EXPECT_EQ(header(handle(*make_request("GET", target), closed), "X-Cache"), "hit");
  EXPECT_EQ(header(handle(*make_request("GET", target), open), "X-Cache"), "hit");
  const json open_json = body(handle(*make_request("GET", "/api/stats/wards"), open));
  const json closed_json = body(handle(*make_request("GET", "/api/stats/wards"), closed));
  EXPECT_EQ(open_json["metadata"]["disclosure"]["public"], false);
  EXPECT_EQ(closed_json["metadata"]["disclosure"]["public"], true);
  EXPECT_EQ(closed_json["metadata"]["disclosure"]["min_count"], 5);
  for (const char* incidents : {"/api/incidents", "/api/incidents?format=gpkg"}) {
    expect_error(handle(*make_request("GET", incidents), closed), 403, "forbidden");
    EXPECT_EQ(handle(*make_request("GET", incidents), open).status, 200);
  }
}

TEST(ResponseCache, EvictsLeastRecentlyUsed) {
  ResponseCache cache(2, 100);
  auto response = [](std::size_t bytes) {
    auto r = std::make_shared<Response>();
    r->body.assign(bytes, 'x');
    return r;
  };
  cache.put("a", response(10));
  cache.put("b", response(10));
  ASSERT_NE(cache.get("a"), nullptr);  // a is now the most recent
  cache.put("c", response(10));
  EXPECT_EQ(cache.get("b"), nullptr);
  EXPECT_NE(cache.get("a"), nullptr);
  EXPECT_NE(cache.get("c"), nullptr);
  // By bytes: 90 more (110 in all) pushes out the least recent, a.
  cache.put("d", response(90));
  EXPECT_EQ(cache.bytes(), 100u);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.get("a"), nullptr);
  EXPECT_NE(cache.get("c"), nullptr);
  cache.put("e", response(101));  // larger than the budget: not kept
  EXPECT_EQ(cache.get("e"), nullptr);
  EXPECT_NE(cache.get("d"), nullptr);
}

}  // namespace
}  // namespace hotspot::http
