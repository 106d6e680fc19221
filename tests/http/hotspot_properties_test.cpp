// What each hotspot feature says about itself, checked against the incident
// table and the boundary layers by brute force: stable cluster ids, wards
// touched, nearest town centre, hull options, KDE contours and Gi* on wards.
#include "handler_fixture.hpp"

#include "hotspot/engine/projection.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

namespace hotspot::http {
namespace {

using fixture::kRows;
using nlohmann::json;
using Properties = fixture::HandlerFixture;

// A snapshot of the bundled layers plus `csv` (id,lon,lat,category,occurred_at rows).
std::shared_ptr<const data::Snapshot> snapshot_of(const std::string& name, const std::string& rows) {
  const auto path = fixture::fs::temp_directory_path() /
                    ("hotspot-props-" + std::to_string(::getpid()) + "-" + name + ".csv");
  {
    std::ofstream csv(path);
    csv << "id,lon,lat,category,occurred_at\n" << rows;
  }
  auto snapshot = fixture::load_with_bundled_layers(path);
  fixture::fs::remove(path);
  return snapshot;
}

json ask(const data::Store& store, const std::string& target, int status = 200) {
  Context c;
  c.store = &store;
  const auto r = handle(*make_request("GET", target), c);
  EXPECT_EQ(r.status, status) << target << ": " << r.body;
  return json::parse(r.body, nullptr, false);
}

std::string csv_rows(const std::vector<fixture::Row>& rows) {
  std::string text;
  for (const auto& r : rows) {
    char line[256];
    std::snprintf(line, sizeof line, "%s,%.7f,%.7f,%s,%s\n", r.id.c_str(), r.lon, r.lat,
                  r.label.c_str(), r.time.c_str());
    text += line;
  }
  return text;
}

// Table rows holding the given source ids.
std::vector<std::uint32_t> rows_with_ids(const data::IncidentTable& t, std::set<std::string> ids) {
  std::vector<std::uint32_t> rows;
  for (std::uint32_t i = 0; i < t.size(); ++i) {
    if (ids.count(std::string(t.source_id(i)))) rows.push_back(i);
  }
  return rows;
}

TEST_F(Properties, ClusterIdIsStableAcrossRowOrderAndRuns) {
  // The trio d1, d2, d3 (about 60 m apart) is the only cluster at eps 100 m.
  const std::string target = "/api/hotspots/dbscan?eps=100&min_points=3";
  const json first = body(get(target));
  ASSERT_EQ(first["features"].size(), 1u);
  const std::string id = first["features"][0]["id"];
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  EXPECT_EQ(first["features"][0]["properties"]["id"], id);
  // Asked again with no cache: computed afresh, same id.
  EXPECT_EQ(body(get(target))["features"][0]["id"], id);

  // The same rows in reverse order, with the background rows first: DBSCAN
  // numbers the clusters differently, the id stays.
  std::vector<fixture::Row> reversed(kRows.rbegin(), kRows.rend());
  data::Store store;
  store.replace(snapshot_of("reversed", csv_rows(reversed)));
  const json again = ask(store, target);
  ASSERT_EQ(again["features"].size(), 1u);
  EXPECT_EQ(again["features"][0]["id"], id);

  // Other members, another id: violence and damage only leaves d1 and d2.
  const json pair = body(get("/api/hotspots/dbscan?eps=100&min_points=2&category=violence,criminal_damage"));
  ASSERT_EQ(pair["features"].size(), 1u);
  EXPECT_EQ(pair["features"][0]["properties"]["count"], 2);
  EXPECT_NE(pair["features"][0]["id"], id);
}

TEST_F(Properties, ClusterPropertiesMatchTheTable) {
  const auto snapshot = store_->current();
  const data::IncidentTable& t = *snapshot->incidents;
  const json b = body(get("/api/hotspots/dbscan?eps=100&min_points=3"));
  ASSERT_EQ(b["features"].size(), 1u);
  const json& p = b["features"][0]["properties"];
  const auto members = rows_with_ids(t, {"d1", "d2", "d3"});
  ASSERT_EQ(members.size(), 3u);

  // Wards touched: the distinct ward codes of the members.
  std::set<std::pair<std::string, std::string>> wards;
  for (auto row : members) {
    if (t.ward[row] != data::kNoArea) {
      wards.emplace(snapshot->wards->ids[t.ward[row]], snapshot->wards->names[t.ward[row]]);
    }
  }
  ASSERT_FALSE(wards.empty());
  std::set<std::pair<std::string, std::string>> reported;
  for (const auto& w : p["wards"]) reported.emplace(w["id"], w["name"]);
  EXPECT_EQ(reported, wards);

  // Centroid: the mean of the members; nearest town centre by GEOS distance
  // from it to every town-centre polygon.
  double cx = 0, cy = 0;
  for (auto row : members) {
    cx += t.x[row] / 3;
    cy += t.y[row] / 3;
  }
  GEOSContextHandle_t ctx = geo::thread_context();
  geo::Geometry centre = geo::make_point({cx, cy});
  double best = INFINITY;
  std::size_t best_i = 0;
  for (std::size_t i = 0; i < snapshot->town_centres->size(); ++i) {
    double d = 0;
    ASSERT_EQ(GEOSDistance_r(ctx, centre.get(), snapshot->town_centres->geometries[i].get(), &d), 1);
    if (d < best) {
      best = d;
      best_i = i;
    }
  }
  ASSERT_TRUE(p["nearest_town_centre"].is_object()) << p;
  EXPECT_EQ(p["nearest_town_centre"]["id"], snapshot->town_centres->ids[best_i]);
  EXPECT_EQ(p["nearest_town_centre"]["name"], snapshot->town_centres->names[best_i]);
  EXPECT_NEAR(p["nearest_town_centre"]["distance_m"].get<double>(), best, 0.1);
  auto to_lonlat = engine::to_wgs84();
  ASSERT_TRUE(to_lonlat);
  const geo::Point c = (*to_lonlat)->transform(geo::Point{cx, cy});
  EXPECT_NEAR(p["centroid"][0].get<double>(), c.x, 1e-6);
  EXPECT_NEAR(p["centroid"][1].get<double>(), c.y, 1e-6);

  // Hull: the members' triangle (shoelace in metres), density = 3 / area.
  const double ax = t.x[members[0]], ay = t.y[members[0]];
  const double area_m2 = std::abs((t.x[members[1]] - ax) * (t.y[members[2]] - ay) -
                                  (t.x[members[2]] - ax) * (t.y[members[1]] - ay)) / 2;
  EXPECT_NEAR(p["area_km2"].get<double>(), area_m2 / 1e6, 1e-6);
  EXPECT_NEAR(p["density_per_km2"].get<double>(), 3 / (area_m2 / 1e6), 0.01 * 3 / (area_m2 / 1e6));
  EXPECT_NEAR(p["share"].get<double>(), 3.0 / kRows.size(), 1e-6);
  EXPECT_EQ(p["core_count"], 3);

  // Busiest hour and weekday, local time, the earliest on a tie: d1 Friday
  // 21:30, d2 Saturday 01:30, d3 Tuesday 12:00 -> hour 1, Tuesday.
  EXPECT_EQ(p["busiest_hour"], 1);
  EXPECT_EQ(p["busiest_weekday"], "tue");

  const json& m = b["metadata"];
  EXPECT_EQ(m["counts"]["clusters"], 1);
  EXPECT_EQ(m["counts"]["clustered"], 3);
  EXPECT_EQ(m["counts"]["noise"], kRows.size() - 3);
  EXPECT_EQ(m["parameters"]["hull"], "convex");
  EXPECT_TRUE(m["parameters"]["concave_ratio"].is_null());
}

TEST(ConcaveHull, CarvesIntoAHorseshoe) {
  // A U three rows thick, points about 20 m apart (slightly staggered, so the
  // triangulation is not degenerate), on a 400 m square open to the north:
  //
  //   ooo           ooo
  //   ooo           ooo
  //   ooooooooooooooooo
  //   ooooooooooooooooo
  //
  // The convex hull is the whole square; a concave hull follows the U.
  auto to_lonlat = engine::to_wgs84();
  ASSERT_TRUE(to_lonlat);
  std::string rows;
  int n = 0;
  auto add = [&](double x, double y) {
    const geo::Point q = (*to_lonlat)->transform(geo::Point{427000 + x, 542000 + y});
    char line[160];
    std::snprintf(line, sizeof line, "u%d,%.8f,%.8f,Public order,2024-03-05T12:00:00+00:00\n", n++,
                  q.x, q.y);
    rows += line;
  };
  for (int i = 0; i <= 20; ++i) {
    for (int j = 0; j <= 20; ++j) {
      const double x = i * 20.0, y = j * 20.0;
      if (y <= 60 || x <= 60 || x >= 340) add(x + (j % 2) * 3.0, y + (i % 2) * 2.0);
    }
  }
  data::Store store;
  store.replace(snapshot_of("horseshoe", rows));
  const json convex = ask(store, "/api/hotspots/dbscan?eps=30&min_points=2");
  const json concave = ask(store, "/api/hotspots/dbscan?eps=30&min_points=2&hull=concave&concave_ratio=0.3");
  ASSERT_EQ(convex["features"].size(), 1u);
  ASSERT_EQ(concave["features"].size(), 1u);
  const double convex_km2 = convex["features"][0]["properties"]["area_km2"];
  const double concave_km2 = concave["features"][0]["properties"]["area_km2"];
  // The U itself covers 400 x 400 - 280 x 340 m (about 0.065 km2).
  EXPECT_NEAR(convex_km2, 0.16, 0.005);
  EXPECT_LT(concave_km2, 0.6 * convex_km2);
  EXPECT_GT(concave_km2, 0.04);
  EXPECT_EQ(concave["features"][0]["id"], convex["features"][0]["id"]) << "same members, same id";
  EXPECT_EQ(concave["metadata"]["parameters"]["hull"], "concave");
  EXPECT_EQ(concave["metadata"]["parameters"]["concave_ratio"], "0.3");
  // With the ratio at 1 the concave hull is the convex one.
  const json loose = ask(store, "/api/hotspots/dbscan?eps=30&min_points=2&hull=concave&concave_ratio=1");
  EXPECT_NEAR(loose["features"][0]["properties"]["area_km2"].get<double>(), convex_km2, 1e-6);

  ask(store, "/api/hotspots/dbscan?hull=alpha", 400);
  ask(store, "/api/hotspots/dbscan?concave_ratio=0.5", 400);  // only with hull=concave
  ask(store, "/api/hotspots/dbscan?hull=concave&concave_ratio=1.5", 400);
}

TEST(ConvexHull, LargeClusterHullIsTheHullOfEveryMember) {
  // 3000 points scattered over a disc of 300 m (a fixed linear congruential
  // sequence, so the test is repeatable): one cluster at eps 500 m. Its hull
  // area must be that of GEOS's convex hull of every member as loaded.
  auto to_lonlat = engine::to_wgs84();
  ASSERT_TRUE(to_lonlat);
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / static_cast<double>(1ull << 53);
  };
  std::string rows;
  for (int i = 0; i < 3000; ++i) {
    const double r = 300 * std::sqrt(next()), a = 2 * M_PI * next();
    const geo::Point q = (*to_lonlat)->transform(geo::Point{427000 + r * std::cos(a), 542000 + r * std::sin(a)});
    char line[160];
    std::snprintf(line, sizeof line, "g%d,%.8f,%.8f,Public order,2024-03-05T12:00:00+00:00\n", i, q.x, q.y);
    rows += line;
  }
  data::Store store;
  store.replace(snapshot_of("disc", rows));
  const data::IncidentTable& t = *store.current()->incidents;
  ASSERT_EQ(t.size(), 3000u);
  GEOSContextHandle_t ctx = geo::thread_context();
  std::vector<GEOSGeometry*> points;
  for (std::size_t i = 0; i < t.size(); ++i) points.push_back(GEOSGeom_createPointFromXY_r(ctx, t.x[i], t.y[i]));
  geo::Geometry all(GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOINT, points.data(),
                                                static_cast<unsigned>(points.size())));
  geo::Geometry hull = geo::convex_hull(all.get());
  const double expected_km2 = geo::area(hull.get()) / 1e6;

  const json b = ask(store, "/api/hotspots/dbscan?eps=500&min_points=1");
  ASSERT_EQ(b["features"].size(), 1u);
  EXPECT_EQ(b["features"][0]["properties"]["count"], 3000);
  EXPECT_NEAR(b["features"][0]["properties"]["area_km2"].get<double>(), expected_km2, 1e-6);
  EXPECT_EQ(b["features"][0]["geometry"]["coordinates"][0].size(),
            static_cast<std::size_t>(GEOSGetNumCoordinates_r(ctx, hull.get())));
}

TEST(DbscanBound, TooManyClustersIsRefused) {
  // 20001 points 10 m apart: at eps 1 m and min_points 1 each is its own
  // cluster, one more than an answer may hold.
  auto to_lonlat = engine::to_wgs84();
  ASSERT_TRUE(to_lonlat);
  std::string rows;
  for (int i = 0; i < 20001; ++i) {
    const geo::Point q = (*to_lonlat)->transform(geo::Point{420000.0 + (i % 200) * 10, 540000.0 + (i / 200) * 10});
    char line[160];
    std::snprintf(line, sizeof line, "p%d,%.8f,%.8f,Public order,2024-03-05T12:00:00+00:00\n", i, q.x, q.y);
    rows += line;
  }
  data::Store store;
  store.replace(snapshot_of("many", rows));
  const json e = ask(store, "/api/hotspots/dbscan?eps=1&min_points=1", 413);
  EXPECT_NE(e["error"]["message"].get<std::string>().find("'min_points'"), std::string::npos);
  // The bound is on clusters, not points: at eps 10.5 m they form one.
  EXPECT_EQ(ask(store, "/api/hotspots/dbscan?eps=10.5&min_points=1")["metadata"]["counts"]["clusters"], 1);
}

// Ray casting on a lon/lat ring.
bool inside(const json& ring, double x, double y) {
  bool in = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const double xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
  }
  return in;
}

bool in_geometry(const json& geometry, double x, double y) {
  const auto polygon_has = [&](const json& rings) {
    if (!inside(rings[0], x, y)) return false;
    for (std::size_t h = 1; h < rings.size(); ++h) {
      if (inside(rings[h], x, y)) return false;
    }
    return true;
  };
  if (geometry["type"] == "Polygon") return polygon_has(geometry["coordinates"]);
  for (const auto& polygon : geometry["coordinates"]) {
    if (polygon_has(polygon)) return true;
  }
  return false;
}

TEST_F(Properties, KdeContoursBoundTheGridCells) {
  const json grid = body(get("/api/hotspots/kde?cell=100&bandwidth=500&threshold=0"));
  const double peak = grid["metadata"]["max_density"];
  // Levels below the peak (about 11 per km2 where three kernels overlap).
  const std::string levels = "2,8";
  const auto r = get("/api/hotspots/kde?cell=100&bandwidth=500&output=contours&levels=" + levels);
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  EXPECT_EQ(b["metadata"]["units"], "incidents per km2");
  EXPECT_EQ(b["metadata"]["parameters"]["output"], "contours");
  EXPECT_EQ(b["metadata"]["parameters"]["levels"], levels);
  EXPECT_TRUE(b["metadata"]["parameters"]["threshold"].is_null());
  ASSERT_EQ(b["features"].size(), 2u);
  EXPECT_EQ(b["features"][0]["properties"]["min_density"], 2.0);
  EXPECT_EQ(b["features"][0]["properties"]["max_density"], 8.0);
  EXPECT_EQ(b["features"][1]["properties"]["min_density"], 8.0);
  EXPECT_NEAR(b["features"][1]["properties"]["max_density"].get<double>(), peak, 1e-9);

  // A cell centre lies in the band its density falls in. Cells whose density
  // is near a level are skipped: the contour is interpolated between centres.
  std::size_t checked = 0;
  for (const auto& cell : grid["features"]) {
    const double d = cell["properties"]["density"];
    if (std::abs(d - 2) < 0.3 || std::abs(d - 8) < 0.3) continue;
    const json& ring = cell["geometry"]["coordinates"][0];
    const double x = (ring[0][0].get<double>() + ring[2][0].get<double>()) / 2;
    const double y = (ring[0][1].get<double>() + ring[2][1].get<double>()) / 2;
    const int expected = d < 2 ? -1 : d < 8 ? 0 : 1;
    int found = -1;
    for (int k = 0; k < 2; ++k) {
      if (in_geometry(b["features"][k]["geometry"], x, y)) found = k;
    }
    EXPECT_EQ(found, expected) << "density " << d << " at " << x << "," << y;
    ++checked;
  }
  EXPECT_GT(checked, 50u);

  // Quantile levels: of the positive cell values (linear interpolation).
  std::vector<double> positive;
  for (const auto& cell : grid["features"]) positive.push_back(cell["properties"]["density"]);
  std::sort(positive.begin(), positive.end());
  const json q = body(get("/api/hotspots/kde?cell=100&bandwidth=500&output=contours&quantiles=0.5,0.9"));
  ASSERT_EQ(q["metadata"]["levels"].size(), 2u);
  for (int k = 0; k < 2; ++k) {
    const double at = (k == 0 ? 0.5 : 0.9) * static_cast<double>(positive.size() - 1);
    const auto lo = static_cast<std::size_t>(at);
    const double expected = positive[lo] + (at - lo) * (positive[std::min(lo + 1, positive.size() - 1)] - positive[lo]);
    EXPECT_NEAR(q["metadata"]["levels"][k].get<double>(), expected, 2e-3);
  }
  // Default contours: five quantiles.
  const json d = body(get("/api/hotspots/kde?output=contours"));
  EXPECT_EQ(d["metadata"]["parameters"]["quantiles"], "0.5,0.75,0.9,0.95,0.99");

  for (const char* bad : {"/api/hotspots/kde?levels=5", "/api/hotspots/kde?output=contours&threshold=0.1",
                          "/api/hotspots/kde?output=contours&levels=5&quantiles=0.5",
                          "/api/hotspots/kde?output=contours&quantiles=1",
                          "/api/hotspots/kde?output=contours&levels=20,5",
                          "/api/hotspots/kde?output=contours&levels=0",
                          "/api/hotspots/kde?output=raster"}) {
    const auto e = get(bad);
    EXPECT_EQ(e.status, 400) << bad << ": " << e.body;
  }
  expect_error(get("/api/hotspots/kde?output=contours&levels=20,5"), 400, "invalid_parameter", "'levels'");
}

TEST_F(Properties, GiStarOnWardsMatchesTheFormula) {
  const auto r = get("/api/hotspots/gistar?on=wards&all=true");
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  const auto snapshot = store_->current();
  const data::BoundaryLayer& wards = *snapshot->wards;
  ASSERT_EQ(b["features"].size(), wards.size());

  // Counts per ward from the table's ward join.
  const data::IncidentTable& t = *snapshot->incidents;
  std::vector<double> x(wards.size()), y(wards.size()), count(wards.size(), 0);
  for (std::size_t row = 0; row < t.size(); ++row) {
    if (t.ward[row] != data::kNoArea) ++count[t.ward[row]];
  }
  // Centroids from GEOS, independently of the service's own computation.
  GEOSContextHandle_t ctx = geo::thread_context();
  for (std::size_t i = 0; i < wards.size(); ++i) {
    geo::Geometry c(GEOSGetCentroid_r(ctx, wards.geometries[i].get()));
    ASSERT_TRUE(c);
    GEOSGeomGetX_r(ctx, c.get(), &x[i]);
    GEOSGeomGetY_r(ctx, c.get(), &y[i]);
  }
  // Default band: the largest nearest-neighbour distance, rounded up.
  double band = 0;
  for (std::size_t i = 0; i < wards.size(); ++i) {
    double nearest = INFINITY;
    for (std::size_t j = 0; j < wards.size(); ++j) {
      if (i != j) nearest = std::min(nearest, std::hypot(x[i] - x[j], y[i] - y[j]));
    }
    band = std::max(band, nearest);
  }
  const double reported_band = std::stod(b["metadata"]["parameters"]["band"].get<std::string>());
  EXPECT_NEAR(reported_band, std::ceil(band), 1.0);
  EXPECT_EQ(b["metadata"]["parameters"]["on"], "wards");
  EXPECT_TRUE(b["metadata"]["parameters"]["cell"].is_null());

  // Gi* by its definition, binary weights within the band.
  const double n = static_cast<double>(wards.size());
  double sum = 0, sum2 = 0;
  for (double v : count) {
    sum += v;
    sum2 += v * v;
  }
  const double mean = sum / n, s = std::sqrt(sum2 / n - mean * mean);
  std::map<std::string, double> z;
  for (std::size_t i = 0; i < wards.size(); ++i) {
    double w = 0, wx = 0;
    for (std::size_t j = 0; j < wards.size(); ++j) {
      if (std::hypot(x[i] - x[j], y[i] - y[j]) <= reported_band) {
        w += 1;
        wx += count[j];
      }
    }
    z[wards.ids[i]] = (wx - mean * w) / (s * std::sqrt((n * w - w * w) / (n - 1)));
  }
  const std::map<int, std::string> labels{{3, "Hot Spot - 99% Confidence"}, {0, "Not Significant"},
                                          {-1, "Cold Spot - 90% Confidence"}};
  for (const auto& f : b["features"]) {
    const std::string id = f["id"];
    EXPECT_NEAR(f["properties"]["z"].get<double>(), z[id], 1e-3) << id;
    EXPECT_EQ(f["properties"]["count"], count[wards.find(id)]) << id;
    EXPECT_EQ(f["properties"]["name"], wards.names[wards.find(id)]);
    const int bin = f["properties"]["bin"];
    if (labels.count(bin)) {
      EXPECT_EQ(f["properties"]["label"], labels.at(bin));
    }
  }
  EXPECT_EQ(b["metadata"]["bins"]["-2"], "Cold Spot - 95% Confidence");

  // Only significant wards without all=true; an explicit band is echoed.
  const json some = body(get("/api/hotspots/gistar?on=wards&band=8000&fdr=true"));
  for (const auto& f : some["features"]) EXPECT_NE(f["properties"]["bin"], 0);
  EXPECT_EQ(some["metadata"]["parameters"]["band"], "8000");
  EXPECT_EQ(some["metadata"]["parameters"]["fdr"], "true");
  expect_error(get("/api/hotspots/gistar?on=wards&cell=250"), 400, "invalid_parameter", "'cell'");
  expect_error(get("/api/hotspots/gistar?on=lsoa"), 400, "invalid_parameter", "'on'");
  // Grid cells carry the labels too.
  const json cells = body(get("/api/hotspots/gistar?cell=1000&band=3000&all=true"));
  for (const auto& f : cells["features"]) {
    if (f["properties"]["bin"] == 0) {
      EXPECT_EQ(f["properties"]["label"], "Not Significant");
    }
  }
}

TEST_F(Properties, EveryAnalysisAnswerCarriesItsMetadata) {
  const std::map<std::string, std::vector<std::string>> own{
      {"/api/hotspots/dbscan", {"eps", "min_points", "hull", "concave_ratio"}},
      {"/api/hotspots/kde", {"cell", "bandwidth", "output", "threshold", "levels", "quantiles"}},
      {"/api/hotspots/gistar", {"on", "cell", "band", "fdr", "all"}},
      {"/api/stats/wards", {}},
      {"/api/stats/town-centres", {}},
      {"/api/stats/groups", {}},
      {"/api/profile", {}}};
  for (const auto& [path, names] : own) {
    const auto r = get(path + "?preset=nte");
    ASSERT_EQ(r.status, 200) << path << ": " << r.body;
    const json m = body(r)["metadata"];
    for (const auto& name : names) EXPECT_TRUE(m["parameters"].contains(name)) << path << " " << name;
    for (const char* name :
         {"category", "from", "to", "days", "window", "ward", "group", "scope", "buffer", "bbox"}) {
      EXPECT_TRUE(m["parameters"].contains(name)) << path << " " << name;
    }
    EXPECT_EQ(m["parameters"]["window"], "20:00-04:00") << path;
    ASSERT_FALSE(m["sources"].empty()) << path;
    for (const auto& s : m["sources"]) EXPECT_FALSE(s["loaded_at"].get<std::string>().empty());
    EXPECT_EQ(m["counts"]["considered"], kRows.size()) << path;
    EXPECT_TRUE(m["counts"]["selected"].is_number()) << path;
    EXPECT_TRUE(m["counts"]["excluded"].is_object()) << path;
    EXPECT_TRUE(m["selection_rules"].is_array()) << path;
    EXPECT_FALSE(m["method_version"].get<std::string>().empty()) << path;
    EXPECT_EQ(m["generated_at"].get<std::string>().size(), 20u) << path;
  }
  // Two periods: counts and exclusions for each.
  const auto r = get("/api/compare?preset=nte&a_from=2024-03-01&a_to=2024-03-31&b_from=2024-04-01&b_to=2024-06-30");
  ASSERT_EQ(r.status, 200) << r.body;
  const json m = body(r)["metadata"];
  for (const char* name : {"a_from", "a_to", "b_from", "b_to", "by", "category", "window"}) {
    EXPECT_TRUE(m["parameters"].contains(name)) << name;
  }
  EXPECT_TRUE(m["counts"]["a"]["excluded"].is_object());
  EXPECT_TRUE(m["counts"]["b"]["selected"].is_number());
  EXPECT_FALSE(m["sources"].empty());
}

}  // namespace
}  // namespace hotspot::http
