// Handler-level tests: requests built by hand, answered by handle() over a
// snapshot loaded from the bundled layers and a small incident file whose
// contents each expectation is computed from.
#include "handler_fixture.hpp"
#include "../common/ring_area.hpp"

#include "hotspot/http/errors.hpp"
#include "hotspot/http/request.hpp"
#include "hotspot/http/service.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

namespace hotspot::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using fixture::kRows;
using fixture::Row;
using Handlers = fixture::HandlerFixture;


void expect_polygon_layer(const json& fc, std::size_t features) {
  EXPECT_EQ(fc["type"], "FeatureCollection");
  ASSERT_EQ(fc["features"].size(), features);
  std::set<std::string> ids;
  for (const auto& f : fc["features"]) {
    ASSERT_TRUE(f["id"].is_string());
    ids.insert(f["id"].get<std::string>());
    const json& g = f["geometry"];
    const json polygons = g["type"] == "Polygon" ? json::array({g["coordinates"]}) : g["coordinates"];
    for (const auto& polygon : polygons) {
      for (std::size_t r = 0; r < polygon.size(); ++r) {
        const json& ring = polygon[r];
        ASSERT_GE(ring.size(), 4u);
        EXPECT_EQ(ring.front(), ring.back()) << "ring not closed in " << f["id"];
        // RFC 7946: exterior counter-clockwise, holes clockwise.
        EXPECT_EQ(::hotspot::testing::signed_area(ring) > 0, r == 0) << f["id"] << " ring " << r;
        for (const auto& p : ring) {
          EXPECT_GT(p[0].get<double>(), -2.5);
          EXPECT_LT(p[0].get<double>(), -1.0);
          EXPECT_GT(p[1].get<double>(), 54.3);
          EXPECT_LT(p[1].get<double>(), 55.1);
        }
      }
    }
  }
  EXPECT_EQ(ids.size(), features) << "feature ids are unique";
  EXPECT_TRUE(fc["metadata"].is_object());
}

TEST_F(Handlers, Health) {
  const auto r = get("/api/health");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  EXPECT_EQ(b["status"], "ok");
  EXPECT_EQ(b["incidents"], kRows.size());
  EXPECT_EQ(b["wards"], 63);
  EXPECT_EQ(b["town_centres"], 12);
  expect_error(get("/api/health?verbose=1"), 400, "unknown_parameter", "'verbose'");
}

TEST_F(Handlers, UnavailableWithoutData) {
  Context empty;
  auto request = make_request("GET", "/api/health");
  expect_error(handle(*request, empty), 503, "unavailable");
  auto layers = make_request("GET", "/api/incidents");
  expect_error(handle(*layers, empty), 503, "unavailable");
}

TEST_F(Handlers, Layers) {
  const auto r = get("/api/layers");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  ASSERT_EQ(b["layers"].size(), 4u);
  EXPECT_EQ(b["layers"][0]["name"], "wards");
  EXPECT_EQ(b["layers"][0]["features"], 63);
  EXPECT_EQ(b["layers"][1]["name"], "town-centres");
  EXPECT_EQ(b["layers"][1]["features"], 12);
  EXPECT_EQ(b["layers"][2]["name"], "groups");
  EXPECT_EQ(b["layers"][2]["features"], 6);
  const json& incidents = b["layers"][3];
  EXPECT_EQ(incidents["features"], kRows.size());
  std::map<std::string, int> categories;
  for (const auto& row : kRows) ++categories[row.category];
  for (const auto& [name, count] : categories) EXPECT_EQ(incidents["categories"][name], count);
  EXPECT_EQ(incidents["first_day"], "2024-03-01");
  EXPECT_EQ(incidents["last_day"], "2024-06-20");
  // Extent in lon/lat encloses every accepted row.
  const json& bbox = incidents["bbox"];
  for (const auto& row : kRows) {
    EXPECT_LE(bbox[0].get<double>(), row.lon + 1e-6);
    EXPECT_LE(bbox[1].get<double>(), row.lat + 1e-6);
    EXPECT_GE(bbox[2].get<double>(), row.lon - 1e-6);
    EXPECT_GE(bbox[3].get<double>(), row.lat - 1e-6);
  }
  EXPECT_FALSE(b["licences"].empty());
  expect_error(get("/api/layers?x=1"), 400, "unknown_parameter");
}

TEST_F(Handlers, WardAndTownCentreLayers) {
  const auto wards = get("/api/layers/wards");
  ASSERT_EQ(wards.status, 200);
  EXPECT_EQ(wards.content_type, "application/geo+json");
  const json w = body(wards);
  expect_polygon_layer(w, 63);
  EXPECT_TRUE(w["features"][0]["id"].get<std::string>().starts_with("E05"));
  // Area: the 63 wards cover the unitary authority, about 2,232 km2.
  double km2 = 0;
  for (const auto& f : w["features"]) km2 += f["properties"]["area_km2"].get<double>();
  EXPECT_NEAR(km2, 2232, 40);

  const auto centres = get("/api/layers/town-centres");
  ASSERT_EQ(centres.status, 200);
  const json c = body(centres);
  expect_polygon_layer(c, 12);
  EXPECT_EQ(c["features"][0]["properties"]["illustrative"], "true");
  expect_error(get("/api/layers/wards?limit=1"), 400, "unknown_parameter");
}

TEST_F(Handlers, IncidentsAllWithRoundTripCoordinates) {
  const auto r = get("/api/incidents");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  ASSERT_EQ(b["features"].size(), kRows.size());
  EXPECT_EQ(b["metadata"]["paging"]["total"], kRows.size());
  EXPECT_TRUE(b["metadata"]["paging"]["next_offset"].is_null());
  EXPECT_EQ(b["metadata"]["parameters"]["limit"], "1000");
  EXPECT_TRUE(b["metadata"]["parameters"]["from"].is_null());
  std::set<long> ids;
  for (const auto& f : b["features"]) {
    ids.insert(f["id"].get<long>());
    const std::string source_id = f["properties"]["source_id"];
    const auto row = std::find_if(kRows.begin(), kRows.end(),
                                  [&](const Row& r) { return r.id == source_id; });
    ASSERT_NE(row, kRows.end()) << source_id;
    EXPECT_NEAR(f["geometry"]["coordinates"][0].get<double>(), row->lon, 2e-6);
    EXPECT_NEAR(f["geometry"]["coordinates"][1].get<double>(), row->lat, 2e-6);
    EXPECT_EQ(f["properties"]["category"], row->category);
    EXPECT_EQ(f["properties"]["label"], row->label);
    EXPECT_EQ(f["properties"]["precision"], "minute");
    // The local time echoed back is the input's wall-clock time and offset.
    EXPECT_EQ(f["properties"]["occurred_at"], row->time.substr(0, 16) + row->time.substr(19));
  }
  EXPECT_EQ(ids.size(), kRows.size());
  // Durham City rows fall in the Durham City town centre.
  for (const auto& f : b["features"]) {
    if (f["properties"]["source_id"].get<std::string>()[0] == 'd') {
      EXPECT_EQ(f["properties"]["town_centre"], "durham-city");
    }
    EXPECT_TRUE(f["properties"]["ward"].is_string());
  }
}

TEST_F(Handlers, IncidentsFiltersMatchBruteForce) {
  auto count = [&](const std::string& query) {
    const auto r = get("/api/incidents?" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    return r.status == 200 ? body(r)["metadata"]["paging"]["total"].get<std::size_t>() : 9999;
  };
  auto brute = [&](auto keep) {
    return static_cast<std::size_t>(std::count_if(kRows.begin(), kRows.end(), keep));
  };
  EXPECT_EQ(count("category=violence"),
            brute([](const Row& r) { return r.category == "violence"; }));
  EXPECT_EQ(count("category=violence,other"),
            brute([](const Row& r) { return r.category == "violence" || r.category == "other"; }));
  EXPECT_EQ(count("categories=asb"), brute([](const Row& r) { return r.category == "asb"; }));
  EXPECT_EQ(count("from=2024-04-01"), brute([](const Row& r) { return r.local_day >= 19814; }));
  EXPECT_EQ(count("from=2024-03-02&to=2024-05-15"),
            brute([](const Row& r) { return r.local_day >= 19784 && r.local_day <= 19858; }));
  const double box[4] = {-1.59, 54.77, -1.56, 54.785};
  EXPECT_EQ(count("bbox=-1.59,54.77,-1.56,54.785"), brute([&](const Row& r) {
              return r.lon >= box[0] && r.lat >= box[1] && r.lon <= box[2] && r.lat <= box[3];
            }));
  // Percent-encoded commas decode to the same request.
  EXPECT_EQ(count("bbox=-1.59%2C54.77%2C-1.56%2C54.785"), 3u);
}

TEST_F(Handlers, IncidentsPaging) {
  const json first = body(get("/api/incidents?limit=3"));
  EXPECT_EQ(first["features"].size(), 3u);
  EXPECT_EQ(first["metadata"]["paging"]["next_offset"], 3);
  const json last = body(get("/api/incidents?limit=3&offset=6"));
  EXPECT_EQ(last["features"].size(), kRows.size() - 6);
  EXPECT_TRUE(last["metadata"]["paging"]["next_offset"].is_null());
  const json beyond = body(get("/api/incidents?offset=100"));
  EXPECT_EQ(beyond["features"].size(), 0u);
  EXPECT_EQ(beyond["metadata"]["paging"]["total"], kRows.size());
  // Pages concatenate to the whole selection, without repeats.
  std::set<long> seen;
  for (int offset = 0; offset < 7; offset += 2) {
    const json page = body(get("/api/incidents?limit=2&offset=" + std::to_string(offset)));
    for (const auto& f : page["features"]) {
      EXPECT_TRUE(seen.insert(f["id"].get<long>()).second);
    }
  }
  EXPECT_EQ(seen.size(), kRows.size());
}

TEST_F(Handlers, IncidentsRejectBadParameters) {
  for (const char* query : {"limit=0", "limit=10001", "limit=abc", "limit=5x", "limit=",
                            "offset=-1", "category=violent", "category=", "category=violence,",
                            "from=2024-02-30", "from=2024-6-01", "to=yesterday",
                            "from=2024-05-01&to=2024-04-01", "window=25:00-01:00",
                            "window=20:00", "window=20:00-20:00", "days=friday", "ward=E99999999",
                            "scope=nowhere", "buffer=100", "scope=buffer&buffer=-1",
                            "bbox=1,2,3", "bbox=-1.4,54.6,-1.7,54.8", "bbox=a,b,c,d",
                            "preset=day", "category=asb&categories=asb", "limit=1e3",
                            "limit=%31%30%30%30%30%30"}) {
    const auto r = get(std::string("/api/incidents?") + query);
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_EQ(body(r)["error"]["code"], "invalid_parameter") << query;
  }
  expect_error(get("/api/incidents?colour=red"), 400, "unknown_parameter", "'colour'");
  expect_error(get("/api/incidents?limit=1&limit=2"), 400, "invalid_parameter", "'limit'");
  expect_error(get("/api/incidents?limit=%zz"), 400, "invalid_parameter", "percent");
}

TEST_F(Handlers, IncidentsSelectionFilters) {
  // Friday night 20:00-04:00: d1 (Fri 21:30) and d2 (Sat 01:30, Friday's night).
  const json fri = body(get("/api/incidents?days=fri&window=20:00-04:00"));
  std::set<std::string> ids;
  for (const auto& f : fri["features"]) ids.insert(f["properties"]["source_id"]);
  EXPECT_EQ(ids, (std::set<std::string>{"d1", "d2"}));
  EXPECT_EQ(fri["metadata"]["parameters"]["window"], "20:00-04:00");
  EXPECT_EQ(fri["metadata"]["parameters"]["days"], "fri");
  // Inside town centres: the three Durham City rows (the others lie in town
  // centres too only if a centre polygon covers them; count them by property).
  const json all = body(get("/api/incidents"));
  std::size_t in_centres = 0;
  for (const auto& f : all["features"]) in_centres += !f["properties"]["town_centre"].is_null();
  EXPECT_EQ(body(get("/api/incidents?scope=town-centres"))["metadata"]["paging"]["total"],
            in_centres);
  const json preset = body(get("/api/incidents?preset=nte"));
  EXPECT_EQ(preset["metadata"]["parameters"]["preset"], "nte");
  EXPECT_EQ(preset["metadata"]["parameters"]["scope"], "buffer");
  EXPECT_EQ(preset["metadata"]["parameters"]["buffer"], "500");
}

TEST_F(Handlers, LoadReport) {
  const auto r = get("/api/load-report");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  EXPECT_EQ(b["incidents"]["rows_accepted"], kRows.size());
  EXPECT_EQ(b["incidents"]["rows_rejected"], 3);
  EXPECT_EQ(b["incidents"]["in_table"], kRows.size());
  const json* incidents = nullptr;
  for (const auto& f : b["files"]) {
    if (f["kind"] == "incidents") incidents = &f;
  }
  ASSERT_NE(incidents, nullptr);
  EXPECT_EQ((*incidents)["issues"]["bad_coordinates"], 1);
  EXPECT_EQ((*incidents)["issues"]["outside_study_area"], 1);
  EXPECT_EQ((*incidents)["issues"]["bad_time"], 1);
  EXPECT_EQ(b["files"].size(), 4u);  // wards, town centres, groups, incidents
}

TEST_F(Handlers, RoutingErrors) {
  expect_error(get("/api/nope"), 404, "not_found");
  expect_error(get("/api"), 404, "not_found");
  const auto post = get("/api/incidents", "POST");
  expect_error(post, 405, "method_not_allowed");
  bool allow = false;
  for (const auto& [name, value] : post.headers) allow = allow || (name == "Allow" && value == "GET, HEAD");
  EXPECT_TRUE(allow);
  const auto del = get("/index.html", "DELETE");
  expect_error(del, 405, "method_not_allowed");
  allow = false;
  for (const auto& [name, value] : del.headers) allow = allow || (name == "Allow" && value == "GET, HEAD");
  EXPECT_TRUE(allow);

  Request big;
  big.path = "/api/health";
  big.size_bytes = context().limits.max_request_bytes + 1;
  expect_error(handle(big, context()), 413, "payload_too_large");
}

TEST_F(Handlers, HeadIsRoutedAsGet) {
  // handle() answers HEAD with the GET answer; the server drops the body.
  for (const char* target : {"/api/health", "/api/layers", "/", "/index.html", "/api/nope"}) {
    const auto head = get(target, "HEAD");
    const auto got = get(target);
    EXPECT_EQ(head.status, got.status) << target;
    EXPECT_EQ(head.content_type, got.content_type) << target;
    if (std::string(target) != "/api/health") {
      EXPECT_EQ(head.body, got.body) << target;
    }
  }
}

TEST_F(Handlers, StaticThroughTheRouter) {
  const auto index = get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(get("/?v=3").status, 200) << "a cache-busting query is ignored";
  for (const char* target : {"/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E/etc/passwd",
                             "/static/../../etc/passwd", "/vendor/", "/vendor", "/.%2e/x",
                             "/..%2fetc%2fpasswd", "/nothing-here.js"}) {
    const auto r = get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
  }
}

TEST(ErrorEdge, ExceptionsBecomeAGeneric500) {
  const Route table[] = {
      {"GET", "/api/throws", [](const Request&, const Context&) -> Response {
         throw std::runtime_error("secret detail /etc/shadow");
       }},
      {"GET", "/api/throws-int", [](const Request&, const Context&) -> Response { throw 42; }},
  };
  for (const char* path : {"/api/throws", "/api/throws-int"}) {
    Request request;
    request.path = path;
    const Response r = handle(table, request, Context{});
    EXPECT_EQ(r.status, 500) << path;
    const json b = json::parse(r.body);
    EXPECT_EQ(b["error"]["code"], "internal");
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << "no internals to the client";
  }
}

TEST(ErrorTable, EveryCodeHasItsStatus) {
  EXPECT_EQ(status_for(ErrorCode::invalid_parameter), 400);
  EXPECT_EQ(status_for(ErrorCode::unknown_parameter), 400);
  EXPECT_EQ(status_for(ErrorCode::not_found), 404);
  EXPECT_EQ(status_for(ErrorCode::method_not_allowed), 405);
  EXPECT_EQ(status_for(ErrorCode::payload_too_large), 413);
  EXPECT_EQ(status_for(ErrorCode::unreadable_input), 422);
  EXPECT_EQ(status_for(ErrorCode::unavailable), 503);
  EXPECT_EQ(status_for(ErrorCode::internal), 500);
  const auto r = error_response(make_error(ErrorCode::not_found, "gone \xFF"));
  const json b = json::parse(r.body);
  EXPECT_EQ(b["error"]["code"], "not_found");
}

}  // namespace
}  // namespace hotspot::http
