// Area groups through the handlers: /api/layers/groups, the group= filter
// on the shared selection path, /api/stats/groups, each checked against
// counts made here: the assignment by brute force (every ward against every
// constituency with GEOS), the rows by the table's own ward column.
#include "handler_fixture.hpp"

#include "hotspot/data/population.hpp"
#include "hotspot/geo/geos.hpp"

#include <fstream>
#include <map>
#include <set>

namespace hotspot::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class WardGroups : public fixture::StoreFixture {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("hotspot-ward-groups-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    store_ = new data::Store;
    store_->replace(
        fixture::load_with_bundled_layers(HOTSPOT_SOURCE_DIR "/geodata/incidents-synthetic.csv"));
  }

  // Group id -> ward ids, by the rule worked out the slow way: the group
  // with the largest GEOS intersection area, the first on a tie.
  static std::map<std::string, std::set<std::string>> brute_force_groups() {
    const data::Snapshot& s = *store_->current();
    std::map<std::string, std::set<std::string>> out;
    for (std::size_t w = 0; w < s.wards->size(); ++w) {
      double best = 0;
      std::string group;
      for (std::size_t g = 0; g < s.groups->layer->size(); ++g) {
        const double a = geo::intersection_area(s.wards->geometries[w].get(),
                                                s.groups->layer->geometries[g].get())
                             .value_or(-1);
        if (a > best) {
          best = a;
          group = s.groups->layer->ids[g];
        }
      }
      if (!group.empty()) out[group].insert(s.wards->ids[w]);
    }
    return out;
  }

  // Rows per group: a row counts where its ward (the table's column) is one
  // of the group's wards.
  static std::map<std::string, std::size_t> brute_force_counts() {
    const data::Snapshot& s = *store_->current();
    std::map<std::string, std::string> group_of_ward;
    for (const auto& [group, wards] : brute_force_groups()) {
      for (const auto& ward : wards) group_of_ward[ward] = group;
    }
    std::map<std::string, std::size_t> out;
    for (const std::int32_t w : s.incidents->ward) {
      if (w < 0) continue;
      const auto it = group_of_ward.find(s.wards->ids[static_cast<std::size_t>(w)]);
      if (it != group_of_ward.end()) ++out[it->second];
    }
    return out;
  }
};

TEST_F(WardGroups, LayerListsEveryWardOnceWithItsShare) {
  const auto r = get("/api/layers/groups");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  ASSERT_EQ(b["features"].size(), 6u);
  EXPECT_NE(b["metadata"]["assignment"].get<std::string>().find("largest part of its area"),
            std::string::npos);
  EXPECT_EQ(b["metadata"]["unassigned"], json::array());
  const auto expected = brute_force_groups();
  std::set<std::string> seen;
  for (const auto& f : b["features"]) {
    const std::string id = f["id"];
    EXPECT_EQ(f["geometry"]["type"].get<std::string>().find("Polygon") != std::string::npos, true);
    std::set<std::string> wards;
    for (const auto& w : f["properties"]["wards"]) {
      const double share = w["share"];
      EXPECT_GT(share, 0.0) << w;
      EXPECT_LE(share, 1.0) << w;
      EXPECT_TRUE(seen.insert(w["id"].get<std::string>()).second) << "ward in two groups: " << w;
      wards.insert(w["id"].get<std::string>());
      EXPECT_FALSE(w["name"].get<std::string>().empty());
    }
    EXPECT_EQ(wards, expected.at(id)) << id;
  }
  EXPECT_EQ(seen.size(), store_->current()->wards->size()) << "every County Durham ward has a group";

  const json layers = body(get("/api/layers"));
  bool listed = false;
  for (const auto& layer : layers["layers"]) {
    if (layer["name"] != "groups") continue;
    listed = true;
    EXPECT_EQ(layer["features"], 6);
    EXPECT_EQ(layer["url"], "/api/layers/groups");
    EXPECT_EQ(layer["unassigned_wards"], 0);
  }
  EXPECT_TRUE(listed);
}

TEST_F(WardGroups, GroupFilterSelectsExactlyTheRowsOfItsWards) {
  const auto counts = brute_force_counts();
  ASSERT_EQ(counts.size(), 6u);
  std::size_t sum = 0;
  for (const auto& [group, expected] : counts) {
    sum += expected;
    const json incidents = body(get("/api/incidents?limit=1&group=" + group));
    EXPECT_EQ(incidents["metadata"]["paging"]["total"], expected) << group;
    EXPECT_EQ(incidents["metadata"]["parameters"]["group"], group);
    // The filter narrows every endpoint alike: per ward, only the group's wards count.
    const json wards = body(get("/api/stats/wards?group=" + group));
    const auto members = brute_force_groups().at(group);
    std::size_t total = 0;
    for (const auto& f : wards["features"]) {
      const std::size_t n = f["properties"]["total"];
      if (!members.count(f["id"].get<std::string>())) {
        EXPECT_EQ(n, 0u) << f["id"];
      }
      total += n;
    }
    EXPECT_EQ(total, expected) << group;
  }
  EXPECT_EQ(sum, store_->current()->incidents->size()) << "every synthetic row is in some group";
}

TEST_F(WardGroups, GroupStatsAreTheSumOfTheirWardsStats) {
  const json layer = body(get("/api/layers/groups"));
  for (const std::string query : {"", "?preset=nte", "?category=violence&days=sat"}) {
    const json wards = body(get("/api/stats/wards" + query));
    const auto r = get("/api/stats/groups" + query);
    ASSERT_EQ(r.status, 200) << r.body;
    const json groups = body(r);
    std::map<std::string, json> ward_props;
    for (const auto& f : wards["features"]) ward_props[f["id"]] = f["properties"];
    ASSERT_EQ(groups["features"].size(), layer["features"].size());
    std::size_t grouped = 0;
    for (std::size_t g = 0; g < groups["features"].size(); ++g) {
      const json& p = groups["features"][g]["properties"];
      ASSERT_EQ(groups["features"][g]["id"], layer["features"][g]["id"]);
      std::size_t total = 0;
      std::map<std::string, std::size_t> by_category;
      double area = 0;
      for (const auto& w : layer["features"][g]["properties"]["wards"]) {
        const json& wp = ward_props.at(w["id"]);
        total += wp["total"].get<std::size_t>();
        area += wp["area_km2"].get<double>();
        for (const auto& [k, v] : wp["by_category"].items()) by_category[k] += v.get<std::size_t>();
      }
      EXPECT_EQ(p["total"], total) << query << " " << p["name"];
      for (const auto& [k, v] : p["by_category"].items()) EXPECT_EQ(v, by_category[k]) << k;
      EXPECT_NEAR(p["area_km2"].get<double>(), area, 1e-3);
      grouped += total;
    }
    EXPECT_EQ(groups["metadata"]["counts"]["selected"], wards["metadata"]["counts"]["selected"]);
    EXPECT_EQ(groups["metadata"]["counts"]["outside"],
              groups["metadata"]["counts"]["selected"].get<std::size_t>() - grouped);
    EXPECT_EQ(groups["metadata"]["endpoint"], "stats/groups");
  }
}

TEST_F(WardGroups, GroupRatesUseTheSumOfTheirWardsResidents) {
  const fs::path csv_path = dir_ / "ward-population.csv";
  std::map<std::string, double> residents;
  {
    std::ofstream csv(csv_path);
    csv << "WD13CD,population\n";
    const auto& wards = *store_->current()->wards;
    for (std::size_t i = 0; i < wards.size(); ++i) {
      residents[wards.ids[i]] = 3000 + 11.0 * static_cast<double>(i);
      csv << wards.ids[i] << ',' << residents[wards.ids[i]] << '\n';
    }
  }
  auto snapshot = std::make_shared<data::Snapshot>(*store_->current());
  snapshot->populations = std::make_shared<const data::Populations>(
      data::load_populations({data::PopulationSource{"wards", csv_path.string()}}));
  snapshot->version += "-populations";
  data::Store store;
  store.replace(snapshot);
  Context c = context();
  c.store = &store;
  const json layer = body(get("/api/layers/groups"));
  const json groups = body(handle(*make_request("GET", "/api/stats/groups"), c));
  for (std::size_t g = 0; g < groups["features"].size(); ++g) {
    double people = 0;
    for (const auto& w : layer["features"][g]["properties"]["wards"]) people += residents.at(w["id"]);
    const json& p = groups["features"][g]["properties"];
    EXPECT_DOUBLE_EQ(p["population"].get<double>(), people);
    EXPECT_NEAR(p["per_1000"].get<double>(), p["total"].get<double>() / people * 1000, 1e-9);
  }
  EXPECT_EQ(groups["metadata"]["population"]["missing"], json::array());
}

TEST_F(WardGroups, UnknownGroupIs400NamingTheParameter) {
  for (const std::string endpoint :
       {"/api/stats/groups", "/api/stats/wards", "/api/incidents", "/api/hotspots/dbscan"}) {
    const auto r = get(endpoint + "?group=E14999999");
    expect_error(r, 400, "invalid_parameter", "Parameter 'group'");
    expect_error(r, 400, "invalid_parameter", "/api/layers/groups");
  }
}

TEST_F(WardGroups, GroupIsInTheCanonicalFormAndTheDefaults) {
  const json defaults = body(get("/api/parameters"))["defaults"];
  EXPECT_TRUE(defaults["stats/groups"].contains("group"));
  EXPECT_TRUE(defaults["stats/groups"]["group"].is_null());
  EXPECT_TRUE(defaults["hotspots/dbscan"]["group"].is_null());
  // The cache key is the canonical form: a group asks for a new answer.
  const auto all = get("/api/stats/wards?preset=nte");
  const auto one = get("/api/stats/wards?preset=nte&group=E14000641");
  EXPECT_EQ(body(one)["metadata"]["parameters"]["group"], "E14000641");
  EXPECT_NE(body(all)["metadata"]["counts"]["selected"], body(one)["metadata"]["counts"]["selected"]);
}

TEST_F(WardGroups, PublicModeSuppressesAndRoundsGroupCounts) {
  Context c = context();
  c.disclosure = engine::Disclosure{true, 5};
  const auto r = handle(*make_request("GET", "/api/stats/groups?preset=nte&days=sat"), c);
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  for (const auto& f : b["features"]) {
    const json& total = f["properties"]["total"];
    if (total.is_null()) {
      EXPECT_TRUE(f["properties"].contains("total_suppressed"));
    } else {
      EXPECT_EQ(total.get<std::int64_t>() % 5, 0) << f["id"];
    }
  }
  EXPECT_EQ(b["metadata"]["disclosure"]["public"], true);
}

TEST_F(WardGroups, CompareByGroupsCountsEachPeriodPerGroup) {
  const std::string periods = "a_from=2024-01-01&a_to=2024-06-30&b_from=2024-07-01&b_to=2024-12-31";
  const auto r = get("/api/compare?by=groups&" + periods);
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  ASSERT_EQ(b["features"].size(), 6u);
  const json a = body(get("/api/stats/groups?from=2024-01-01&to=2024-06-30"));
  for (const auto& f : b["features"]) {
    const std::string id = f["id"];
    for (const auto& g : a["features"]) {
      if (g["id"] == id) {
        EXPECT_EQ(f["properties"]["count_a"], g["properties"]["total"]) << id;
      }
    }
  }
  EXPECT_EQ(b["metadata"]["parameters"]["by"], "groups");
}

}  // namespace
}  // namespace hotspot::http
