// OGC API - Features handlers, without sockets: landing links, conformance,
// collections, paging by following next links, bbox/datetime/crs against
// brute force over the fixture's rows and the ward layer, the 400s and 404s,
// public mode, HTML, and the OpenAPI document against the route table.
#include "handler_fixture.hpp"

#include "hotspot/data/local_time.hpp"
#include "hotspot/engine/ogc.hpp"
#include "hotspot/engine/projection.hpp"
#include "hotspot/http/service.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace hotspot::http {
namespace {

using nlohmann::json;
using fixture::kRows;
using fixture::Row;

constexpr const char* kHost = "maps.example.org:8080";
const std::string kBase = std::string("http://") + kHost;
const std::string kBngQuery = "crs=http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F27700";

class Ogc : public fixture::HandlerFixture {
 protected:
  Response ask(const std::string& target, const std::string& accept = "",
               const Context* with = nullptr) const {
    auto request = make_request("GET", target);
    if (!request) return error_response(request.error());
    request->headers.emplace_back("host", kHost);
    if (!accept.empty()) request->headers.emplace_back("accept", accept);
    return handle(*request, with ? *with : context());
  }

  // Follows next links from `target` and gathers every feature id.
  std::vector<std::string> all_ids(std::string target, std::size_t* pages) const;
};

const std::string* header(const Response& r, const std::string& name) {
  for (const auto& [key, value] : r.headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

// The href of the first link with this rel (and type, when given), or "".
std::string href(const json& doc, const std::string& rel, const std::string& type = "") {
  for (const auto& link : doc["links"]) {
    if (link["rel"] == rel && (type.empty() || link["type"] == type)) return link["href"];
  }
  return "";
}

std::vector<std::string> Ogc::all_ids(std::string target, std::size_t* pages) const {
  std::vector<std::string> ids;
  *pages = 0;
  while (!target.empty() && *pages < 100) {
    const Response r = ask(target.substr(kBase.size()));
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    if (r.status != 200) break;
    const json page = json::parse(r.body);
    EXPECT_EQ(page["numberReturned"], page["features"].size());
    for (const auto& f : page["features"]) ids.push_back(f["id"].dump());
    target = href(page, "next");
    ++*pages;
  }
  return ids;
}

bool inside(const Row& r, double min_lon, double min_lat, double max_lon, double max_lat) {
  return r.lon >= min_lon && r.lon <= max_lon && r.lat >= min_lat && r.lat <= max_lat;
}

// Brute force: whether a lon/lat polygon (GeoJSON coordinates) meets a box:
// a vertex inside the box, a box corner inside the polygon, or crossing edges.
bool crosses(double ax, double ay, double bx, double by, double cx, double cy, double dx,
             double dy) {
  auto side = [](double px, double py, double qx, double qy, double rx, double ry) {
    const double v = (qx - px) * (ry - py) - (qy - py) * (rx - px);
    return (v > 0) - (v < 0);
  };
  return side(ax, ay, bx, by, cx, cy) * side(ax, ay, bx, by, dx, dy) <= 0 &&
         side(cx, cy, dx, dy, ax, ay) * side(cx, cy, dx, dy, bx, by) <= 0;
}
bool polygon_meets_box(const json& geometry, const double b[4]) {
  const json polygons = geometry["type"] == "Polygon" ? json::array({geometry["coordinates"]})
                                                      : geometry["coordinates"];
  const double corners[4][2] = {{b[0], b[1]}, {b[2], b[1]}, {b[2], b[3]}, {b[0], b[3]}};
  for (const auto& polygon : polygons) {
    for (const auto& ring : polygon) {
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const double x = ring[i][0], y = ring[i][1], x2 = ring[i + 1][0], y2 = ring[i + 1][1];
        if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]) return true;
        for (int e = 0; e < 4; ++e) {
          if (crosses(x, y, x2, y2, corners[e][0], corners[e][1], corners[(e + 1) % 4][0],
                      corners[(e + 1) % 4][1])) {
            return true;
          }
        }
      }
    }
    // A box wholly inside the polygon: its corner is inside the exterior
    // (and, the box meeting no edge, inside no hole) by ray casting.
    bool in = false;
    const json& ring = polygon[0];
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      const double xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > b[1]) != (yj > b[1]) && b[0] < (xj - xi) * (b[1] - yi) / (yj - yi) + xi) in = !in;
    }
    if (in) return true;
  }
  return false;
}

TEST_F(Ogc, LandingLinksAreAbsoluteAndComplete) {
  const Response r = ask("/ogc");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  const json landing = json::parse(r.body);
  EXPECT_EQ(href(landing, "service-desc"), kBase + "/ogc/api");
  EXPECT_EQ(href(landing, "conformance"), kBase + "/ogc/conformance");
  EXPECT_EQ(href(landing, "data"), kBase + "/ogc/collections");
  EXPECT_EQ(href(landing, "self"), kBase + "/ogc?f=json");
  EXPECT_EQ(href(landing, "alternate", "text/html"), kBase + "/ogc?f=html");
  // Every link the landing page gives answers.
  for (const auto& link : landing["links"]) {
    const std::string target = link["href"].get<std::string>().substr(kBase.size());
    EXPECT_EQ(ask(target).status, 200) << target;
  }
}

TEST_F(Ogc, ConformanceClasses) {
  const json doc = body(ask("/ogc/conformance"));
  const std::set<std::string> classes(doc["conformsTo"].begin(), doc["conformsTo"].end());
  for (const char* expected : {"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                               "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                               "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
                               "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
                               "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"}) {
    EXPECT_EQ(classes.count(expected), 1u) << expected;
  }
}

TEST_F(Ogc, CollectionsListEveryLoadedLayerWithCrs) {
  const json doc = body(ask("/ogc/collections"));
  std::vector<std::string> ids;
  const json layers = body(get("/api/layers"));
  for (const auto& c : doc["collections"]) {
    ids.push_back(c["id"]);
    EXPECT_EQ(c["storageCrs"], engine::kBngUri);
    EXPECT_EQ(c["crs"], json::array({engine::kCrs84Uri, engine::kBngUri}));
    EXPECT_EQ(href(c, "items", "application/geo+json"),
              kBase + "/ogc/collections/" + c["id"].get<std::string>() + "/items?f=json");
    EXPECT_EQ(c["extent"]["spatial"]["bbox"][0].size(), 4u);
    // The collection's own document is the same entry.
    EXPECT_EQ(body(ask("/ogc/collections/" + c["id"].get<std::string>())), c);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"wards", "town-centres", "groups", "incidents"}));
  const json& incidents = doc["collections"][3];
  EXPECT_EQ(incidents["extent"]["temporal"]["interval"][0][0], "2024-03-01T21:30:00Z");
}

TEST_F(Ogc, PagingFollowsNextLinksThroughEveryFeatureInIdOrder) {
  const json wards = body(get("/api/layers/wards"));
  std::vector<std::string> expected;
  for (const auto& f : wards["features"]) expected.push_back(f["id"].dump());
  std::sort(expected.begin(), expected.end());
  std::size_t pages = 0;
  const auto ids = all_ids(kBase + "/ogc/collections/wards/items?limit=10", &pages);
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(pages, (expected.size() + 9) / 10);

  const json second = body(ask("/ogc/collections/wards/items?limit=10&offset=10"));
  EXPECT_EQ(second["numberMatched"], expected.size());
  EXPECT_NE(href(second, "prev").find("offset=0"), std::string::npos) << second["links"];
  EXPECT_NE(href(second, "next").find("offset=20"), std::string::npos) << second["links"];
  const json last = body(ask("/ogc/collections/wards/items?limit=10&offset=60"));
  EXPECT_EQ(href(last, "next"), "");

  // The links carry every other parameter: filtered pages add up to the one-page answer.
  const std::string filters =
      "bbox=-1.9,54.6,-1.3,54.9&datetime=../2024-06-10T00:00:00Z&" + kBngQuery;
  std::vector<std::string> whole;
  const json one_page = body(ask("/ogc/collections/incidents/items?" + filters));
  for (const auto& f : one_page["features"]) whole.push_back(f["id"].dump());
  EXPECT_EQ(all_ids(kBase + "/ogc/collections/incidents/items?limit=2&" + filters, &pages), whole);
  EXPECT_GE(whole.size(), 3u);
  EXPECT_LT(whole.size(), kRows.size());

  const auto incidents = all_ids(kBase + "/ogc/collections/incidents/items?limit=3", &pages);
  EXPECT_EQ(incidents.size(), kRows.size());
  EXPECT_EQ(pages, 3u);
  EXPECT_TRUE(std::is_sorted(incidents.begin(), incidents.end(), [](const auto& a, const auto& b) {
    return std::stol(a) < std::stol(b);
  }));
}

TEST_F(Ogc, BboxMatchesBruteForce) {
  const double box[4] = {-1.59, 54.77, -1.56, 54.785};
  const std::string bbox = "bbox=-1.59,54.77,-1.56,54.785";
  const json items = body(ask("/ogc/collections/incidents/items?" + bbox));
  const auto expected = std::count_if(kRows.begin(), kRows.end(), [&](const Row& r) {
    return inside(r, box[0], box[1], box[2], box[3]);
  });
  EXPECT_EQ(items["numberMatched"], expected);
  // The same as the API's own bbox.
  EXPECT_EQ(body(get("/api/incidents?" + bbox))["metadata"]["paging"]["total"], expected);

  const double wide[4] = {-1.7, 54.7, -1.5, 54.8};
  const json wards = body(get("/api/layers/wards"));
  std::set<std::string> meet;
  for (const auto& f : wards["features"]) {
    if (polygon_meets_box(f["geometry"], wide)) meet.insert(f["id"]);
  }
  const json got = body(ask("/ogc/collections/wards/items?limit=100&bbox=-1.7,54.7,-1.5,54.8"));
  std::set<std::string> ids;
  for (const auto& f : got["features"]) ids.insert(f["id"]);
  EXPECT_EQ(ids, meet);
  EXPECT_GT(ids.size(), 3u);
  EXPECT_LT(ids.size(), wards["features"].size());
}

TEST_F(Ogc, GridCrsAndBboxCrs) {
  const json lonlat = body(ask("/ogc/collections/incidents/items"));
  const Response r = ask("/ogc/collections/incidents/items?" + kBngQuery);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_NE(header(r, "Content-Crs"), nullptr);
  EXPECT_EQ(*header(r, "Content-Crs"), "<http://www.opengis.net/def/crs/EPSG/0/27700>");
  EXPECT_EQ(*header(ask("/ogc/collections/incidents/items"), "Content-Crs"),
            "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>");
  const json grid = json::parse(r.body);
  auto to_lonlat = engine::to_wgs84();
  ASSERT_TRUE(to_lonlat);
  ASSERT_EQ(grid["features"].size(), lonlat["features"].size());
  std::vector<geo::Point> points;
  for (std::size_t i = 0; i < grid["features"].size(); ++i) {
    const json& c = grid["features"][i]["geometry"]["coordinates"];
    const geo::Point p{c[0].get<double>(), c[1].get<double>()};
    points.push_back(p);
    EXPECT_GT(p.x, 300000);  // metres on the grid, not degrees
    const geo::Point q = (*to_lonlat)->transform(p);
    EXPECT_NEAR(q.x, lonlat["features"][i]["geometry"]["coordinates"][0].get<double>(), 1e-6);
    EXPECT_NEAR(q.y, lonlat["features"][i]["geometry"]["coordinates"][1].get<double>(), 1e-6);
  }
  // bbox-crs: a box in grid metres around the first two points.
  const double b[4] = {std::min(points[0].x, points[1].x) - 1, std::min(points[0].y, points[1].y) - 1,
                       std::max(points[0].x, points[1].x) + 1, std::max(points[0].y, points[1].y) + 1};
  const auto expected = std::count_if(points.begin(), points.end(), [&](const geo::Point& p) {
    return p.x >= b[0] && p.x <= b[2] && p.y >= b[1] && p.y <= b[3];
  });
  const std::string query = "bbox=" + engine::format_number(b[0]) + "," + engine::format_number(b[1]) +
                            "," + engine::format_number(b[2]) + "," + engine::format_number(b[3]) +
                            "&bbox-" + kBngQuery;
  const Response boxed = ask("/ogc/collections/incidents/items?" + query);
  ASSERT_EQ(boxed.status, 200) << boxed.body;
  EXPECT_EQ(body(boxed)["numberMatched"], expected);
  EXPECT_GE(expected, 2);
  // Ward polygons in the grid too, one feature by id.
  const std::string code = body(get("/api/layers/wards"))["features"][0]["id"];
  const Response ward = ask("/ogc/collections/wards/items/" + code + "?" + kBngQuery);
  ASSERT_EQ(ward.status, 200) << ward.body;
  const json feature = body(ward);
  EXPECT_EQ(feature["type"], "Feature");
  EXPECT_EQ(feature["id"], code);
  EXPECT_GT(feature["geometry"]["coordinates"][0][0][0].get<double>(), 300000);
}

TEST_F(Ogc, DatetimeInstantsAndIntervalsMatchBruteForce) {
  std::vector<std::int64_t> instants;
  for (const Row& r : kRows) instants.push_back(data::parse_time(r.time)->utc_seconds);
  auto count = [&](const std::string& datetime) {
    const Response r = ask("/ogc/collections/incidents/items?datetime=" + datetime);
    EXPECT_EQ(r.status, 200) << datetime << ": " << r.body;
    return r.status == 200 ? body(r)["numberMatched"].get<long>() : -1;
  };
  auto brute = [&](std::int64_t from, std::int64_t to) {
    return std::count_if(instants.begin(), instants.end(),
                         [&](std::int64_t t) { return t + 59 >= from && t <= to; });
  };
  const std::int64_t march2 = data::parse_time("2024-03-02T00:00:00Z")->utc_seconds;
  const std::int64_t april30 = data::parse_time("2024-04-30T00:00:00Z")->utc_seconds;
  const std::int64_t kOpen = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(count("2024-03-02T00:00:00Z/2024-04-30T00:00:00Z"), brute(march2, april30));
  EXPECT_EQ(count("../2024-04-30T00:00:00Z"), brute(-kOpen, april30));
  EXPECT_EQ(count("2024-03-02T00:00:00Z/"), brute(march2, kOpen));
  // An instant inside a minute-precision record's minute; offsets are honoured.
  EXPECT_EQ(count("2024-03-01T21:30:30Z"), 1);
  EXPECT_EQ(count("2024-04-10T22:00:00%2B01:00"), 1);
  EXPECT_EQ(count("2024-04-10T22:00:00Z"), 0);
}

TEST_F(Ogc, BadParametersAre400sNamingThem) {
  const std::string items = "/ogc/collections/incidents/items?";
  for (const auto& [query, name] : std::vector<std::pair<std::string, std::string>>{
           {"limit=0", "limit"},
           {"limit=10001", "limit"},
           {"offset=-1", "offset"},
           {"bbox=1,2,3", "bbox"},
           {"bbox=-1.5,54.8,-1.6,54.9", "bbox"},
           {"datetime=yesterday", "datetime"},
           {"datetime=2024-03-01", "datetime"},
           {"datetime=2024-03-01T10:00:00", "datetime"},
           {"datetime=../..", "datetime"},
           {"datetime=2024-05-01T00:00:00Z/2024-03-01T00:00:00Z", "datetime"},
           {"crs=EPSG:4326", "crs"},
           {"bbox-crs=http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FOGC%2F1.3%2FCRS84", "bbox-crs"},
           {"bbox=0,0,900000,100&bbox-" + kBngQuery, "bbox"},
           {"f=xml", "f"},
           {"limit=5&limit=6", "limit"},
       }) {
    expect_error(ask(items + query), 400, "invalid_parameter", "'" + name + "'");
  }
  expect_error(ask(items + "colour=red"), 400, "unknown_parameter", "colour");
  expect_error(ask("/ogc/collections/wards/items?datetime=2024-03-01T00:00:00Z"), 400,
               "invalid_parameter", "no time");
}

TEST_F(Ogc, UnknownCollectionsAndFeaturesAre404s) {
  expect_error(ask("/ogc/collections/lsoas"), 404, "not_found", "lsoas");
  expect_error(ask("/ogc/collections/lsoas/items"), 404, "not_found", "lsoas");
  expect_error(ask("/ogc/collections/wards/items/E99999999"), 404, "not_found", "E99999999");
  for (const std::string id : {"7", "07", "-1", "x", "99999999999"}) {
    expect_error(ask("/ogc/collections/incidents/items/" + id), 404, "not_found", id);
  }
  expect_error(ask("/ogc/nothing"), 404, "not_found");
  const json one = body(ask("/ogc/collections/incidents/items/6"));
  EXPECT_EQ(one["id"], 6);
  EXPECT_EQ(one["properties"]["source_id"], kRows[6].id);
}

TEST_F(Ogc, PublicModeWithholdsIncidentsAsApiIncidentsDoes) {
  Context closed = context();
  closed.disclosure = engine::Disclosure{true, 5};
  const json collections = body(ask("/ogc/collections", "", &closed));
  for (const auto& c : collections["collections"]) EXPECT_NE(c["id"], "incidents");
  auto request = make_request("GET", "/api/incidents");
  const Response api = handle(*request, closed);
  for (const std::string path : {"/ogc/collections/incidents", "/ogc/collections/incidents/items",
                                 "/ogc/collections/incidents/items/0"}) {
    const Response r = ask(path, "", &closed);
    expect_error(r, 403, "forbidden");
    EXPECT_EQ(body(r)["error"]["message"], body(api)["error"]["message"]) << path;
  }
  EXPECT_EQ(ask("/ogc/collections/wards/items", "", &closed).status, 200);
}

TEST_F(Ogc, BrowsersGetHtml) {
  const Response page = ask("/ogc/collections/wards/items?limit=5",
                            "text/html,application/xhtml+xml,*/*;q=0.8");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<table>"), std::string::npos);
  EXPECT_NE(page.body.find("offset=5&amp;"), std::string::npos) << "next link";
  EXPECT_EQ(ask("/ogc?f=html").content_type, "text/html; charset=utf-8");
  // The same URL answers JSON or HTML by Accept: caches are told so.
  for (const std::string target : {"/ogc", "/ogc/collections/wards/items?limit=1",
                                   "/ogc/collections/incidents/items/0"}) {
    for (const std::string accept : {"", "text/html"}) {
      const Response r = ask(target, accept);
      ASSERT_NE(header(r, "Vary"), nullptr) << target << " " << accept;
      EXPECT_EQ(*header(r, "Vary"), "Accept");
    }
  }
  EXPECT_EQ(ask("/ogc", "application/json, text/html").content_type, "application/json");
  EXPECT_EQ(ask("/ogc/collections/wards/items?f=html&limit=1", "application/geo+json")
                .content_type,
            "text/html; charset=utf-8");
}

TEST_F(Ogc, OpenApiDescribesEveryRoute) {
  const Response r = ask("/ogc/api");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/vnd.oai.openapi+json;version=3.0");
  const json doc = json::parse(r.body);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_EQ(doc["servers"][0]["url"], kBase + "/ogc");
  for (const Route& route : routes()) {
    std::string path(route.path), method(route.method);
    for (auto [from, to] : {std::pair{"/api/sources/*", "/api/sources/{sourceId}"},
                            std::pair{"/api/analyses/*", "/api/analyses/{analysisId}"},
                            std::pair{"/tiles/*/*/*/*", "/tiles/{layer}/{z}/{x}/{y}.mvt"},
                            std::pair{"/tiles/*", "/tiles/{layer}.json"},
                            std::pair{"/collections/*", "/collections/{collectionId}"},
                            std::pair{"/items/*", "/items/{featureId}"}}) {
      if (const auto at = path.find(from); at != std::string::npos) path.replace(at, std::string(from).size(), to);
    }
    // OGC paths are relative to the document's server (/ogc), the others
    // name the server's root.
    const bool ogc = path.starts_with("/ogc");
    if (ogc) path = path.size() <= 5 ? "/" : path.substr(4);
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    ASSERT_TRUE(doc["paths"].contains(path)) << path;
    if (!ogc) {
      EXPECT_EQ(doc["paths"][path]["servers"][0]["url"], kBase) << path;
    }
    const json& op = doc["paths"][path][method];
    EXPECT_TRUE(op.contains("responses")) << method << " " << path;
    EXPECT_NE(op["summary"], route.path) << "no summary for " << method << " " << path;
    // OpenAPI: a parameter (name and place) appears once per operation.
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& p : op.value("parameters", json::array())) {
      EXPECT_TRUE(seen.emplace(p["name"], p["in"]).second)
          << method << " " << path << " repeats " << p["name"];
    }
  }
  const json& items = doc["paths"]["/collections/{collectionId}/items"]["get"];
  bool limit = false;
  for (const auto& p : items["parameters"]) {
    if (p["name"] == "limit") {
      limit = true;
      EXPECT_EQ(p["schema"]["maximum"], engine::OgcItemsParams::kMaxLimit);
      EXPECT_EQ(p["schema"]["default"], engine::OgcItemsParams::kDefaultLimit);
    }
  }
  EXPECT_TRUE(limit);
}

}  // namespace
}  // namespace hotspot::http
