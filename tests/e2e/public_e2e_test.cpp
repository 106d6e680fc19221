// hotspotd --public end to end: every endpoint of /api/parameters and the
// route table, in every format (GeoJSON and the downloads read back with
// GDAL's C API), checked for counts of 1..4, clusters under 5, domestic
// incidents and points; then the differencing attacks on a fixture whose
// hidden counts are known.
//
// The server loads the bundled synthetic data (2024) plus a fixture file in
// 2019 (outside the bundled dates), at two spots in Durham city:
//   P (-1.5757, 54.7768): 3 violence on 2019-02-05 (window A: 02-01..02-10),
//                         6 violence on 2019-02-15 (window B: 02-11..02-20),
//                         30 domestic violence on 2019-02-05 (never counted)
//   Q (-1.5650, 54.7768): 6 anti-social behaviour on 2019-02-05
// About 700 m apart; bboxes below take P alone, Q alone, or both.

#include "e2e_support.hpp"

#include <gdal.h>
#include <ogr_api.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kMinCount = 5;
const char* const kP = "-1.5757,54.7768";
const char* const kQ = "-1.5650,54.7768";
// bboxes (lon,lat): P alone, Q alone, both.
const std::string kBoxP = "-1.5767,54.7763,-1.5747,54.7773";
const std::string kBoxQ = "-1.5660,54.7763,-1.5640,54.7773";
const std::string kBoxPQ = "-1.5767,54.7763,-1.5640,54.7773";
const std::string kWindowA = "from=2019-02-01&to=2019-02-10";
const std::string kWindowB = "from=2019-02-11&to=2019-02-20";
const std::string kWindowAB = "from=2019-02-01&to=2019-02-20";

void write_fixture(const fs::path& path) {
  std::ofstream out(path);
  out << "id,lon,lat,category,occurred_at,domestic\n";
  int id = 0;
  const auto rows = [&](int n, const char* at, const char* category, const char* day,
                        const char* domestic) {
    for (int i = 0; i < n; ++i) {
      out << "fx" << id++ << "," << at << "," << category << "," << day << "T2" << (i % 4)
          << ":15:00+00:00," << domestic << "\n";
    }
  };
  rows(3, kP, "Violence and sexual offences", "2019-02-05", "N");
  rows(6, kP, "Violence and sexual offences", "2019-02-15", "no");
  rows(30, kP, "Violence and sexual offences", "2019-02-05", "Y");
  rows(6, kQ, "Anti-social behaviour", "2019-02-05", "false");
}

class PublicMode : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(e2e::temp_dir("hotspot-public"));
    write_fixture(*dir_ / "fixture.csv");
    const std::string bundled = HOTSPOT_SOURCE_DIR "/geodata/incidents-synthetic.csv";
    child_ = new e2e::Child(e2e::start_hotspotd(
        {"--port", "0", "--public", "--min-count", std::to_string(kMinCount), "--incidents",
         bundled, "--incidents", (*dir_ / "fixture.csv").string()},
        (*dir_ / "hotspotd.log").string()));
    GDALAllRegister();
  }
  static void TearDownTestSuite() {
    e2e::stop(*child_);
    std::error_code ignored;
    fs::remove_all(*dir_, ignored);
    delete child_;
    delete dir_;
  }
  int port() const { return child_->port; }
  static fs::path* dir_;
  static e2e::Child* child_;
};

fs::path* PublicMode::dir_ = nullptr;
e2e::Child* PublicMode::child_ = nullptr;

// A published value read as a number: JSON numbers, or numeric text (CSV,
// KML); nullopt for null, empty or anything else.
std::optional<double> number_of(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string() && !v.get<std::string>().empty()) {
    try {
      std::size_t used = 0;
      const double d = std::stod(v.get<std::string>(), &used);
      if (used == v.get<std::string>().size()) return d;
    } catch (...) {
    }
  }
  return std::nullopt;
}

bool truthy(const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string()) return v == "true" || v == "1" || v == "True" || v == "TRUE";
  return false;
}

// Every way a count may be published: null, 0, or a multiple of min_count.
::testing::AssertionResult allowed_count(const json& v, const std::string& where) {
  if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) {
    return ::testing::AssertionSuccess();
  }
  const auto n = number_of(v);
  if (!n) return ::testing::AssertionFailure() << where << ": not a count: " << v.dump();
  const auto whole = std::llround(*n);
  if (whole == 0 || (whole >= kMinCount && whole % kMinCount == 0)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << where << ": count " << *n << " is published";
}

// Properties holding counts of incidents, and their shapefile spellings.
const std::set<std::string> kCountNames = {"count", "core_count", "total", "count_a", "count_b"};
const std::set<std::string> kCountsNames = {"by_category", "by_categor"};

// Count values checked so far, by format (every format must show some).
std::map<std::string, std::size_t> counts_seen;

// Checks one feature's properties; `cluster`: a DBSCAN cluster (count >= min).
void check_properties(const json& props, const std::string& where, bool cluster,
                      bool markers) {
  for (const auto& [key, value] : props.items()) {
    if (kCountNames.count(key)) {
      ++counts_seen[where.substr(where.rfind(' ') + 1)];
      EXPECT_TRUE(allowed_count(value, where + "." + key));
      if (markers && props.contains(key + "_suppressed")) {
        const bool is_null = value.is_null() || (value.is_string() && value.get<std::string>().empty());
        EXPECT_EQ(truthy(props[key + "_suppressed"]), is_null && true) << where << "." << key;
      }
      if (cluster && key == "count") {
        const auto n = number_of(value);
        ASSERT_TRUE(n) << where;
        EXPECT_GE(*n, kMinCount) << where;
      }
    }
    if (kCountsNames.count(key)) {
      const json object = value.is_string() ? json::parse(value.get<std::string>(), nullptr, false)
                                            : value;
      if (object.is_null() || object.is_discarded()) continue;
      for (const auto& [category, n] : object.items()) {
        EXPECT_TRUE(allowed_count(n, where + "." + key + "." + category));
      }
    }
  }
}

// A downloaded file's features as JSON objects of their fields (text from
// GDAL, null where the field is unset), every layer.
std::vector<json> read_back(const std::string& path) {
  std::vector<json> out;
  GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr,
                               nullptr);
  EXPECT_NE(ds, nullptr) << path;
  if (ds == nullptr) return out;
  for (int l = 0; l < GDALDatasetGetLayerCount(ds); ++l) {
    OGRLayerH layer = GDALDatasetGetLayer(ds, l);
    OGR_L_ResetReading(layer);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
      json props = json::object();
      for (int k = 0; k < OGR_FD_GetFieldCount(defn); ++k) {
        const std::string name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k));
        props[name] = OGR_F_IsFieldSetAndNotNull(f, k) ? json(OGR_F_GetFieldAsString(f, k))
                                                       : json(nullptr);
      }
      out.push_back(std::move(props));
      OGR_F_Destroy(f);
    }
  }
  GDALClose(ds);
  return out;
}

const std::vector<std::string> kFormats = {"geojson", "gpkg", "shp", "fgb", "kml", "csv"};

TEST_F(PublicMode, WalksEveryEndpointAndFormat) {
  ASSERT_GT(port(), 0) << child_->banner;
  // The server says so, for the page.
  const json parameters = e2e::get_json(port(), "/api/parameters");
  ASSERT_TRUE(parameters.is_object());
  EXPECT_EQ(parameters["public"], true);
  EXPECT_EQ(parameters["min_count"], kMinCount);
  const json health = e2e::get_json(port(), "/api/health");
  EXPECT_EQ(health["public"], true);
  EXPECT_TRUE(allowed_count(health["incidents"], "health.incidents"));

  // /api/incidents: 403 forbidden in every format.
  for (const std::string& format : std::vector<std::string>{"", "geojson", "gpkg", "shp", "fgb",
                                                            "kml", "csv"}) {
    const auto answer = e2e::request(
        port(), "GET", "/api/incidents" + (format.empty() ? "" : "?format=" + format));
    EXPECT_EQ(answer.status, 403) << format;
    const json body = json::parse(answer.body, nullptr, false);
    EXPECT_EQ(body["error"]["code"], "forbidden") << answer.body;
  }

  // Every feature endpoint /api/parameters names, and the boundary layers.
  const json layers = e2e::get_json(port(), "/api/layers");
  ASSERT_TRUE(layers.is_object());
  std::string first_day, last_day;
  for (const auto& layer : layers["layers"]) {
    if (layer["name"] == "incidents") {
      EXPECT_TRUE(layer["url"].is_null());
      EXPECT_TRUE(allowed_count(layer["features"], "layers.incidents"));
      for (const auto& [category, n] : layer["categories"].items()) {
        EXPECT_TRUE(allowed_count(n, "layers.categories." + category));
      }
    }
  }
  std::map<std::string, std::string> targets;
  for (const auto& [endpoint, defaults] : parameters["defaults"].items()) {
    if (endpoint == "incidents" || endpoint == "profile") continue;
    targets[endpoint] = "/api/" + endpoint + "?";
  }
  targets["layers/wards"] = "/api/layers/wards?";
  targets["layers/town-centres"] = "/api/layers/town-centres?";
  targets["compare"] += "a_from=2024-01-01&a_to=2024-06-30&b_from=2024-07-01&b_to=2024-12-31&";
  targets["evaluate"] +=
      "train_from=2024-01-01&train_to=2024-06-30&test_from=2024-07-01&test_to=2024-12-31&";
  targets["evaluate-dbscan"] =
      "/api/evaluate?method=dbscan&eps=100&min_points=3&train_from=2024-01-01&train_to=2024-06-30&"
      "test_from=2024-07-01&test_to=2024-12-31&";
  // The requirement's example, and the other outputs of each endpoint.
  targets["dbscan-ones"] = "/api/hotspots/dbscan?min_points=1&eps=50&";
  targets["kde-contours"] = "/api/hotspots/kde?output=contours&";
  targets["gistar-wards"] = "/api/hotspots/gistar?on=wards&all=true&";
  targets["gistar-all"] = "/api/hotspots/gistar?all=true&";
  targets["compare-clusters"] =
      "/api/compare?by=clusters&eps=100&min_points=3&a_from=2024-01-01&a_to=2024-06-30&"
      "b_from=2024-07-01&b_to=2024-12-31&";
  targets["stats-violence-month"] = "/api/stats/wards?category=violence&from=2024-03-01&to=2024-03-31&";
  ASSERT_GE(targets.size(), 13u);

  std::size_t features_checked = 0, files_read = 0;
  for (const auto& [name, target] : targets) {
    const bool clusters = name.find("dbscan") != std::string::npos;
    for (const std::string& format : kFormats) {
      const std::string where = name + " " + format;
      const auto answer = e2e::request(port(), "GET", target + "format=" + format);
      ASSERT_EQ(answer.status, 200) << where << ": " << answer.body.substr(0, 300);
      if (format == "geojson") {
        const json doc = json::parse(answer.body, nullptr, false);
        ASSERT_TRUE(doc.is_object()) << where;
        const json& m = doc["metadata"];
        EXPECT_EQ(m["disclosure"]["public"], true) << where;
        EXPECT_EQ(m["disclosure"]["min_count"], kMinCount) << where;
        if (m.contains("counts")) {
          for (const char* key : {"selected", "considered", "clustered", "noise"}) {
            if (m["counts"].contains(key)) {
              EXPECT_TRUE(allowed_count(m["counts"][key], where + " " + key));
            }
          }
        }
        if (m.contains("total")) check_properties(m["total"], where + " total", false, true);
        for (const auto& f : doc["features"]) {
          check_properties(f["properties"], where, clusters, true);
          ++features_checked;
        }
        continue;
      }
      const std::string extension = format == "shp" ? "zip" : format;
      std::string stem = name;
      std::replace(stem.begin(), stem.end(), '/', '-');
      const fs::path file = *dir_ / (stem + "." + extension);
      std::ofstream(file, std::ios::binary) << answer.body;
      const std::string open = format == "shp" ? "/vsizip/" + file.string() : file.string();
      const auto features = read_back(open);
      ++files_read;
      for (const auto& props : features) {
        check_properties(props, where, clusters, format != "shp");
        ++features_checked;
      }
    }
  }
  RecordProperty("features_checked", std::to_string(features_checked));
  EXPECT_GT(features_checked, 1000u);
  EXPECT_EQ(files_read, targets.size() * (kFormats.size() - 1));
  for (const std::string& format : kFormats) {
    EXPECT_GT(counts_seen[format], 100u) << format << ": the count fields were not read back";
  }

  // /api/profile: JSON only; the matrix, months and totals.
  for (const std::string& target : std::vector<std::string>{
           "/api/profile", "/api/profile?category=violence&from=2024-03-01&to=2024-03-31",
           "/api/profile?" + kWindowA}) {
    const json profile = e2e::get_json(port(), target);
    ASSERT_TRUE(profile.is_object()) << target;
    for (const auto& day : profile["hour_of_week"]) {
      for (const auto& n : day) EXPECT_TRUE(allowed_count(n, target + " hour_of_week"));
    }
    for (const auto& month : profile["monthly"]) {
      EXPECT_TRUE(allowed_count(month["count"], target + " monthly"));
      EXPECT_EQ(month["suppressed"], month["count"].is_null());
    }
    EXPECT_TRUE(allowed_count(profile["hour_of_week_total"], target + " total"));
  }
  // The load report: counts published, no row quoted.
  const json report = e2e::get_json(port(), "/api/load-report");
  for (const auto& file : report["files"]) {
    EXPECT_TRUE(file["examples"].empty());
    EXPECT_TRUE(allowed_count(file["rows_accepted"], "load-report"));
  }
}

TEST_F(PublicMode, RequirementNumbersAfter) {
  ASSERT_GT(port(), 0);
  // dbscan?min_points=1&eps=50: no cluster under min_count.
  const json clusters = e2e::get_json(port(), "/api/hotspots/dbscan?min_points=1&eps=50");
  ASSERT_TRUE(clusters.is_object());
  std::size_t small = 0;
  for (const auto& f : clusters["features"]) small += f["properties"]["count"].get<double>() < kMinCount;
  EXPECT_EQ(small, 0u);
  RecordProperty("dbscan_min1_eps50_clusters", std::to_string(clusters["features"].size()));
  // Wards with 1..4 violent incidents in a month: none published as such.
  const json wards = e2e::get_json(port(), "/api/stats/wards?category=violence&from=2024-03-01&to=2024-03-31");
  ASSERT_TRUE(wards.is_object());
  std::size_t shown_small = 0, suppressed = 0;
  for (const auto& f : wards["features"]) {
    const json& total = f["properties"]["total"];
    if (total.is_null()) {
      ++suppressed;
      EXPECT_EQ(f["properties"]["total_suppressed"], true);
    } else if (total.get<int>() > 0 && total.get<int>() < kMinCount) {
      ++shown_small;
    }
  }
  EXPECT_EQ(shown_small, 0u);
  RecordProperty("wards_violence_month_suppressed", std::to_string(suppressed));
}

// The published total count of a request (metadata.counts.selected).
json selected(int port, const std::string& query) {
  const json answer = e2e::get_json(port, "/api/stats/wards?" + query);
  EXPECT_TRUE(answer.is_object()) << query;
  return answer.is_object() ? answer["metadata"]["counts"]["selected"] : json();
}

TEST_F(PublicMode, DomesticIncidentsNeverContribute) {
  ASSERT_GT(port(), 0);
  // At P in window A: 3 ordinary incidents (suppressed) and 30 domestic
  // ones. With the domestic ones the count would be 33 -> 35.
  EXPECT_TRUE(selected(port(), kWindowA + "&bbox=" + kBoxP).is_null());
  // Window A u B at P: 9 ordinary -> 10 (39 with the domestic ones -> 40).
  EXPECT_EQ(selected(port(), kWindowAB + "&bbox=" + kBoxP), 10);
  // No cluster at P in window A either (30 domestic points on one spot).
  const json clusters =
      e2e::get_json(port(), "/api/hotspots/dbscan?eps=50&min_points=3&" + kWindowA + "&bbox=" + kBoxP);
  ASSERT_TRUE(clusters.is_object());
  EXPECT_TRUE(clusters["features"].empty());
  // KDE over window A at P: the 3 points reach no cell with 5 supporters.
  const json kde = e2e::get_json(port(), "/api/hotspots/kde?threshold=0&" + kWindowA + "&bbox=" + kBoxP);
  ASSERT_TRUE(kde.is_object());
  EXPECT_TRUE(kde["features"].empty());
}

TEST_F(PublicMode, DifferencingAttacksDoNotRecoverTheHiddenCount) {
  ASSERT_GT(port(), 0);
  const int hidden = 3;  // violence at P in window A
  // 1. Total minus parts: the window-A total over P and Q (9 -> 10) minus
  //    the published categories (violence suppressed, asb 6 -> 5).
  const json stats = e2e::get_json(port(), "/api/stats/wards?" + kWindowA + "&bbox=" + kBoxPQ);
  ASSERT_TRUE(stats.is_object());
  const json total = stats["metadata"]["counts"]["selected"];
  ASSERT_TRUE(total.is_number());
  int parts = 0;
  bool saw_suppressed_violence = false;
  for (const auto& f : stats["features"]) {
    const json& by = f["properties"]["by_category"];
    if (by["violence"].is_null()) saw_suppressed_violence = true;
    for (const auto& [category, n] : by.items()) parts += n.is_number() ? n.get<int>() : 0;
  }
  EXPECT_TRUE(saw_suppressed_violence);
  EXPECT_NE(total.get<int>() - parts, hidden);
  EXPECT_EQ((total.get<int>() - parts) % kMinCount, 0);
  // 2. Two windows: A u B (9 -> 10) minus B (6 -> 5) at P.
  const json ab = selected(port(), kWindowAB + "&bbox=" + kBoxP);
  const json b = selected(port(), kWindowB + "&bbox=" + kBoxP);
  ASSERT_TRUE(ab.is_number() && b.is_number());
  EXPECT_NE(ab.get<int>() - b.get<int>(), hidden);
  // 3. Two bboxes: P and Q (9 -> 10) minus Q alone (6 -> 5) in window A.
  const json pq = selected(port(), kWindowA + "&bbox=" + kBoxPQ);
  const json q = selected(port(), kWindowA + "&bbox=" + kBoxQ);
  ASSERT_TRUE(pq.is_number() && q.is_number());
  EXPECT_EQ(pq, 10);
  EXPECT_EQ(q, 5);
  EXPECT_NE(pq.get<int>() - q.get<int>(), hidden);
  // And P alone is suppressed outright.
  EXPECT_TRUE(selected(port(), kWindowA + "&bbox=" + kBoxP).is_null());
}

}  // namespace
