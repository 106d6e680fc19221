// The group= filter in analysis::select: rows whose ward is one of the
// group's wards, alone and with the other filters, against a brute-force
// pass over the rows.
#include "table_fixture.hpp"

#include "hotspot/analysis/selection.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace hotspot::analysis {
namespace {

using table_fixture::Row;

// 200 rows over wards -1 (none) .. 9, two categories, a week of days.
data::IncidentTable table() {
  data::IncidentTable t;
  for (int i = 0; i < 200; ++i) {
    Row r;
    r.ward = (i * 7) % 11 - 1;
    r.category = i % 3 == 0 ? data::Category::asb : data::Category::violence;
    r.day = table_fixture::day(2024, 3, 1 + static_cast<unsigned>(i % 7));
    r.minute = table_fixture::hm(i % 24, 0);
    table_fixture::add_row(t, r);
  }
  return t;
}

std::vector<std::uint32_t> brute_force(const data::IncidentTable& t, const std::vector<std::int32_t>& group,
                                       bool (*also)(const data::IncidentTable&, std::size_t)) {
  std::vector<std::uint32_t> rows;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool in_group = std::find(group.begin(), group.end(), t.ward[i]) != group.end();
    if (in_group && also(t, i)) rows.push_back(static_cast<std::uint32_t>(i));
  }
  return rows;
}

TEST(GroupFilter, SelectsExactlyTheRowsOfTheGroupsWards) {
  const data::IncidentTable t = table();
  const data::BoundaryLayer centres = table_fixture::ids_only_layer(0);
  for (const std::vector<std::int32_t>& group :
       {std::vector<std::int32_t>{3}, {0, 4, 9}, {1, 2, 5, 6, 7, 8}, {42}}) {
    SelectionParams p;
    p.group_wards = group;
    ASSERT_FALSE(p.validate());
    EXPECT_EQ(select(t, centres, p).rows,
              brute_force(t, group, [](const data::IncidentTable&, std::size_t) { return true; }));
  }
}

TEST(GroupFilter, AppliesTogetherWithTheOtherFilters) {
  const data::IncidentTable t = table();
  const data::BoundaryLayer centres = table_fixture::ids_only_layer(0);
  SelectionParams p;
  p.group_wards = std::vector<std::int32_t>{0, 1, 2, 3};
  p.wards = {2, 3, 4};
  p.categories = 1u << static_cast<unsigned>(data::Category::asb);
  const auto rows = select(t, centres, p).rows;
  const auto expected = brute_force(t, {2, 3}, [](const data::IncidentTable& table, std::size_t i) {
    return table.category[i] == data::Category::asb;
  });
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(rows, expected);
}

TEST(GroupFilter, AGroupWithNoWardsSelectsNothingAndNoGroupSelectsAll) {
  const data::IncidentTable t = table();
  const data::BoundaryLayer centres = table_fixture::ids_only_layer(0);
  SelectionParams p;
  EXPECT_EQ(select(t, centres, p).rows.size(), t.size());
  p.group_wards = std::vector<std::int32_t>{};
  EXPECT_TRUE(select(t, centres, p).rows.empty());
  p.group_wards = std::vector<std::int32_t>{-2};
  ASSERT_TRUE(p.validate());
  EXPECT_NE(p.validate()->message.find("'group'"), std::string::npos);
}

}  // namespace
}  // namespace hotspot::analysis
