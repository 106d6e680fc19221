// Population rates in /api/stats/*, /api/compare?by=clusters and
// /api/profile for one town centre or cluster, each checked against counts
// made here from the rows or the layers.
#include "handler_fixture.hpp"

#include "hotspot/data/population.hpp"

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <set>

namespace hotspot::http {
namespace {

namespace fs = std::filesystem;
using fixture::kRows;
using nlohmann::json;
using Groups = fixture::HandlerFixture;

// `base` with these populations (and a new version, as a reload with them
// would give).
std::shared_ptr<const data::Snapshot> with_populations(const data::Snapshot& base,
                                                       data::Populations populations) {
  auto snapshot = std::make_shared<data::Snapshot>(base);
  snapshot->populations = std::make_shared<const data::Populations>(std::move(populations));
  snapshot->version += "-populations";
  return snapshot;
}

TEST_F(Groups, WardStatsAddPopulationRates) {
  const json plain = body(get("/api/stats/wards"));
  ASSERT_GT(plain["features"].size(), 2u);
  EXPECT_FALSE(plain["features"][0]["properties"].contains("per_1000"));
  EXPECT_FALSE(plain["metadata"].contains("population"));

  // Every ward but the last, with made-up populations.
  std::map<std::string, double> residents;
  const fs::path csv_path = dir_ / "ward-population.csv";
  {
    std::ofstream csv(csv_path);
    csv << "WD22CD,population\n";
    for (std::size_t i = 0; i + 1 < plain["features"].size(); ++i) {
      const std::string id = plain["features"][i]["id"];
      residents[id] = 2000 + 37.0 * static_cast<double>(i);
      csv << id << ',' << residents[id] << '\n';
    }
  }
  data::Store store;
  store.replace(with_populations(
      *store_->current(), data::load_populations({data::PopulationSource{"wards", csv_path.string()}})));
  ASSERT_TRUE(store.current()->populations->wards && store.current()->populations->wards->table);
  Context c = context();
  c.store = &store;
  const auto r = handle(*make_request("GET", "/api/stats/wards"), c);
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  int with_rate = 0;
  for (const auto& f : b["features"]) {
    const std::string id = f["id"];
    const auto& p = f["properties"];
    if (!residents.count(id)) {
      EXPECT_TRUE(p["population"].is_null()) << id;
      EXPECT_TRUE(p["per_1000"].is_null()) << id;
      continue;
    }
    EXPECT_EQ(p["population"].get<double>(), residents[id]) << id;
    const double expected = p["total"].get<double>() / residents[id] * 1000;
    EXPECT_NEAR(p["per_1000"].get<double>(), expected, 1e-9) << id;
    with_rate += p["total"].get<int>() > 0;
  }
  EXPECT_GT(with_rate, 0);  // some ward with incidents has a non-zero rate
  const std::string last = plain["features"].back()["id"];
  EXPECT_EQ(b["metadata"]["population"]["file"], csv_path.filename().string());  // no directories
  EXPECT_EQ(b["metadata"]["population"]["missing"], json::array({last}));
  // The town-centre layer has no table: no rates there.
  const json centres =
      body(handle(*make_request("GET", "/api/stats/town-centres"), c));
  EXPECT_FALSE(centres["features"][0]["properties"].contains("per_1000"));
}

TEST_F(Groups, BadPopulationFileIsReportedNotServed) {
  const fs::path csv_path = dir_ / "bad-population.csv";
  {
    std::ofstream csv(csv_path);
    csv << "code,population\nE05000001,many\n";
  }
  const data::Populations loaded =
      data::load_populations({data::PopulationSource{"town-centres", csv_path.string()}});
  ASSERT_TRUE(loaded.town_centres);
  EXPECT_FALSE(loaded.town_centres->table);
  EXPECT_FALSE(loaded.town_centres->error.empty());
  data::Store store;
  store.replace(with_populations(*store_->current(), loaded));
  Context c = context();
  c.store = &store;
  const auto r = handle(*make_request("GET", "/api/stats/town-centres"), c);
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  EXPECT_FALSE(b["features"][0]["properties"].contains("per_1000"));
  EXPECT_EQ(b["metadata"]["population"]["error"],
            data::without_directories(loaded.town_centres->error, csv_path.string()));
  const std::string error = b["metadata"]["population"]["error"];
  EXPECT_EQ(error.find(csv_path.parent_path().string()), std::string::npos) << error;
}

TEST_F(Groups, ProfileOfOneTownCentre) {
  // Brute force: the incidents whose town_centre property is durham-city.
  const json incidents = body(get("/api/incidents"));
  int expected = 0;
  for (const auto& f : incidents["features"]) {
    expected += f["properties"]["town_centre"] == "durham-city";
  }
  ASSERT_GT(expected, 0);
  const auto r = get("/api/profile?town_centre=durham-city");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  int monthly = 0;
  for (const auto& m : b["monthly"]) monthly += m["count"].get<int>();
  EXPECT_EQ(monthly, expected);
  EXPECT_EQ(b["hour_of_week_total"], expected);  // every kRows time has minutes
  EXPECT_EQ(b["metadata"]["profile_of"]["town_centre"], "durham-city");
  expect_error(get("/api/profile?town_centre=nowhere"), 400, "invalid_parameter", "nowhere");
  expect_error(get("/api/profile?eps=50"), 400, "invalid_parameter", "eps");
}

// A hand-made snapshot: two tight groups of incidents far apart, in two
// periods, and one lone incident.
struct Point {
  double lon, lat;
  std::string time;
  int group;  // 0 Durham, 1 Bishop Auckland, -1 alone
};

std::vector<Point> cluster_points() {
  std::vector<Point> out;
  auto add = [&](int group, double lon, double lat, int n, const std::string& month) {
    for (int k = 0; k < n; ++k) {
      // About 6 m apart in longitude: well within eps 100 m.
      out.push_back({lon + 0.0001 * k, lat + 0.00005 * (k % 2),
                     "2024-" + month + "-1" + std::to_string(k) + "T21:30:00+00:00", group});
    }
  };
  add(0, -1.5757, 54.7768, 5, "03");
  add(0, -1.5757, 54.7769, 3, "05");
  add(1, -1.6775, 54.6642, 2, "03");
  add(1, -1.6775, 54.6641, 7, "05");
  out.push_back({-1.8310, 54.8532, "2024-03-20T10:00:00+00:00", -1});
  return out;
}

class Clusters : public fixture::StoreFixture {
 protected:
  static void SetUpTestSuite() {
    load_store("hotspot-clusters", [](std::ostream& csv) {
      int id = 0;
      for (const auto& p : cluster_points()) {
        csv << "c" << id++ << ',' << p.lon << ',' << p.lat << ",Public order," << p.time << '\n';
      }
    });
  }
  // Which hand-made group a feature's geometry lies on: the nearest group
  // start to the mean of its coordinates.
  static int group_of(const json& geometry) {
    double sx = 0, sy = 0;
    int n = 0;
    std::function<void(const json&)> walk = [&](const json& v) {
      if (v.is_array() && v.size() == 2 && v[0].is_number()) {
        sx += v[0].get<double>();
        sy += v[1].get<double>();
        ++n;
      } else if (v.is_array()) {
        for (const auto& e : v) walk(e);
      }
    };
    walk(geometry["coordinates"]);
    if (n == 0) return -2;
    const double x = sx / n, y = sy / n;
    const double d0 = std::hypot(x + 1.5757, y - 54.7768);
    const double d1 = std::hypot(x + 1.6775, y - 54.6642);
    return d0 < d1 ? 0 : 1;
  }
};

constexpr const char* kPeriods = "a_from=2024-03-01&a_to=2024-03-31&b_from=2024-05-01&b_to=2024-05-31";

TEST_F(Clusters, CompareCountsEachCluster) {
  int count[2][2] = {{0, 0}, {0, 0}};  // [group][period]
  for (const auto& p : cluster_points()) {
    if (p.group >= 0) ++count[p.group][p.time.substr(5, 2) == "05"];
  }
  const auto r = get(std::string("/api/compare?by=clusters&eps=100&min_points=3&") + kPeriods);
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  ASSERT_EQ(b["features"].size(), 2u) << r.body;
  const json dbscan = body(get("/api/hotspots/dbscan?eps=100&min_points=3"));
  std::set<std::string> dbscan_ids;
  for (const auto& f : dbscan["features"]) dbscan_ids.insert(f["id"]);
  bool seen[2] = {false, false};
  for (const auto& f : b["features"]) {
    const int g = group_of(f["geometry"]);
    ASSERT_TRUE(g == 0 || g == 1) << f.dump();
    seen[g] = true;
    EXPECT_EQ(f["properties"]["count_a"], count[g][0]) << g;
    EXPECT_EQ(f["properties"]["count_b"], count[g][1]) << g;
    EXPECT_EQ(f["properties"]["change"], count[g][1] - count[g][0]) << g;
    EXPECT_EQ(f["properties"]["id"], f["id"]);
    // Every row lies in one of the periods, so the clusters are the whole data's.
    EXPECT_TRUE(dbscan_ids.count(f["id"])) << f["id"];
  }
  EXPECT_TRUE(seen[0] && seen[1]);
  EXPECT_EQ(b["metadata"]["counts"]["ungrouped"]["a"], 1);  // the lone incident
  EXPECT_EQ(b["metadata"]["counts"]["ungrouped"]["b"], 0);
  EXPECT_EQ(b["metadata"]["counts"]["clusters"], 2);

  // DBSCAN parameters are validated as /api/hotspots/dbscan does.
  EXPECT_EQ(get(std::string("/api/compare?by=clusters&eps=0&") + kPeriods).status, 400);
  EXPECT_EQ(get(std::string("/api/compare?by=clusters&min_points=0&") + kPeriods).status, 400);
  EXPECT_EQ(get(std::string("/api/compare?by=wards&eps=50&") + kPeriods).status, 400);
}

TEST_F(Clusters, ProfileOfOneCluster) {
  const json dbscan = body(get("/api/hotspots/dbscan?eps=100&min_points=3"));
  ASSERT_EQ(dbscan["features"].size(), 2u);
  for (const auto& f : dbscan["features"]) {
    const int g = group_of(f["geometry"]);
    int expected = 0;
    std::map<std::string, int> by_month;
    for (const auto& p : cluster_points()) {
      if (p.group != g) continue;
      ++expected;
      ++by_month[p.time.substr(0, 7)];
    }
    const std::string id = f["id"];
    const auto r = get("/api/profile?cluster=" + id + "&eps=100&min_points=3");
    ASSERT_EQ(r.status, 200) << r.body;
    const json b = body(r);
    EXPECT_EQ(b["hour_of_week_total"], expected) << id;
    // Every point is on a Friday-or-other day at 21:30 UTC: count them in
    // the 21:00 column of whichever weekday, summed.
    int at_21 = 0;
    for (const auto& day : b["hour_of_week"]) at_21 += day[21].get<int>();
    EXPECT_EQ(at_21, by_month["2024-03"]);  // March is GMT; May's 21:30Z is 22:30 local
    for (const auto& m : b["monthly"]) {
      const std::string month = m["month"];
      EXPECT_EQ(m["count"], by_month.count(month) ? by_month[month] : 0) << month;
    }
    EXPECT_EQ(b["metadata"]["profile_of"]["cluster"], id);
  }
  // Default eps/min_points (100 m, 10) find no cluster with this id.
  const std::string id = dbscan["features"][0]["id"];
  const auto missing = get("/api/profile?cluster=" + id);
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(get("/api/profile?cluster=0000000000000000&eps=100&min_points=3").status, 404);
  EXPECT_EQ(get("/api/profile?cluster=" + id + "&town_centre=durham-city").status, 400);
}

}  // namespace
}  // namespace hotspot::http
