// The alcohol and domestic selection filters over every partnership kind's
// fixture loaded together, each count checked against a brute-force count
// over the table's own columns; the nte preset and public mode.

#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/synthetic_kinds.hpp"
#include "hotspot/engine/selection.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>

namespace hotspot::engine {
namespace {

const std::string kDir = HOTSPOT_SOURCE_DIR "/tests/fixtures/kinds/";

std::shared_ptr<const data::Snapshot> load_all_kinds() {
  data::LoadOptions load;
  load.wards.path = HOTSPOT_SOURCE_DIR "/geodata/wards-E06000047.json";
  load.wards.kind = "wards";
  load.town_centres.path = HOTSPOT_SOURCE_DIR "/geodata/town-centres.geojson";
  load.town_centres.kind = "town-centres";
  for (const auto kind : data::fixture_kinds()) {
    data::IncidentSourceOptions source;
    source.path = kDir + data::kind_fixture_name(kind);
    source.format = kind;
    load.incidents.push_back(source);
  }
  load.venues = kDir + data::kVenuesFixtureName;
  load.threads = 1;
  return data::load_snapshot(load);
}

class KindFilters : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { snapshot_ = load_all_kinds(); }
  static void TearDownTestSuite() { snapshot_.reset(); }

  static Expected<SelectionParams> parse(const NameValues& pairs, bool public_mode = false) {
    auto query = Query::parse(pairs, SelectionParams::names());
    if (!query) return query.error();
    auto params = SelectionParams::parse(*query, *snapshot_);
    if (!params) return params;
    Disclosure policy;
    policy.public_mode = public_mode;
    params->set_disclosure(policy);
    if (auto problem = params->disclosure_problem()) return *problem;
    return params;
  }
  static std::size_t selected(const NameValues& pairs, bool public_mode = false) {
    auto params = parse(pairs, public_mode);
    EXPECT_TRUE(params) << params.error().message;
    return params ? select(*snapshot_, *params).rows.size() : 0;
  }
  // Rows of the table for which `keep` holds, counted one by one.
  static std::size_t brute_force(const std::function<bool(std::size_t)>& keep) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < snapshot_->incidents->size(); ++i) n += keep(i);
    return n;
  }
  static const data::IncidentTable& table() { return *snapshot_->incidents; }
  static inline std::shared_ptr<const data::Snapshot> snapshot_;
};

TEST_F(KindFilters, TheFixturesGiveEveryFlagValue) {
  const auto& t = table();
  ASSERT_GT(t.size(), 80u);
  ASSERT_EQ(t.alcohol.size(), t.size());
  EXPECT_GT(brute_force([&](auto i) { return t.domestic[i] == 1; }), 0u);
  for (auto value : {data::kAlcoholNo, data::kAlcoholYes, data::kAlcoholUnknown})
    EXPECT_GT(brute_force([&](auto i) { return t.alcohol_of(i) == value; }), 0u);
}

TEST_F(KindFilters, AlcoholSelectsExactlyTheRecordedRows) {
  const auto& t = table();
  EXPECT_EQ(selected({{"alcohol", "true"}}), brute_force([&](auto i) { return t.alcohol_of(i) == data::kAlcoholYes; }));
  EXPECT_EQ(selected({{"alcohol", "false"}}), brute_force([&](auto i) { return t.alcohol_of(i) == data::kAlcoholNo; }));
  EXPECT_EQ(selected({}), t.size());
  auto bad = parse({{"alcohol", "yes"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_parameter);
  EXPECT_NE(bad.error().message.find("'alcohol'"), std::string::npos);
}

TEST_F(KindFilters, DomesticIncludeExcludeOnly) {
  const auto& t = table();
  const std::size_t flagged = brute_force([&](auto i) { return t.domestic[i] == 1; });
  EXPECT_EQ(selected({{"domestic", "include"}}), t.size());
  EXPECT_EQ(selected({{"domestic", "exclude"}}), t.size() - flagged);
  EXPECT_EQ(selected({{"domestic", "only"}}), flagged);
  EXPECT_EQ(selected({{"domestic", "only"}, {"alcohol", "true"}}),
            brute_force([&](auto i) { return t.domestic[i] == 1 && t.alcohol_of(i) == data::kAlcoholYes; }));
  EXPECT_FALSE(parse({{"domestic", "some"}}));
}

TEST_F(KindFilters, NteExcludesDomesticIncidents) {
  const auto& t = table();
  auto params = parse({{"preset", "nte"}, {"window", "00:00-23:59"}, {"days", "mon,tue,wed,thu,fri,sat,sun"},
                       {"scope", "everywhere"}, {"category", "violence,criminal_damage,public_order,asb,other"}});
  ASSERT_TRUE(params) << params.error().message;
  EXPECT_EQ(params->filter.domestic, analysis::DomesticFilter::exclude);
  const auto rows = select(*snapshot_, *params).rows;
  EXPECT_FALSE(rows.empty());
  for (auto row : rows) EXPECT_EQ(t.domestic[row], 0) << row;
  // The explicit parameter still wins over the preset.
  auto with = parse({{"preset", "nte"}, {"domestic", "include"}});
  ASSERT_TRUE(with);
  EXPECT_EQ(with->filter.domestic, analysis::DomesticFilter::include);
}

TEST_F(KindFilters, PublicModeNeverSelectsDomestic) {
  const auto& t = table();
  const std::size_t unflagged = brute_force([&](auto i) { return t.domestic[i] == 0; });
  EXPECT_EQ(selected({{"domestic", "include"}}, true), unflagged);
  EXPECT_EQ(selected({}, true), unflagged);
  auto only = parse({{"domestic", "only"}}, true);
  ASSERT_FALSE(only);
  EXPECT_EQ(only.error().code, ErrorCode::forbidden);
  EXPECT_NE(only.error().message.find("public mode"), std::string::npos);
  // Even if a caller skipped the check, the selection keeps no flagged row.
  auto unchecked = parse({{"domestic", "only"}});
  ASSERT_TRUE(unchecked);
  Disclosure policy;
  policy.public_mode = true;
  unchecked->set_disclosure(policy);
  EXPECT_TRUE(select(*snapshot_, *unchecked).rows.empty());
}

TEST_F(KindFilters, CanonicalFormEchoesBothFilters) {
  auto params = parse({{"alcohol", "false"}, {"domestic", "exclude"}});
  ASSERT_TRUE(params);
  Canonical canonical;
  params->append_canonical(canonical);
  auto value = [&](const std::string& name) {
    for (const auto& [n, v] : canonical) if (n == name) return v;
    return std::string("(absent)");
  };
  EXPECT_EQ(value("alcohol"), "false");
  EXPECT_EQ(value("domestic"), "exclude");
  Canonical defaults;
  parse({})->append_canonical(defaults);
  EXPECT_EQ(std::count(defaults.begin(), defaults.end(), std::pair<std::string, std::string>{"alcohol", ""}), 1);
  EXPECT_EQ(std::count(defaults.begin(), defaults.end(), std::pair<std::string, std::string>{"domestic", "include"}), 1);
}

}  // namespace
}  // namespace hotspot::engine
