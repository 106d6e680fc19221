// Populations travel in the snapshot: loaded with everything else, listed
// among its sources, and part of its version.

#include "hotspot/data/population.hpp"
#include "hotspot/data/snapshot.hpp"

#include "temp_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace hotspot::data {
namespace {

using testing::source_path;
using testing::TempFiles;

LoadOptions options_with(const std::string& population_path) {
  LoadOptions options;
  options.wards.path = source_path("geodata/wards-E06000047.json");
  options.populations = {PopulationSource{"wards", population_path}};
  return options;
}

TEST(Populations, SnapshotCarriesThemAndListsTheFile) {
  TempFiles files;
  const std::string path = files.write("pop.csv", "WD13CD,population\nE05009030,1200\n");
  const auto snapshot = load_snapshot(options_with(path));
  ASSERT_TRUE(snapshot->populations);
  ASSERT_TRUE(snapshot->populations->wards && snapshot->populations->wards->table);
  EXPECT_EQ(snapshot->populations->wards->table->by_id.at("E05009030"), 1200.0);
  EXPECT_FALSE(snapshot->populations->town_centres);
  ASSERT_EQ(snapshot->sources.size(), 2u);
  EXPECT_EQ(snapshot->sources[1].path, path);
  EXPECT_EQ(snapshot->sources[1].kind, "population-wards");
  EXPECT_EQ(snapshot->report.files.back().kind, "population-wards");
  EXPECT_TRUE(snapshot->report.files.back().loaded);
  EXPECT_EQ(snapshot->report.files.back().rows_accepted, 1u);

  // Without --population the table is there, empty; never null.
  const auto plain = load_snapshot(LoadOptions{});
  ASSERT_TRUE(plain->populations);
  EXPECT_FALSE(plain->populations->wards || plain->populations->town_centres);
}

// The version is the response cache's key: new numbers in the population
// file must change it, even when the file keeps its size and timestamp.
TEST(Populations, VersionChangesWhenOnlyThePopulationFileChanges) {
  TempFiles files;
  const std::string path = files.write("pop.csv", "WD13CD,population\nE05009030,1200\n");
  const LoadOptions options = options_with(path);
  const auto first = load_snapshot(options);
  EXPECT_EQ(load_snapshot(options)->version, first->version);

  const auto stamp = std::filesystem::last_write_time(path);
  files.write("pop.csv", "WD13CD,population\nE05009030,2400\n");
  std::filesystem::last_write_time(path, stamp);
  const auto second = load_snapshot(options);
  EXPECT_EQ(second->populations->wards->table->by_id.at("E05009030"), 2400.0);
  EXPECT_NE(second->version, first->version);
}

TEST(Populations, BadFileIsReportedAndTheRestLoads) {
  TempFiles files;
  const std::string path = files.write("bad.csv", "code,population\nE05000001,many\n");
  const auto snapshot = load_snapshot(options_with(path));
  ASSERT_TRUE(snapshot->populations->wards);
  EXPECT_FALSE(snapshot->populations->wards->table);
  EXPECT_NE(snapshot->populations->wards->error.find("line 2"), std::string::npos);
  EXPECT_FALSE(snapshot->report.files.back().loaded);
  EXPECT_EQ(snapshot->report.files.back().error, snapshot->populations->wards->error);
  EXPECT_EQ(snapshot->wards->size(), 63u);
}

TEST(Populations, ParsesTheSourceOption) {
  EXPECT_FALSE(parse_population_source("lsoa:x.csv"));
  EXPECT_FALSE(parse_population_source("wards:"));
  EXPECT_EQ(parse_population_source("town-centres:a:b.csv")->path, "a:b.csv");
  EXPECT_EQ(parse_population_source("wards:p.csv")->layer, "wards");
}

}  // namespace
}  // namespace hotspot::data
