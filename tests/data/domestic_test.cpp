// The optional domestic flag: detected in CSV and GeoJSON incident files,
// named with ?domestic=COL, stored as IncidentTable::domestic; a value that
// is not true/false, 1/0, yes/no or Y/N rejects the row as bad_domestic.

#include "hotspot/data/incident_readers.hpp"
#include "hotspot/data/source_arguments.hpp"

#include "load_incidents.hpp"
#include "temp_files.hpp"

#include <gtest/gtest.h>

namespace hotspot::data {
namespace {

using testing::TempFiles;

using testing::count;
using testing::load;
using testing::Loaded;

// Row ids of the table whose domestic flag is set, in order.
std::vector<std::string> flagged(const IncidentTable& t) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t.domestic[i]) ids.emplace_back(t.source_id(i));
  }
  return ids;
}

TEST(Domestic, CsvColumnDetectedEverySpellingAndBadValuesRejected) {
  TempFiles files;
  IncidentSourceOptions options;
  options.path = files.write("d.csv",
                             "id,easting,northing,category,occurred_at,Domestic\n"
                             "t1,427000,542000,violence,2024-06-01T22:00:00Z,true\n"
                             "t2,427000,542000,violence,2024-06-01T22:00:00Z,1\n"
                             "t3,427000,542000,violence,2024-06-01T22:00:00Z,Yes\n"
                             "t4,427000,542000,violence,2024-06-01T22:00:00Z,Y\n"
                             "f1,427000,542000,violence,2024-06-01T22:00:00Z,false\n"
                             "f2,427000,542000,violence,2024-06-01T22:00:00Z,0\n"
                             "f3,427000,542000,violence,2024-06-01T22:00:00Z,no\n"
                             "f4,427000,542000,violence,2024-06-01T22:00:00Z, n \n"
                             "b1,427000,542000,violence,2024-06-01T22:00:00Z,maybe\n"
                             "b2,427000,542000,violence,2024-06-01T22:00:00Z,\n");
  const Loaded got = load(options);
  ASSERT_TRUE(got.ok) << got.error;
  EXPECT_EQ(got.report.rows_read, 10u);
  EXPECT_EQ(got.report.rows_accepted, 8u);
  EXPECT_EQ(got.report.rows_rejected, 2u);
  EXPECT_EQ(count(got.report, RowIssue::bad_domestic), 2u);
  ASSERT_EQ(got.table->domestic.size(), got.table->size());
  EXPECT_EQ(flagged(*got.table), (std::vector<std::string>{"t1", "t2", "t3", "t4"}));
  EXPECT_STREQ(row_issue_name(RowIssue::bad_domestic), "bad_domestic");
}

TEST(Domestic, NoColumnMeansNothingFlagged) {
  TempFiles files;
  IncidentSourceOptions options;
  options.path = files.write("n.csv",
                             "id,easting,northing,category,occurred_at\n"
                             "a,427000,542000,violence,2024-06-01T22:00:00Z\n");
  const Loaded got = load(options);
  ASSERT_TRUE(got.ok) << got.error;
  ASSERT_EQ(got.table->domestic.size(), 1u);
  EXPECT_EQ(got.table->domestic[0], 0);
}

TEST(Domestic, NamedColumnOverridesAndMustExist) {
  TempFiles files;
  auto source = parse_incident_source(
      files.write("o.csv", "id,easting,northing,category,occurred_at,dv_flag\n"
                           "a,427000,542000,violence,2024-06-01T22:00:00Z,N\n"
                           "b,427000,542000,violence,2024-06-01T22:00:00Z,Y\n") +
      "?domestic=dv_flag");
  ASSERT_TRUE(source) << source.error().message;
  EXPECT_EQ(source->domestic_column, "dv_flag");
  const Loaded got = load(*source);
  ASSERT_TRUE(got.ok) << got.error;
  EXPECT_EQ(flagged(*got.table), std::vector<std::string>{"b"});

  auto missing = parse_incident_source(files.path("o.csv") + "?domestic=nope");
  ASSERT_TRUE(missing);
  const Loaded refused = load(*missing);
  EXPECT_FALSE(refused.ok);
  EXPECT_NE(refused.error.find("nope"), std::string::npos) << refused.error;
}

TEST(Domestic, GeoJsonPropertyBooleansNumbersAndText) {
  TempFiles files;
  IncidentSourceOptions options;
  const auto feature = [](const char* id, const char* domestic) {
    std::string props = std::string(R"({"category":"violence","occurred_at":"2024-06-01T22:00:00Z")") +
                        (domestic ? std::string(R"(,"domestic":)") + domestic : "") + "}";
    return std::string(R"({"type":"Feature","id":")") + id +
           R"(","geometry":{"type":"Point","coordinates":[-1.5757,54.7768]},"properties":)" +
           props + "}";
  };
  options.path = files.write(
      "d.geojson", std::string(R"({"type":"FeatureCollection","features":[)") +
                       feature("t1", "true") + "," + feature("t2", "1") + "," +
                       feature("t3", "\"yes\"") + "," + feature("f1", "false") + "," +
                       feature("f2", nullptr) + "," + feature("b1", "\"unknown\"") + "," +
                       feature("b2", "null") + "]}");
  const Loaded got = load(options);
  ASSERT_TRUE(got.ok) << got.error;
  EXPECT_EQ(got.report.rows_accepted, 5u);
  EXPECT_EQ(count(got.report, RowIssue::bad_domestic), 2u);
  EXPECT_EQ(flagged(*got.table), (std::vector<std::string>{"t1", "t2", "t3"}));
}

}  // namespace
}  // namespace hotspot::data
