// render::disclose: the one pass that applies public mode to a feature
// answer, on a hand-built table (counts, a counts object, derived fields, a
// total row, metadata counts), against the rule worked out by hand.

#include "hotspot/render/disclosure.hpp"

#include <gtest/gtest.h>

namespace hotspot::render {
namespace {

const engine::Disclosure kPublic{true, 5};

// Fields: name, n (count), by (counts), area (plain real), per_area
// (derived: n / area).
FeatureAnswer answer_of(std::vector<std::pair<std::int64_t, double>> rows) {
  FeatureAnswer a;
  FeatureTable& t = a.table;
  t.name = "test";
  t.add_field("name", FieldType::text);
  const std::size_t n = t.add_count("n");
  t.fields[t.add_field("by", FieldType::json)].disclosive = Disclosive::counts;
  const std::size_t area = t.add_field("area", FieldType::real);
  t.add_derived("per_area", FieldType::real, -1, [=](const std::vector<Value>& row) -> Value {
    const auto* count = std::get_if<std::int64_t>(&row[n]);
    if (count == nullptr) return Null{};
    return static_cast<double>(*count) / std::get<double>(row[area]);
  });
  std::int64_t total = 0;
  for (const auto& [count, km2] : rows) {
    total += count;
    const std::string by = R"({"violence":)" + std::to_string(count) + R"(,"asb":0})";
    t.features.push_back({std::string("f") + std::to_string(t.features.size()),
                          Geometry{},
                          {std::string("x"), count, by, km2, static_cast<double>(count) / km2}});
  }
  a.total = Feature{std::string("total"), Geometry{}, {Null{}, total, Null{}, 1.0, double(total)}};
  a.metadata = {{"counts", {{"selected", total}, {"clusters", 3}, {"excluded", {{"why", 2}}}}},
                {"mean", 1.5},
                {"sd", 0.5},
                {"total", {{"n", total}}}};
  return a;
}

TEST(Disclose, PrivateModeOnlyEchoesThePolicy) {
  FeatureAnswer a = answer_of({{3, 2.0}, {12, 4.0}});
  const FeatureAnswer before = a;
  disclose(a, engine::Disclosure{});
  EXPECT_EQ(a.table.fields.size(), before.table.fields.size());
  ASSERT_EQ(a.table.features[0].values.size(), before.table.features[0].values.size());
  EXPECT_EQ(std::get<std::int64_t>(a.table.features[0].values[1]), 3);
  EXPECT_EQ(std::get<std::string>(a.table.features[0].values[2]),
            std::get<std::string>(before.table.features[0].values[2]));
  EXPECT_DOUBLE_EQ(std::get<double>(a.table.features[0].values[4]), 1.5);
  EXPECT_EQ(a.metadata["counts"], before.metadata["counts"]);
  EXPECT_EQ(a.metadata["mean"], 1.5);
  EXPECT_EQ(a.metadata["disclosure"]["public"], false);
}

TEST(Disclose, SuppressesRoundsMarksAndRederives) {
  FeatureAnswer a = answer_of({{3, 2.0}, {12, 4.0}, {0, 1.0}, {7, 1.0}});
  disclose(a, kPublic);
  const FeatureTable& t = a.table;
  // Two marker columns appended: n_suppressed and by_suppressed.
  ASSERT_EQ(t.fields.size(), 7u);
  EXPECT_EQ(t.fields[5].name, "n_suppressed");
  EXPECT_EQ(t.fields[5].type, FieldType::boolean);
  EXPECT_EQ(t.fields[6].name, "by_suppressed");

  const auto& small = t.features[0].values;  // 3: suppressed
  EXPECT_TRUE(std::holds_alternative<Null>(small[1]));
  EXPECT_EQ(std::get<std::string>(small[2]), R"({"violence":null,"asb":0})");
  EXPECT_TRUE(std::holds_alternative<Null>(small[4]));  // derived from a suppressed count
  EXPECT_EQ(std::get<bool>(small[5]), true);
  EXPECT_EQ(std::get<bool>(small[6]), true);

  const auto& twelve = t.features[1].values;  // 12 -> 10; per_area 10 / 4
  EXPECT_EQ(std::get<std::int64_t>(twelve[1]), 10);
  EXPECT_EQ(std::get<std::string>(twelve[2]), R"({"violence":10,"asb":0})");
  EXPECT_DOUBLE_EQ(std::get<double>(twelve[4]), 2.5);
  EXPECT_EQ(std::get<bool>(twelve[5]), false);

  EXPECT_EQ(std::get<std::int64_t>(t.features[2].values[1]), 0);  // 0 stays 0, unmarked
  EXPECT_EQ(std::get<bool>(t.features[2].values[5]), false);
  EXPECT_EQ(std::get<std::int64_t>(t.features[3].values[1]), 5);  // 7 -> 5

  // The total (22) rounded on its own from the unrounded data: 20, not the
  // sum of the published parts (15).
  EXPECT_EQ(a.metadata["total"]["n"], 20);
  EXPECT_EQ(a.metadata["total"]["n_suppressed"], false);
  // Metadata: incident counts published, feature counts kept, mean/sd withheld.
  EXPECT_EQ(a.metadata["counts"]["selected"], 20);
  EXPECT_EQ(a.metadata["counts"]["clusters"], 3);
  EXPECT_TRUE(a.metadata["counts"]["excluded"]["why"].is_null());
  EXPECT_TRUE(a.metadata["mean"].is_null());
  EXPECT_TRUE(a.metadata["sd"].is_null());
  EXPECT_EQ(a.metadata["disclosure"]["public"], true);
  EXPECT_EQ(a.metadata["disclosure"]["min_count"], 5);
  EXPECT_GE(a.metadata["disclosure"]["suppressed_values"].get<int>(), 3);
}

TEST(Disclose, ProfileMatrixMonthsAndTotals) {
  nlohmann::json profile = {{"hour_of_week", {{0, 1, 6}, {9, 4, 0}}},
                            {"hour_of_week_total", 20},
                            {"monthly", {{{"month", "2024-01"}, {"count", 3}},
                                         {{"month", "2024-02"}, {"count", 17}}}},
                            {"excluded", {{"x", 2}}},
                            {"metadata", {{"counts", {{"selected", 20}}}}}};
  disclose_profile(profile, kPublic);
  EXPECT_EQ(profile["hour_of_week"], nlohmann::json::parse("[[0,null,5],[10,null,0]]"));
  EXPECT_EQ(profile["hour_of_week_total"], 20);
  EXPECT_TRUE(profile["monthly"][0]["count"].is_null());
  EXPECT_EQ(profile["monthly"][0]["suppressed"], true);
  EXPECT_EQ(profile["monthly"][1]["count"], 15);
  EXPECT_EQ(profile["monthly"][1]["suppressed"], false);
  EXPECT_TRUE(profile["excluded"]["x"].is_null());
  EXPECT_EQ(profile["metadata"]["disclosure"]["public"], true);
}

}  // namespace
}  // namespace hotspot::render
