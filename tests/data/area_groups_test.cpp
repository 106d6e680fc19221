// Wards assigned to area groups: hand-made squares whose answer is read off
// the picture, every case also against a brute-force assignment (every
// ward against every group, no envelope test); then the real County Durham
// wards against the real 2013 constituencies.
#include "hotspot/data/area_groups.hpp"

#include "hotspot/data/snapshot.hpp"
#include "hotspot/geo/geos.hpp"

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

namespace hotspot::data {
namespace {

// Metres east/north of (420000, 540000), EPSG:27700.
//
//  1000 +--------+--------------+-------------+   +----+
//       |  G1    |      G2      |      G3     |   | W4 |
//   800 | +------|---+ +----+ +-|--+          |   +----+   (W4 3200..3500 x 500..1000:
//       | |  W0  |   | | W1 | |W|2 |          |             outside every group)
//   400 | |      |   | |    | | |  |          +----+
//   200 | +------|---+ +----+ +-|--+          | W5 |       (W5 3000..3400 x 0..400:
//     0 +--------+--------------+-------------+----+        shares G3's edge x = 3000)
//       0       700 1000 1200 1600 1800 2000  3000 3400
//
//  G1 0..700, G2 700..2000, G3 2000..3000 (all y 0..1000)
//  W0  0..1000 x 200..800     : 70 % in G1, 30 % in G2  -> G1, share 0.7
//  W1  1200..1600 x 200..800  : all in G2               -> G2, share 1
//  W2  1800..2200 x 200..800  : half G2, half G3 (tie)  -> G2 (listed first), share 0.5
//  W4                         : no group
//  W5                         : an edge is no area      -> no group
constexpr double kX0 = 420000;
constexpr double kY0 = 540000;

BoundaryLayer squares(const std::string& kind, const std::vector<std::string>& ids,
                      const std::vector<std::array<double, 4>>& boxes) {
  BoundaryLayer layer;
  layer.kind = kind;
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const auto [x0, y0, x1, y1] = boxes[i];
    const geo::Ring ring{{kX0 + x0, kY0 + y0}, {kX0 + x1, kY0 + y0}, {kX0 + x1, kY0 + y1},
                         {kX0 + x0, kY0 + y1}, {kX0 + x0, kY0 + y0}};
    layer.ids.push_back(ids[i]);
    layer.names.push_back(kind + " " + ids[i]);
    layer.properties.emplace_back();
    layer.geometries.push_back(geo::make_multipolygon({{ring}}));
    layer.area_m2.push_back(geo::area(layer.geometries.back().get()));
    layer.envelopes.push_back(geo::envelope(layer.geometries.back().get()));
    layer.extent.expand(layer.envelopes.back());
  }
  return layer;
}

// The rule, computed the slow way: every group's overlap, the largest wins,
// the first on a tie; none when no overlap has any area.
std::vector<WardGroup> brute_force(const BoundaryLayer& wards, const BoundaryLayer& groups) {
  std::vector<WardGroup> out;
  for (std::size_t w = 0; w < wards.geometries.size(); ++w) {
    WardGroup best;
    double best_area = 0;
    for (std::size_t g = 0; g < groups.geometries.size(); ++g) {
      const double a =
          geo::intersection_area(wards.geometries[w].get(), groups.geometries[g].get()).value_or(-1);
      if (a > best_area) {
        best_area = a;
        best.group = static_cast<std::int32_t>(g);
      }
    }
    if (best.group != kNoArea) best.share = best_area / geo::area(wards.geometries[w].get());
    out.push_back(best);
  }
  return out;
}

const BoundaryLayer& picture_wards() {
  static const BoundaryLayer layer = squares("wards", {"W0", "W1", "W2", "W4", "W5"},
                                             {{0, 200, 1000, 800},
                                              {1200, 200, 1600, 800},
                                              {1800, 200, 2200, 800},
                                              {3200, 500, 3500, 1000},
                                              {3000, 0, 3400, 400}});
  return layer;
}

std::shared_ptr<const BoundaryLayer> picture_groups() {
  return std::make_shared<const BoundaryLayer>(squares(
      "groups", {"G1", "G2", "G3"},
      {{0, 0, 700, 1000}, {700, 0, 2000, 1000}, {2000, 0, 3000, 1000}}));
}

TEST(AreaGroups, PictureAssignment) {
  const AreaGroups groups = assign_wards(picture_wards(), picture_groups(), 2);
  ASSERT_EQ(groups.of_ward.size(), 5u);
  enum { G1, G2, G3 };
  EXPECT_EQ(groups.of_ward[0].group, G1);
  EXPECT_NEAR(groups.of_ward[0].share, 0.7, 1e-9);
  EXPECT_EQ(groups.of_ward[1].group, G2);
  EXPECT_NEAR(groups.of_ward[1].share, 1.0, 1e-9);
  EXPECT_EQ(groups.of_ward[2].group, G2) << "a tie goes to the group listed first";
  EXPECT_NEAR(groups.of_ward[2].share, 0.5, 1e-9);
  EXPECT_EQ(groups.of_ward[3].group, kNoArea);
  EXPECT_EQ(groups.of_ward[4].group, kNoArea) << "an edge in common is no area in common";
  EXPECT_EQ(groups.unassigned, (std::vector<std::int32_t>{3, 4}));
  EXPECT_EQ(groups.wards_of, (std::vector<std::vector<std::int32_t>>{{0}, {1, 2}, {}}));
  EXPECT_EQ(groups.failed_overlaps, 0u);
}

TEST(AreaGroups, PictureMatchesBruteForce) {
  const auto layer = picture_groups();
  const AreaGroups groups = assign_wards(picture_wards(), layer, 3);
  const std::vector<WardGroup> expected = brute_force(picture_wards(), *layer);
  ASSERT_EQ(groups.of_ward.size(), expected.size());
  for (std::size_t w = 0; w < expected.size(); ++w) {
    EXPECT_EQ(groups.of_ward[w].group, expected[w].group) << picture_wards().ids[w];
    EXPECT_NEAR(groups.of_ward[w].share, expected[w].share, 1e-12) << picture_wards().ids[w];
  }
}

TEST(AreaGroups, NoGroupLayerLeavesEveryWardUnassigned) {
  const AreaGroups groups = assign_wards(picture_wards(), nullptr);
  EXPECT_EQ(groups.layer->size(), 0u);
  EXPECT_EQ(groups.unassigned.size(), picture_wards().size());
}

TEST(AreaGroups, GroupOfRowsFollowsTheWard) {
  const AreaGroups groups = assign_wards(picture_wards(), picture_groups(), 1);
  const std::vector<std::int32_t> wards{0, 2, kNoArea, 3, 1, 99};
  EXPECT_EQ(groups.group_of_rows(wards),
            (std::vector<std::int32_t>{0, 1, kNoArea, kNoArea, 1, kNoArea}));
}

// ---- the real bundled layers ----------------------------------------------

BoundaryOptions bundled(const std::string& file, const std::string& kind) {
  BoundaryOptions o;
  o.path = std::string(HOTSPOT_SOURCE_DIR) + "/geodata/" + file;
  o.kind = kind;
  return o;
}

TEST(AreaGroups, CountyDurhamWardsInTheConstituencies) {
  FileReport wards_report, groups_report;
  auto wards = load_boundaries(bundled("wards-E06000047.json", "wards"), wards_report);
  auto layer = load_boundaries(bundled("wpc-E06000047.json", "groups"), groups_report);
  ASSERT_TRUE(wards && layer);
  ASSERT_EQ(wards->size(), 63u);
  ASSERT_EQ(layer->size(), 6u);
  auto shared = std::make_shared<const BoundaryLayer>(std::move(*layer));
  const AreaGroups groups = assign_wards(*wards, shared, 2);
  EXPECT_TRUE(groups.unassigned.empty()) << "every County Durham ward lies in the county's constituencies";
  const std::vector<WardGroup> expected = brute_force(*wards, *shared);
  std::size_t listed = 0;
  for (std::size_t w = 0; w < wards->size(); ++w) {
    const WardGroup& got = groups.of_ward[w];
    EXPECT_EQ(got.group, expected[w].group) << wards->ids[w];
    EXPECT_NEAR(got.share, expected[w].share, 1e-9) << wards->ids[w];
    EXPECT_GT(got.share, 0.0) << wards->ids[w];
    EXPECT_LE(got.share, 1.0) << wards->ids[w];
    // Most of the ward: more than any other group's part, so at least 1/6.
    EXPECT_GE(got.share, 1.0 / 6) << wards->ids[w];
  }
  for (const auto& list : groups.wards_of) {
    EXPECT_FALSE(list.empty());
    listed += list.size();
  }
  EXPECT_EQ(listed, wards->size());
}

// A snapshot loads the groups with everything else: assignment notes in the
// groups file's report, and the content in the version.
TEST(AreaGroups, SnapshotLoadsAndVersionsTheGroups) {
  const auto dir = std::filesystem::temp_directory_path() / ("area-groups-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto groups_path = dir / "groups.geojson";
  std::filesystem::copy_file(std::string(HOTSPOT_SOURCE_DIR) + "/geodata/wpc-E06000047.json", groups_path,
                             std::filesystem::copy_options::overwrite_existing);
  LoadOptions load;
  load.wards = bundled("wards-E06000047.json", "wards");
  load.groups.path = groups_path.string();
  load.groups.kind = "groups";
  load.threads = 1;
  const auto first = load_snapshot(load);
  ASSERT_EQ(first->groups->layer->size(), 6u);
  EXPECT_EQ(first->groups->of_ward.size(), 63u);
  const FileReport* report = nullptr;
  for (const auto& f : first->report.files) {
    if (f.kind == "groups") report = &f;
  }
  ASSERT_NE(report, nullptr);
  EXPECT_TRUE(report->loaded);
  ASSERT_FALSE(report->notes.empty());
  EXPECT_NE(report->notes.front().find("63 of 63 wards assigned to 6 groups"), std::string::npos)
      << report->notes.front();

  // The same file with one constituency removed: a new version, and the
  // wards that were in it are named in the report as in no group.
  {
    std::ifstream in(groups_path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto easington = text.find(R"({ "type": "Feature", "properties": { "PCON13CD": "E14000677")");
    const auto next = text.find(R"({ "type": "Feature")", easington + 1);
    ASSERT_NE(easington, std::string::npos) << "the fixture's layout changed";
    ASSERT_NE(next, std::string::npos);
    text.erase(easington, next - easington);
    std::ofstream(groups_path) << text;
  }
  const auto second = load_snapshot(load);
  EXPECT_NE(second->version, first->version);
  ASSERT_EQ(second->groups->layer->size(), 5u);
  EXPECT_FALSE(second->groups->unassigned.empty()) << "the Easington wards are in no other group";
  const FileReport* changed = nullptr;
  for (const auto& f : second->report.files) {
    if (f.kind == "groups") changed = &f;
  }
  ASSERT_NE(changed, nullptr);
  std::size_t named = 0;
  for (const auto& note : changed->notes) named += note.find("overlaps no group") != std::string::npos;
  EXPECT_EQ(named, second->groups->unassigned.size());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hotspot::data
