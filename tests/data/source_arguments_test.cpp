// Command-line spelling of data sources: [FORMAT:]FILE[?key=value&...].
#include "hotspot/data/source_arguments.hpp"

#include <gtest/gtest.h>

namespace hotspot::data {
namespace {

TEST(IncidentSource, FormatPrefixAndColumnOptions) {
  auto source = parse_incident_source("csv:/data/x.csv?x=E&y=N&crs=EPSG:27700&time=when&id=ref");
  ASSERT_TRUE(source) << source.error().message;
  EXPECT_EQ(source->format, data::IncidentFormat::csv);
  EXPECT_EQ(source->path, "/data/x.csv");
  EXPECT_EQ(source->x_column, "E");
  EXPECT_EQ(source->y_column, "N");
  EXPECT_EQ(source->crs, "EPSG:27700");
  EXPECT_EQ(source->time_column, "when");
  EXPECT_EQ(source->id_column, "ref");
  EXPECT_TRUE(source->category_column.empty());

  auto plain = parse_incident_source("street.csv");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->format, data::IncidentFormat::detect);
  EXPECT_EQ(plain->path, "street.csv");
  EXPECT_EQ(parse_incident_source("police-uk:a.csv")->format, data::IncidentFormat::police_uk_csv);
}

TEST(IncidentSource, RejectsWhatItCannotUse) {
  for (const char* bad : {"", "csv:", "?x=1", "a.csv?x", "a.csv?=1", "a.csv?x=", "a.csv?colour=red"}) {
    auto source = parse_incident_source(bad);
    ASSERT_FALSE(source) << bad;
    EXPECT_NE(source.error().message.find("--incidents"), std::string::npos) << bad;
  }
  EXPECT_NE(parse_incident_source("a.csv?colour=red").error().message.find("colour"),
            std::string::npos);
}

TEST(BoundarySource, FieldOptions) {
  auto wards = parse_boundary_source("w.gpkg?id=WD22CD&name=WD22NM&layer=wards&crs=EPSG:27700",
                                     "wards");
  ASSERT_TRUE(wards) << wards.error().message;
  EXPECT_EQ(wards->kind, "wards");
  EXPECT_EQ(wards->path, "w.gpkg");
  EXPECT_EQ(wards->id_field, "WD22CD");
  EXPECT_EQ(wards->name_field, "WD22NM");
  EXPECT_EQ(wards->layer_name, "wards");
  EXPECT_EQ(wards->source_crs, "EPSG:27700");
  EXPECT_EQ(parse_boundary_source("c.shp?licence=Ours", "town-centres")->licence, "Ours");
  auto bad = parse_boundary_source("w.gpkg?x=1", "town-centres");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("--town-centres"), std::string::npos);
}

}  // namespace
}  // namespace hotspot::data
