#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/synthetic.hpp"

#include "temp_files.hpp"

#include <geos_c.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hotspot::data {
namespace {

using testing::source_path;
using testing::TempFiles;

const std::string kWards = "geodata/wards-E06000047.json";
const std::string kCentres = "geodata/town-centres.geojson";

struct Layers {
  BoundaryLayer wards, centres;
};

Layers load_layers() {
  FileReport a, b;
  BoundaryOptions w;
  w.path = source_path(kWards);
  BoundaryOptions t;
  t.path = source_path(kCentres);
  t.kind = "town-centres";
  auto wards = load_boundaries(w, a);
  auto centres = load_boundaries(t, b);
  EXPECT_TRUE(wards && centres);
  return {std::move(*wards), std::move(*centres)};
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(JoinAreas, MatchesBruteForceOnRealWards) {
  Layers layers = load_layers();
  ASSERT_GT(layers.wards.size(), 50u);
  ASSERT_GT(layers.centres.size(), 5u);
  SyntheticOptions options = synthetic_options_from_layers(layers.wards, layers.centres);
  options.count = 3000;
  options.seed = 99;
  options.within = nullptr;  // background over the whole box: many points outside every ward
  auto incidents = generate_incidents(options);
  ASSERT_TRUE(incidents);
  IncidentTable table;
  for (const auto& incident : *incidents) {
    table.x.push_back(incident.x);
    table.y.push_back(incident.y);
  }
  join_areas(table, layers.wards, layers.centres, 2);

  std::vector<const GEOSGeom_t*> wards, centres;
  for (const auto& g : layers.wards.geometries) wards.push_back(g.get());
  for (const auto& g : layers.centres.geometries) centres.push_back(g.get());
  GEOSContextHandle_t ctx = geo::thread_context();
  std::size_t in_ward = 0, in_centre = 0;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const geo::Point p = table.point(i);
    ASSERT_EQ(table.ward[i], geo::locate_brute_force(wards, p)) << i;
    ASSERT_EQ(table.town_centre[i], geo::locate_brute_force(centres, p)) << i;
    // Distance: the minimum over every centre polygon.
    geo::Geometry point = geo::make_point(p);
    double best = INFINITY;
    for (auto* c : centres) {
      double d = 0;
      ASSERT_EQ(GEOSDistance_r(ctx, c, point.get(), &d), 1);
      best = std::min(best, d);
    }
    if (table.town_centre[i] != kNoArea) best = 0;
    ASSERT_NEAR(table.town_centre_distance[i], best, 1e-3 + best * 1e-6) << i;
    in_ward += table.ward[i] != kNoArea;
    in_centre += table.town_centre[i] != kNoArea;
  }
  // The sample exercises both outcomes of each join.
  EXPECT_GT(in_ward, 1000u);
  EXPECT_LT(in_ward, table.size());
  EXPECT_GT(in_centre, 100u);
}

TEST(Synthetic, RegeneratingReproducesTheBundledFile) {
  Layers layers = load_layers();
  SyntheticOptions options = synthetic_options_from_layers(layers.wards, layers.centres);
  auto incidents = generate_incidents(options);
  ASSERT_TRUE(incidents) << incidents.error().message;
  const std::string bundled = read_text(source_path("geodata/incidents-synthetic.csv"));
  ASSERT_FALSE(bundled.empty());
  EXPECT_TRUE(synthetic_csv(*incidents) == bundled)
      << "regenerate geodata/incidents-synthetic.csv (see docs/data.md)";
}

TEST(Synthetic, NightClustersAndLabels) {
  Layers layers = load_layers();
  SyntheticOptions options = synthetic_options_from_layers(layers.wards, layers.centres);
  options.count = 4000;
  auto a = generate_incidents(options);
  auto b = generate_incidents(options);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(synthetic_csv(*a), synthetic_csv(*b));
  options.seed += 1;
  EXPECT_NE(synthetic_csv(*generate_incidents(options)), synthetic_csv(*a));

  // Friday/Saturday 20:00-04:00 (the night belongs to its evening) holds far
  // more than its 8/7/24 share of a week's hours.
  std::size_t night = 0, violence_near_centre = 0;
  for (const auto& incident : *a) {
    const LondonTime t = to_london(incident.utc_seconds);
    const int minute = t.minute_of_day;
    const int weekday = weekday_from_days(t.local_day - (minute < 4 * 60 ? 1 : 0));
    if ((weekday == 4 || weekday == 5) && (minute >= 20 * 60 || minute < 4 * 60)) ++night;
    if (incident.category == Category::violence && layers.centres.index->nearest({incident.x, incident.y}).first < 500)
      ++violence_near_centre;
  }
  EXPECT_GT(night, a->size() * 35 / 100);
  EXPECT_GT(violence_near_centre, a->size() / 10);

  // Written and read back: every row accepted, labelled synthetic, same instants.
  TempFiles files;
  const std::string path = files.path("synthetic.csv");
  auto written = write_synthetic_csv(options, path);
  ASSERT_TRUE(written);
  IncidentTableBuilder builder;
  FileReport report;
  builder.begin_source(0, "", &report);
  IncidentSourceOptions source;
  source.path = path;
  ASSERT_TRUE(read_incidents(source, builder, report));
  auto table = builder.finish({});
  EXPECT_TRUE(report.synthetic);
  EXPECT_EQ(table->size(), options.count);
  auto again = generate_incidents(options);
  for (std::size_t i = 0; i < table->size(); ++i) ASSERT_EQ(table->instant[i], (*again)[i].utc_seconds);
}

TEST(LoadSnapshot, BrokenFileLeavesTheGoodOneServed) {
  TempFiles files;
  LoadOptions options;
  options.wards.path = source_path(kWards);
  options.town_centres.path = source_path(kCentres);
  options.town_centres.kind = "town-centres";
  IncidentSourceOptions broken, good;
  broken.path = files.write("broken.csv", std::string("\x89PNG\r\n\x1a\n\0\0garbage", 18));
  good.path = files.write("good.csv",
                          "id,lon,lat,category,occurred_at\n"
                          "1,-1.5757,54.7768,Violence and sexual offences,2024-03-15T22:41:07Z\n"
                          "2,-1.5737,54.8563,Public order,2024-03-16T23:00:00Z\n"
                          "3,-3.0,51.5,Public order,2024-03-16T23:00:00Z\n");  // Wales: outside
  options.incidents = {broken, good};
  auto snapshot = load_snapshot(options);
  ASSERT_TRUE(snapshot && snapshot->wards && snapshot->town_centres && snapshot->incidents);
  EXPECT_EQ(snapshot->incidents->size(), 2u);
  ASSERT_EQ(snapshot->report.files.size(), 4u);
  const FileReport& broken_report = snapshot->report.files[2];
  EXPECT_FALSE(broken_report.loaded);
  EXPECT_FALSE(broken_report.error.empty());
  const FileReport& good_report = snapshot->report.files[3];
  EXPECT_TRUE(good_report.loaded);
  EXPECT_EQ(good_report.rows_accepted, 2u);
  EXPECT_EQ(good_report.issues.at(RowIssue::outside_study_area), 1u);
  // Sources: wards, town centres, the good file; rows point at the latter.
  ASSERT_EQ(snapshot->sources.size(), 3u);
  EXPECT_EQ(snapshot->sources[2].path, good.path);
  EXPECT_EQ(snapshot->incidents->source[0], 2);
  EXPECT_NE(snapshot->incidents->ward[0], kNoArea);
  EXPECT_NE(snapshot->incidents->town_centre[0], kNoArea);  // Durham market place
  EXPECT_EQ(snapshot->incidents->town_centre_distance[0], 0.0f);
  EXPECT_FALSE(snapshot->version.empty());
  EXPECT_TRUE(snapshot->report.timings.count("total"));

  // A changed input changes the version; the same inputs keep it.
  EXPECT_EQ(load_snapshot(options)->version, snapshot->version);
  files.write("good.csv", read_text(good.path) + "4,-1.5757,54.7768,asb,2024-03-15\n");
  EXPECT_NE(load_snapshot(options)->version, snapshot->version);
}

// The version follows content, not path + size + mtime: a same-size file
// with the old timestamp (what `cp -p` leaves) is a new version, and so are
// load options that change the answers.
TEST(LoadSnapshot, VersionFollowsContentAndOptions) {
  TempFiles files;
  LoadOptions options;
  options.wards.path = source_path(kWards);
  IncidentSourceOptions incidents;
  incidents.path = files.write("i.csv",
                               "id,lon,lat,category,occurred_at\n"
                               "1,-1.5757,54.7768,Public order,2024-03-15T22:41:07Z\n");
  options.incidents = {incidents};
  const auto first = load_snapshot(options);
  const auto mtime = std::filesystem::last_write_time(incidents.path);
  files.write("i.csv",
              "id,lon,lat,category,occurred_at\n"
              "1,-1.5757,54.7768,Public order,2024-03-16T22:41:07Z\n");
  std::filesystem::last_write_time(incidents.path, mtime);
  const auto same_size = load_snapshot(options);
  EXPECT_NE(same_size->version, first->version);
  EXPECT_NE(same_size->report.files.back().content_hash, 0u);

  for (auto change : {+[](LoadOptions& o) { o.study_area_buffer = 100; },
                      +[](LoadOptions& o) { o.incidents[0].crs = "EPSG:4326"; },
                      +[](LoadOptions& o) { o.incidents[0].time_column = "occurred_at"; },
                      +[](LoadOptions& o) { o.wards.id_field = "WD13CD"; }}) {
    LoadOptions changed = options;
    change(changed);
    EXPECT_NE(load_snapshot(changed)->version, same_size->version);
  }
  options.threads = 1;  // how fast, not what
  EXPECT_EQ(load_snapshot(options)->version, same_size->version);
}

TEST(LoadSnapshot, BundledSyntheticFileIsLabelled) {
  LoadOptions options;
  options.wards.path = source_path(kWards);
  options.town_centres.path = source_path(kCentres);
  IncidentSourceOptions synthetic;
  synthetic.path = source_path("geodata/incidents-synthetic.csv");
  options.incidents = {synthetic};
  auto snapshot = load_snapshot(options);
  ASSERT_EQ(snapshot->sources.size(), 3u);
  EXPECT_TRUE(snapshot->sources[2].synthetic);
  EXPECT_FALSE(snapshot->sources[2].licence.empty());
  EXPECT_EQ(snapshot->incidents->size(), 20000u);
  EXPECT_LE(snapshot->incidents->bytes_per_row(), 64.0);
}

// Each boundary layer carries the attribution that fits it: the ONS wards
// the OGL text their README requires, our town centres the illustrative note,
// and a licence named on the command line wins over both.
TEST(LoadSnapshot, BoundaryAttributionFitsEachLayer) {
  LoadOptions options;
  options.wards.path = source_path(kWards);
  options.town_centres.path = source_path(kCentres);
  auto snapshot = load_snapshot(options);
  ASSERT_EQ(snapshot->sources.size(), 2u);
  EXPECT_NE(snapshot->sources[0].licence.find("Open Government Licence v3.0"), std::string::npos);
  EXPECT_NE(snapshot->sources[0].licence.find("Martin Chorley"), std::string::npos);
  EXPECT_NE(snapshot->sources[1].licence.find("Illustrative"), std::string::npos);
  EXPECT_EQ(snapshot->sources[1].licence.find("Ordnance Survey"), std::string::npos);

  options.town_centres.licence = "Town centres (c) Durham County Council";
  EXPECT_EQ(load_snapshot(options)->sources[1].licence, options.town_centres.licence);
}

}  // namespace
}  // namespace hotspot::data
