// The study area is the union of the ward polygons (grown by the buffer),
// not their bounding box: on a drawn fixture, against brute force over the
// real wards, and on the peers' generated incidents.

#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/study_area.hpp"

#include "temp_files.hpp"
#include "../common/peers_data.hpp"

#include <geos_c.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <vector>

namespace hotspot::data {
namespace {

namespace fs = std::filesystem;
using testing::source_path;
using testing::TempFiles;

// Two wards in EPSG:27700, metres from (400000, 500000):
//
//  y=200 +---------+ . . . . . . . .   <- the bounding box's top edge
//        |         |     n             n (300,170): in the box, in no ward
//        |    A    |     e             e (300,110): 10 m above B
//  y=100 |    a  k +---------+
//    w   |         |    b    |   o     w (-30,100): 30 m west of A; o (500,50): 100 m east of B
//  y=0   +---------+---------+         a (100,50) in A; b (300,50) in B; k (200,150) on A's edge
//        x=0      200       400
constexpr double kX0 = 400000, kY0 = 500000;

std::string ward_json() {
  auto ring = [](double x0, double y0, double x1, double y1) {
    std::ostringstream s;
    s.precision(10);
    s << "[[[" << kX0 + x0 << "," << kY0 + y0 << "],[" << kX0 + x1 << "," << kY0 + y0 << "],["
      << kX0 + x1 << "," << kY0 + y1 << "],[" << kX0 + x0 << "," << kY0 + y1 << "],[" << kX0 + x0
      << "," << kY0 + y0 << "]]]";
    return s.str();
  };
  return R"({"type":"FeatureCollection","features":[)"
         R"({"type":"Feature","properties":{"code":"A","name":"A"},"geometry":{"type":"Polygon","coordinates":)" +
         ring(0, 0, 200, 200) +
         R"(}},{"type":"Feature","properties":{"code":"B","name":"B"},"geometry":{"type":"Polygon","coordinates":)" +
         ring(200, 0, 400, 100) + "}}]}";
}

struct Drawn {
  const char* id;
  double x, y;
};
constexpr Drawn kPoints[] = {{"a", 100, 50},  {"b", 300, 50}, {"k", 200, 150}, {"n", 300, 170},
                             {"e", 300, 110}, {"w", -30, 100}, {"o", 500, 50}};

struct Loaded {
  std::shared_ptr<const Snapshot> snapshot;
  std::map<std::string, std::string> ward_of;  // kept point id -> ward id ("" for none)
};

Loaded load_drawn(TempFiles& files, double buffer, bool with_wards = true) {
  std::ostringstream csv;
  csv << "id,easting,northing,category,occurred_at\n";
  for (const Drawn& p : kPoints) {
    csv.precision(10);
    csv << p.id << "," << kX0 + p.x << "," << kY0 + p.y << ",Violence,2024-03-15T22:41:07Z\n";
  }
  LoadOptions options;
  if (with_wards) {
    options.wards.path = files.write("wards.geojson", ward_json());
    options.wards.source_crs = "EPSG:27700";
  }
  IncidentSourceOptions incidents;
  incidents.path = files.write("incidents.csv", csv.str());
  options.incidents = {incidents};
  options.study_area_buffer = buffer;
  Loaded out;
  out.snapshot = load_snapshot(options);
  const IncidentTable& t = *out.snapshot->incidents;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const std::int32_t w = t.ward[i];
    out.ward_of[std::string(t.source_id(i))] = w == kNoArea ? "" : out.snapshot->wards->ids[w];
  }
  return out;
}

const FileReport& incident_report(const Snapshot& s) { return s.report.files.back(); }

TEST(StudyArea, RowsInNoWardAreRejectedNotTheBoundingBox) {
  TempFiles files;
  const Loaded loaded = load_drawn(files, 0);
  const std::map<std::string, std::string> want{{"a", "A"}, {"b", "B"}, {"k", "A"}};
  EXPECT_EQ(loaded.ward_of, want);
  const FileReport& report = incident_report(*loaded.snapshot);
  EXPECT_EQ(report.rows_accepted, 3u);
  EXPECT_EQ(report.rows_rejected, 4u);
  EXPECT_EQ(report.issues.at(RowIssue::outside_study_area), 4u);
  bool named_n = false;
  for (const RowExample& example : report.examples) {
    EXPECT_EQ(example.issue, RowIssue::outside_study_area);
    EXPECT_NE(example.detail.find("no ward"), std::string::npos) << example.detail;
    named_n |= example.line == 5;  // n is the fourth row, on line 5
  }
  EXPECT_TRUE(named_n);
}

TEST(StudyArea, BufferKeepsNearbyRowsWithTheNearestWard) {
  TempFiles files;
  // 50 m: e (10 m from B) and w (30 m from A) are kept, n (70 m) and o (100 m) are not.
  const Loaded fifty = load_drawn(files, 50);
  const std::map<std::string, std::string> want{
      {"a", "A"}, {"b", "B"}, {"k", "A"}, {"e", "B"}, {"w", "A"}};
  EXPECT_EQ(fifty.ward_of, want);
  const FileReport& report = incident_report(*fifty.snapshot);
  EXPECT_EQ(report.issues.at(RowIssue::outside_study_area), 2u);
  for (const RowExample& example : report.examples) {
    EXPECT_NE(example.detail.find("more than 50 m from every ward"), std::string::npos)
        << example.detail;
  }
  // 80 m reaches n too, nearer B (70 m) than A (100 m).
  EXPECT_EQ(load_drawn(files, 80).ward_of.at("n"), "B");
  // 100 m reaches o exactly (the boundary of the buffer is inside).
  EXPECT_EQ(load_drawn(files, 100).ward_of.at("o"), "B");
}

TEST(StudyArea, NoWardsNoStudyArea) {
  TempFiles files;
  const Loaded loaded = load_drawn(files, 0, false);
  EXPECT_EQ(loaded.ward_of.size(), std::size(kPoints));
  EXPECT_EQ(incident_report(*loaded.snapshot).rows_rejected, 0u);
}

TEST(StudyArea, ParsesTheBufferOption) {
  EXPECT_EQ(*parse_study_area_buffer("0"), 0.0);
  EXPECT_EQ(*parse_study_area_buffer("25.5"), 25.5);
  EXPECT_EQ(*parse_study_area_buffer("5000"), 5000.0);
  for (const char* bad : {"", "-1", "5000.5", "ten", "nan", "inf", "10m"}) {
    const auto parsed = parse_study_area_buffer(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find("--study-area-buffer"), std::string::npos);
  }
}

BoundaryLayer real_wards() {
  FileReport report;
  BoundaryOptions options;
  options.path = source_path("geodata/wards-E06000047.json");
  auto layer = load_boundaries(options, report);
  EXPECT_TRUE(layer);
  return std::move(*layer);
}

// The study area's rule by brute force over every ward: the lowest-index
// ward containing p, else covering it; else, within `buffer`, the nearest
// by GEOS distance (lowest index on ties); else none.
std::int32_t brute_force(const BoundaryLayer& wards, const std::vector<geo::PreparedGeometry>& prepared,
                         double buffer, geo::Point p) {
  GEOSContextHandle_t ctx = geo::thread_context();
  geo::Geometry point = geo::make_point(p);
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < prepared.size(); ++i) {
      const char hit = pass == 0 ? GEOSPreparedContains_r(ctx, prepared[i].get(), point.get())
                                 : GEOSPreparedCovers_r(ctx, prepared[i].get(), point.get());
      if (hit == 1) return static_cast<std::int32_t>(i);
    }
  }
  std::int32_t best = kNoArea;
  double best_d = buffer;
  for (std::size_t i = 0; buffer > 0 && i < wards.size(); ++i) {
    double d = 0;
    if (GEOSDistance_r(ctx, wards.geometries[i].get(), point.get(), &d) != 1) continue;
    if (d < best_d || (d == best_d && best == kNoArea)) {
      best_d = d;
      best = static_cast<std::int32_t>(i);
    }
  }
  return best;
}

// The grid path (taken for large tables) and the index path agree with
// brute force on the real wards, with and without a buffer, for points all
// over the bounding box and next to the county boundary.
TEST(StudyArea, GridAndIndexMatchBruteForceOnRealWards) {
  const BoundaryLayer wards = real_wards();
  std::vector<geo::PreparedGeometry> prepared;
  for (const auto& g : wards.geometries) prepared.emplace_back(GEOSPrepare_r(geo::thread_context(), g.get()));
  std::mt19937_64 rng(7);
  const geo::Box e = wards.extent;
  std::uniform_real_distribution<double> ux(e.min_x - 500, e.max_x + 500), uy(e.min_y - 500, e.max_y + 500);
  std::vector<geo::Point> points;
  for (int i = 0; i < 3000; ++i) points.push_back({ux(rng), uy(rng)});
  // Around the vertices of the wards, where the buffer's edge runs.
  std::uniform_real_distribution<double> offset(-300, 300);
  for (const auto& g : wards.geometries) {
    const geo::MultiPolygonRings rings = geo::polygon_rings(g.get());
    const auto& outer = rings.front().front();
    for (std::size_t v = 0; v < outer.size(); v += 97) {
      points.push_back({outer[v].x + offset(rng), outer[v].y + offset(rng)});
    }
  }
  for (const double buffer : {0.0, 150.0}) {
    const StudyArea gridded(wards, buffer, 1'000'000), indexed(wards, buffer, 0);
    std::size_t inside = 0, outside = 0;
    for (const geo::Point& p : points) {
      const std::int32_t want = brute_force(wards, prepared, buffer, p);
      ASSERT_EQ(gridded.ward_of(p), want) << buffer << " " << p.x << " " << p.y;
      ASSERT_EQ(indexed.ward_of(p), want) << buffer << " " << p.x << " " << p.y;
      (want == kNoArea ? outside : inside) += 1;
    }
    EXPECT_GT(inside, points.size() / 4) << buffer;
    EXPECT_GT(outside, points.size() / 10) << buffer;
  }
}

// On the peers' 10,000 rows (40 % uniform over the wards' bounding box) the
// rows kept are exactly those a brute-force GEOS covers test puts in some
// ward, and every other row is reported outside the study area.
TEST(StudyArea, PeersTenThousandKeepsExactlyTheRowsInAWard) {
  TempFiles files;
  std::string why;
  const fs::path csv = peers::ten_thousand(files.path(""), why);
  if (csv.empty()) GTEST_SKIP() << why;

  LoadOptions options;
  options.wards.path = source_path("geodata/wards-E06000047.json");
  IncidentSourceOptions incidents;
  incidents.path = csv.string();
  options.incidents = {incidents};
  const auto snapshot = load_snapshot(options);
  const BoundaryLayer& wards = *snapshot->wards;
  ASSERT_GT(wards.size(), 50u);

  std::vector<geo::PreparedGeometry> prepared;
  for (const auto& g : wards.geometries) prepared.emplace_back(GEOSPrepare_r(geo::thread_context(), g.get()));
  GEOSContextHandle_t ctx = geo::thread_context();
  const peers::Coordinates points = peers::read_coordinates(csv);
  const std::size_t rows = points.x.size();
  std::size_t in_a_ward = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    geo::Geometry point = geo::make_point({points.x[i], points.y[i]});
    for (const auto& p : prepared) {
      if (GEOSPreparedCovers_r(ctx, p.get(), point.get()) == 1) {
        ++in_a_ward;
        break;
      }
    }
  }
  ASSERT_EQ(rows, 10000u);
  const FileReport& report = snapshot->report.files.back();
  EXPECT_EQ(snapshot->incidents->size(), in_a_ward);
  EXPECT_EQ(report.rows_accepted, in_a_ward);
  EXPECT_EQ(report.issues.at(RowIssue::outside_study_area), rows - in_a_ward);
  // The generator draws 40 % over the box: a sixth or so land in no ward.
  EXPECT_GT(rows - in_a_ward, 1000u);
  for (std::size_t i = 0; i < snapshot->incidents->size(); ++i) {
    ASSERT_NE(snapshot->incidents->ward[i], kNoArea) << i;
  }
}

}  // namespace
}  // namespace hotspot::data
