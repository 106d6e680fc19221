#include "hotspot/data/incident_readers.hpp"
#include "hotspot/geo/crs.hpp"

#include "load_incidents.hpp"
#include "temp_files.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace hotspot::data {
namespace {

using testing::TempFiles;

using testing::count;
using testing::load;
using testing::Loaded;

Loaded load_path(const std::string& path) {
  IncidentSourceOptions options;
  options.path = path;
  return load(options);
}

bool has_example(const FileReport& r, RowIssue issue, std::size_t line) {
  for (const auto& e : r.examples)
    if (e.issue == issue && e.line == line) return true;
  return false;
}

const char* kPoliceHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n";

TEST(PoliceUkCsv, EveryRowAccountedFor) {
  TempFiles files;
  std::string text = std::string("\xEF\xBB\xBF") + kPoliceHeader +
      "abc123,2024-03,Durham Constabulary,Durham Constabulary,-1.575700,54.776800,On or near X,E01,Durham 001A,Violence and sexual offences,Under investigation,\n"  // 2
      ",2024-03,Durham Constabulary,Durham Constabulary,-1.5737,54.8563,\"On or near Front Street, Chester\",E01,N,Anti-social behaviour,,\n"                        // 3
      ",2024-03,Durham Constabulary,Durham Constabulary,,,No location,,,Anti-social behaviour,,\n"                                                              // 4
      "d1,2024-07,Durham Constabulary,Durham Constabulary,-1.6775,54.6642,X,E01,N,Drugs,,\n"                                                                    // 5
      "d2,2024-07,Durham Constabulary,Durham Constabulary,-1.6775,54.6642,X,E01,N,Littering,,\n"                                                                // 6
      "d3,2024-13,Durham Constabulary,Durham Constabulary,-1.6775,54.6642,X,E01,N,Drugs,,\n"                                                                    // 7
      "d4,2024-07,Durham Constabulary,Durham Constabulary,abc,54.6642,X,E01,N,Drugs,,\n"                                                                        // 8
      "d5,2024-07,Durham Constabulary\r\n"                                                                                                                    // 9
      "\r\n";
  auto loaded = load_path(files.write("street.csv", text));
  ASSERT_TRUE(loaded.ok) << loaded.error;
  const FileReport& r = loaded.report;
  EXPECT_EQ(r.format, "police-uk");
  EXPECT_EQ(r.rows_read, 8u);
  EXPECT_EQ(r.rows_accepted, 4u);
  EXPECT_EQ(r.rows_rejected, 4u);
  EXPECT_EQ(count(r, RowIssue::missing_coordinates), 1u);
  EXPECT_TRUE(has_example(r, RowIssue::missing_coordinates, 4));
  EXPECT_TRUE(has_example(r, RowIssue::unknown_category, 6));
  EXPECT_TRUE(has_example(r, RowIssue::bad_time, 7));
  EXPECT_TRUE(has_example(r, RowIssue::bad_coordinates, 8));
  EXPECT_TRUE(has_example(r, RowIssue::malformed_row, 9));
  EXPECT_EQ(count(r, RowIssue::unknown_category), 1u);

  const IncidentTable& t = *loaded.table;
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t.source_id(0), "abc123");
  EXPECT_EQ(t.source_id(1), "3");  // no Crime ID: the line number
  EXPECT_EQ(t.category[0], Category::violence);
  EXPECT_EQ(t.category[1], Category::asb);
  EXPECT_EQ(t.category[2], Category::other);
  EXPECT_EQ(t.category[3], Category::other);
  EXPECT_EQ(t.category_labels[t.category_label[2]], "Drugs");
  EXPECT_EQ(t.category_labels[t.category_label[3]], "Littering");
  EXPECT_EQ(t.precision[0], TimePrecision::month);
  EXPECT_EQ(t.instant[0], std::int64_t{days_from_civil(2024, 3, 1)} * 86400);
  EXPECT_EQ(t.instant[2], std::int64_t{days_from_civil(2024, 7, 1)} * 86400 - 3600);
  EXPECT_EQ(t.local_day[2], days_from_civil(2024, 7, 1));
  EXPECT_EQ(t.local_minute[2], 0);

  auto reference = geo::Transformer::create(geo::kWgs84, geo::kWorkingCrs);
  ASSERT_TRUE(reference);
  const geo::Point p = reference->transform(geo::Point{-1.5757, 54.7768});
  EXPECT_NEAR(t.x[0], p.x, 1e-6);
  EXPECT_NEAR(t.y[0], p.y, 1e-6);
  EXPECT_NEAR(t.x[0], 427500, 1000);  // Durham is near NZ 275 425
}

TEST(GenericCsv, GridColumnsQuotedLabelsAndSynthetic) {
  TempFiles files;
  auto loaded = load_path(files.write("incidents.csv",
      "ID,Easting,Northing,Category,Occurred_At,synthetic\r\n"
      "a,427500.5,542500.25,\"violence\",2024-06-01T23:10:00+01:00,true\r\n"
      "b,427600,542600,\"Criminal damage and arson\",2024-06-01 23:10,true\r\n"
      "c,427600,542600,public_order,2024-06-01,true\r\n"
      "d,,542600,asb,2024-06-01,true\r\n"));
  ASSERT_TRUE(loaded.ok) << loaded.error;
  EXPECT_EQ(loaded.report.format, "csv");
  EXPECT_TRUE(loaded.report.synthetic);
  EXPECT_EQ(loaded.report.rows_accepted, 3u);
  EXPECT_EQ(count(loaded.report, RowIssue::missing_coordinates), 1u);
  const IncidentTable& t = *loaded.table;
  ASSERT_EQ(t.size(), 3u);
  EXPECT_DOUBLE_EQ(t.x[0], 427500.5);  // no projection for grid columns
  EXPECT_DOUBLE_EQ(t.y[0], 542500.25);
  EXPECT_EQ(t.instant[0], t.instant[1]);  // same wall-clock time, with and without offset
  EXPECT_EQ(t.local_minute[0], 23 * 60 + 10);
  EXPECT_EQ(t.local_weekday(0), 5);  // Saturday
  EXPECT_EQ(t.precision[2], TimePrecision::day);
  EXPECT_EQ(t.category[2], Category::public_order);
}

TEST(GenericCsv, NamedColumnsAndCrs) {
  TempFiles files;
  IncidentSourceOptions options;
  options.path = files.write("odd.csv", "ref,E,N,what,when\n1,427500,542500,asb,2024-01-05 10:00\n");
  options.x_column = "E";
  options.y_column = "N";
  options.category_column = "what";
  options.time_column = "when";
  options.crs = "EPSG:27700";
  auto loaded = load(options);
  ASSERT_TRUE(loaded.ok) << loaded.error;
  ASSERT_EQ(loaded.table->size(), 1u);
  EXPECT_DOUBLE_EQ(loaded.table->x[0], 427500);
  EXPECT_EQ(loaded.table->source_id(0), "1");
  EXPECT_FALSE(loaded.report.synthetic);

  options.x_column = "nope";
  auto missing = load(options);
  EXPECT_FALSE(missing.ok);
  EXPECT_NE(missing.error.find("nope"), std::string::npos);
  EXPECT_FALSE(missing.report.loaded);
  EXPECT_EQ(missing.table->size(), 0u);
}

TEST(GenericCsv, LonLatAutoDetectedAndProjected) {
  TempFiles files;
  auto loaded = load_path(files.write("ll.csv", "lat,lon,type,date\n54.7768,-1.5757,Burglary,2024-02-03\n"));
  ASSERT_TRUE(loaded.ok) << loaded.error;
  ASSERT_EQ(loaded.table->size(), 1u);
  auto reference = geo::Transformer::create(geo::kWgs84, geo::kWorkingCrs);
  const geo::Point p = reference->transform(geo::Point{-1.5757, 54.7768});
  EXPECT_NEAR(loaded.table->x[0], p.x, 1e-3);
  EXPECT_NEAR(loaded.table->y[0], p.y, 1e-3);
}

TEST(Readers, OutsideStudyAreaIsRejectedWithItsLine) {
  TempFiles files;
  IncidentSourceOptions options;
  options.path = files.write("grid.csv",
                             "id,easting,northing,category,occurred_at\n"
                             "1,427500,542500,asb,2024-01-05 10:00\n"
                             "2,100,100,asb,2024-01-05 10:00\n");
  geo::Box area;
  area.expand(geo::Point{400000, 500000});
  area.expand(geo::Point{460000, 580000});
  auto loaded = load(options, area);
  ASSERT_TRUE(loaded.ok);
  EXPECT_EQ(loaded.table->size(), 1u);
  EXPECT_EQ(loaded.report.rows_accepted, 1u);
  EXPECT_EQ(loaded.report.rows_rejected, 1u);
  EXPECT_TRUE(has_example(loaded.report, RowIssue::outside_study_area, 3));
}

TEST(GeoJson, PointsAndBrokenFeatures) {
  TempFiles files;
  auto loaded = load_path(files.write("incidents.geojson", R"({"type":"FeatureCollection","features":[
    {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[-1.5757,54.7768]},
     "properties":{"category":"Violence and sexual offences","occurred_at":"2024-03-15T22:41:07Z","synthetic":true}},
    {"type":"Feature","geometry":{"type":"Point","coordinates":[-1.5757,54.7768]},
     "properties":{"id":"p2","Crime type":"Anti-social behaviour","Month":"2024-03"}},
    {"type":"Feature","geometry":null,"properties":{"category":"asb","occurred_at":"2024-03-15"}},
    {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},"properties":{}},
    {"type":"Feature","geometry":{"type":"Point","coordinates":["a",1]},"properties":{}},
    {"type":"Feature","geometry":{"type":"Point","coordinates":[-1.5,54.7]},"properties":{"occurred_at":"yesterday"}},
    {"type":"Feature","geometry":{"type":"Point","coordinates":[-1.5,54.7]},"properties":{"occurred_at":"2024-01-01"}},
    42
  ]})"));
  ASSERT_TRUE(loaded.ok) << loaded.error;
  const FileReport& r = loaded.report;
  EXPECT_EQ(r.format, "geojson");
  EXPECT_EQ(r.rows_read, 8u);
  EXPECT_EQ(r.rows_accepted, 3u);
  EXPECT_TRUE(r.synthetic);
  EXPECT_TRUE(has_example(r, RowIssue::missing_coordinates, 3));
  EXPECT_TRUE(has_example(r, RowIssue::malformed_row, 4));
  EXPECT_TRUE(has_example(r, RowIssue::bad_coordinates, 5));
  EXPECT_TRUE(has_example(r, RowIssue::bad_time, 6));
  EXPECT_TRUE(has_example(r, RowIssue::unknown_category, 7));  // no category: other, warned
  EXPECT_TRUE(has_example(r, RowIssue::malformed_row, 8));
  const IncidentTable& t = *loaded.table;
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.source_id(0), "7");
  EXPECT_EQ(t.source_id(1), "p2");
  EXPECT_EQ(t.category[1], Category::asb);
  EXPECT_EQ(t.precision[1], TimePrecision::month);
  EXPECT_EQ(t.category[2], Category::other);
}

TEST(Readers, BrokenFilesNeverCrash) {
  TempFiles files;
  std::string binary;
  for (int i = 0; i < 5000; ++i) binary += static_cast<char>((i * 7919) % 256);
  std::string full = "id,easting,northing,category,occurred_at\n";
  for (int i = 0; i < 50; ++i) full += std::to_string(i) + ",427500,542500,\"asb\",2024-01-05 10:00\n";

  auto empty = load_path(files.write("empty.csv", ""));
  EXPECT_FALSE(empty.ok);
  EXPECT_FALSE(empty.report.error.empty());

  auto header_only = load_path(files.write("header.csv", "id,easting,northing,category,occurred_at\n"));
  EXPECT_TRUE(header_only.ok);
  EXPECT_EQ(header_only.table->size(), 0u);
  EXPECT_FALSE(header_only.report.notes.empty());

  EXPECT_FALSE(load_path(files.write("binary.csv", binary)).ok);
  EXPECT_FALSE(load_path(files.write("binary.geojson", binary)).ok);
  EXPECT_FALSE(load_path(files.path("does-not-exist.csv")).ok);
  EXPECT_FALSE(load_path(files.write("x.json", "[1,2,3]")).ok);
  EXPECT_FALSE(load_path(files.write("y.json", "{\"type\":\"FeatureCollection\",\"features\":[")).ok);
  EXPECT_FALSE(load_path(std::string(HOTSPOT_SOURCE_DIR)).ok);  // a directory

  // Every truncation of a valid file loads without crashing, and every row
  // read is either accepted or rejected.
  for (std::size_t cut = 0; cut < full.size(); cut += 7) {
    auto part = load_path(files.write("cut.csv", full.substr(0, cut)));
    if (!part.ok) continue;
    EXPECT_EQ(part.report.rows_read, part.report.rows_accepted + part.report.rows_rejected) << cut;
    EXPECT_EQ(part.table->size(), part.report.rows_accepted) << cut;
  }
  // A quote opened and never closed.
  auto open_quote = load_path(files.write("quote.csv", full + "99,\"427500,542500,asb,2024-01-05\n"));
  ASSERT_TRUE(open_quote.ok);
  EXPECT_EQ(count(open_quote.report, RowIssue::malformed_row), 1u);
  EXPECT_EQ(open_quote.table->size(), 50u);
}

TEST(Readers, FormatDetection) {
  EXPECT_EQ(detect_incident_format("a.geojson", ""), IncidentFormat::geojson);
  EXPECT_EQ(detect_incident_format("a.JSON", ""), IncidentFormat::geojson);
  EXPECT_EQ(detect_incident_format("a.txt", "  {\"type\""), IncidentFormat::geojson);
  EXPECT_EQ(detect_incident_format("a.csv", kPoliceHeader), IncidentFormat::police_uk_csv);
  EXPECT_EQ(detect_incident_format("a.csv", "id,lon,lat\n"), IncidentFormat::csv);
}

// The two-thread parse must give exactly what one thread gives, line numbers
// of the rejected rows included.
TEST(Readers, ParallelParseMatchesSingleThread) {
  TempFiles files;
  std::string text = "id,easting,northing,category,occurred_at\n";
  for (int i = 0; i < 80000; ++i) {
    const int bad = i % 9973;
    text += std::to_string(i) + "," + (bad == 5 ? "x" : std::to_string(400000 + i % 50000)) + "," +
            std::to_string(520000 + (i * 37) % 40000) + ",Violence and sexual offences," +
            (bad == 9 ? "2024-02-30" : "2024-05-0" + std::to_string(1 + i % 9) + "T21:0" +
                                           std::to_string(i % 10) + ":00+01:00") +
            "\n";
  }
  ASSERT_GT(text.size(), std::size_t{4} << 20);
  IncidentSourceOptions options;
  options.path = files.write("big.csv", text);
  options.threads = 1;
  auto one = load(options);
  options.threads = 2;
  auto two = load(options);
  ASSERT_TRUE(one.ok && two.ok);
  EXPECT_EQ(one.table->size(), 80000u - 2 * 9);
  EXPECT_EQ(one.table->x, two.table->x);
  EXPECT_EQ(one.table->instant, two.table->instant);
  EXPECT_EQ(one.table->id_chars, two.table->id_chars);
  ASSERT_EQ(one.report.examples.size(), two.report.examples.size());
  for (std::size_t i = 0; i < one.report.examples.size(); ++i) {
    EXPECT_EQ(one.report.examples[i].line, two.report.examples[i].line);
    EXPECT_EQ(one.report.examples[i].issue, two.report.examples[i].issue);
  }
  EXPECT_TRUE(has_example(two.report, RowIssue::bad_coordinates, 2 + 9973 + 5));
  EXPECT_LE(one.table->bytes_per_row(), 64.0);
}

}  // namespace
}  // namespace hotspot::data
