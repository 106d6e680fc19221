// What the groups layer adds to a boundary answer: each group's wards with
// the share of their area in it, and the assignment rule in the metadata.
#include "answer_parts.hpp"

#include "hotspot/render/json_writer.hpp"

namespace hotspot::render::detail {
namespace {

// Share of a ward's area in its group: to a square metre in a square kilometre.
constexpr int kShareDecimals = 6;

// [{"id","name","share"}, ...] of one group's wards, in ward order.
std::string group_wards_json(const data::BoundaryLayer& wards, const data::AreaGroups& groups,
                             std::size_t group) {
  JsonWriter w;
  w.begin_array();
  for (const std::int32_t ward : groups.wards_of[group]) {
    const auto i = static_cast<std::size_t>(ward);
    w.begin_object();
    w.key("id").string(wards.ids[i]);
    w.key("name").string(i < wards.names.size() ? wards.names[i] : std::string());
    w.key("share").number(groups.of_ward[i].share, kShareDecimals);
    w.end_object();
  }
  w.end_array();
  return w.take();
}

}  // namespace

void add_group_wards(FeatureTable& table, nlohmann::json& metadata, const data::Snapshot& snapshot) {
  const data::AreaGroups& groups = *snapshot.groups;
  const data::BoundaryLayer& wards = *snapshot.wards;
  const std::size_t field = table.add_field("wards", FieldType::json);
  for (std::size_t g = 0; g < table.features.size() && g < groups.wards_of.size(); ++g) {
    table.features[g].values.resize(field + 1, Null{});
    table.features[g].values[field] = group_wards_json(wards, groups, g);
  }
  metadata["assignment"] =
      "Each ward belongs to the group whose polygon covers the largest part of its area "
      "(GEOS intersection areas in EPSG:27700; on a tie, the group listed first); share is "
      "that part of the ward's area. A ward overlapping no group belongs to none (listed in "
      "unassigned and in /api/load-report).";
  auto unassigned = nlohmann::json::array();
  for (const std::int32_t w : groups.unassigned) {
    unassigned.push_back(area_ref(wards, static_cast<std::size_t>(w)));
  }
  metadata["unassigned"] = std::move(unassigned);
}

}  // namespace hotspot::render::detail
