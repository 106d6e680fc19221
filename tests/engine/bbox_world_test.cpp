// A whole-world bbox selects every incident: the lon/lat box is clipped to
// EPSG:27700's area of use before it is projected. A box entirely outside
// that area is refused, naming bbox.
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/projection.hpp"
#include "hotspot/engine/query.hpp"
#include "hotspot/engine/selection.hpp"

#include "../common/bundled_layers.hpp"
#include "../common/peers_data.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

namespace hotspot::engine {
namespace {

std::shared_ptr<const data::Snapshot> bundled() {
  static const std::shared_ptr<const data::Snapshot> snapshot =
      testing::load_with_bundled_layers(HOTSPOT_SOURCE_DIR "/geodata/incidents-synthetic.csv");
  return snapshot;
}

bool contains(const geo::Box& outer, const geo::Box& inner) {
  return outer.min_x <= inner.min_x && outer.min_y <= inner.min_y &&
         outer.max_x >= inner.max_x && outer.max_y >= inner.max_y;
}

const LonLatBox kWorld{-180, -90, 180, 90};

TEST(WorldBbox, ContainsTheBundledIncidents) {
  const auto snapshot = bundled();
  ASSERT_EQ(snapshot->incidents->size(), 20000u);
  auto box = bbox_to_bng(kWorld);
  ASSERT_TRUE(box) << box.error().message;
  EXPECT_TRUE(contains(*box, snapshot->incidents->extent()));
  EXPECT_TRUE(contains(*box, snapshot->wards->extent));
  // Great Britain at least: the Scilly Isles to Shetland, Pembrokeshire to Lowestoft.
  EXPECT_LE(box->min_x, 80000);
  EXPECT_LE(box->min_y, 10000);
  EXPECT_GE(box->max_x, 655000);
  EXPECT_GE(box->max_y, 1220000);
}

TEST(WorldBbox, ContainsThePeersIncidents) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("hotspot-bbox-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string why;
  const auto csv = peers::ten_thousand(dir, why);
  if (csv.empty()) {
    std::filesystem::remove_all(dir);
    GTEST_SKIP() << why;
  }
  const peers::Coordinates points = peers::read_coordinates(csv);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(points.x.empty());
  geo::Box extent;
  for (std::size_t i = 0; i < points.x.size(); ++i) extent.expand(geo::Point{points.x[i], points.y[i]});
  auto box = bbox_to_bng(kWorld);
  ASSERT_TRUE(box) << box.error().message;
  EXPECT_TRUE(contains(*box, extent));
}

TEST(WorldBbox, SelectsEveryRow) {
  const auto snapshot = bundled();
  const auto parse = [&](const NameValues& pairs) {
    auto query = Query::parse(pairs, SelectionParams::names());
    EXPECT_TRUE(query);
    return SelectionParams::parse(*query, *snapshot);
  };
  auto all = parse({});
  auto world = parse({{"bbox", "-180,-90,180,90"}});
  ASSERT_TRUE(all && world) << (world ? "" : world.error().message);
  const auto everything = select(*snapshot, *all);
  ASSERT_EQ(everything.rows.size(), snapshot->incidents->size());
  EXPECT_EQ(select(*snapshot, *world).rows.size(), snapshot->incidents->size());
  // A box over County Durham and beyond, crossing the area of use's edge.
  auto wide = parse({{"bbox", "-20,40,20,70"}});
  ASSERT_TRUE(wide) << wide.error().message;
  EXPECT_EQ(select(*snapshot, *wide).rows.size(), snapshot->incidents->size());
}

TEST(WorldBbox, ABoxOutsideTheAreaOfUseIsRefused) {
  for (const LonLatBox& outside : {LonLatBox{10, 10, 20, 20}, LonLatBox{-80, 40, -70, 45},
                                   LonLatBox{-5, -60, 0, -50}}) {
    auto box = bbox_to_bng(outside);
    ASSERT_FALSE(box);
    EXPECT_EQ(box.error().code, ErrorCode::invalid_parameter);
    EXPECT_NE(box.error().message.find("'bbox'"), std::string::npos) << box.error().message;
  }
}

}  // namespace
}  // namespace hotspot::engine
