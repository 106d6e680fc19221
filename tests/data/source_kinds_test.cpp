// The partnership source kinds read from their synthetic fixtures
// (tests/fixtures/kinds): counts against an independent reading of the
// text (kind_fixture_oracle.hpp), the category rules with the original
// label kept, venue matching, the end time, locations and flags.

#include "hotspot/data/local_time.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/source_arguments.hpp"
#include "hotspot/data/synthetic_kinds.hpp"

#include "kind_fixture_oracle.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <tuple>

namespace hotspot::data {
namespace {

using testing::CsvTable;
using testing::Layout;
using testing::kKindFixtureDir;

std::shared_ptr<const Snapshot> load_kind(IncidentFormat kind, bool with_venues = true) {
  LoadOptions load;
  load.wards.path = HOTSPOT_SOURCE_DIR "/geodata/wards-E06000047.json";
  load.wards.kind = "wards";
  load.town_centres.path = HOTSPOT_SOURCE_DIR "/geodata/town-centres.geojson";
  load.town_centres.kind = "town-centres";
  IncidentSourceOptions source;
  source.path = kKindFixtureDir + kind_fixture_name(kind);
  source.format = kind;
  load.incidents.push_back(source);
  if (with_venues) load.venues = kKindFixtureDir + kVenuesFixtureName;
  load.threads = 1;
  return load_snapshot(load);
}

const FileReport& incident_report(const Snapshot& s) {
  for (const auto& f : s.report.files) {
    if (f.kind == "incidents") return f;
  }
  throw std::runtime_error("no incident report");
}

std::size_t issue_count(const FileReport& r, RowIssue issue) {
  auto it = r.issues.find(issue);
  return it == r.issues.end() ? 0 : it->second;
}

// The header names each fixture uses, and the labels hotspot knows for it.
struct KindCase {
  IncidentFormat kind;
  Layout layout;
  std::set<std::string> known_labels;
};

std::vector<KindCase> kind_cases() {
  return {
      {IncidentFormat::police_uk_csv,
       {"Longitude", "Latitude", "Month", "", "", "", "", "Crime type", true, true},
       {"Violence and sexual offences", "Criminal damage and arson", "Public order",
        "Anti-social behaviour", "Burglary", "Shoplifting"}},
      {IncidentFormat::police_extract,
       {"Easting", "Northing", "Committed From", "Committed To", "Domestic Flag", "Alcohol Flag", "",
        "Offence Description", false, false},
       {"Assault occasioning actual bodily harm", "Common assault", "Criminal damage to a vehicle",
        "Arson not endangering life", "Public fear, alarm or distress", "Theft from the person",
        "Burglary - residential"}},
      {IncidentFormat::council_asb,
       {"Easting", "Northing", "Incident Date", "", "Domestic", "Alcohol Related", "", "ASB Type",
        false, false},
       {"Rowdy/Nuisance behaviour", "Vehicle related nuisance", "Neighbour dispute",
        "Environmental - fly-tipping", "Street drinking"}},
      {IncidentFormat::fire,
       {"Easting", "Northing", "Call Date Time", "", "", "Alcohol Suspected", "", "Incident Type",
        false, false},
       {"Deliberate secondary fire - refuse", "Deliberate primary fire - road vehicle",
        "Deliberate secondary fire - grassland", "Deliberate primary fire - dwelling",
        "Accidental fire - dwelling"}},
      {IncidentFormat::ae_assault,
       {"Easting", "Northing", "Assault Date Time", "", "Domestic", "Alcohol", "Venue", "", false,
        false},
       {}},
  };
}

std::set<std::string> venue_keys() {
  std::set<std::string> keys;
  const CsvTable venues = testing::read_csv(kKindFixtureDir + kVenuesFixtureName);
  for (std::size_t r = 0; r < venues.rows.size(); ++r)
    keys.insert(testing::letters_and_digits(venues.get(r, "Premises Name")));
  return keys;
}

class KindFixtureTest : public ::testing::TestWithParam<std::size_t> {};

TEST_P(KindFixtureTest, LoadsWithTheCountsTheTextImplies) {
  const KindCase c = kind_cases()[GetParam()];
  const CsvTable text = testing::read_csv(kKindFixtureDir + kind_fixture_name(c.kind));
  const auto expected = testing::expect_from_text(text, c.layout, venue_keys(), c.known_labels);
  const auto snapshot = load_kind(c.kind);
  const FileReport& r = incident_report(*snapshot);
  ASSERT_TRUE(r.loaded) << r.error;
  EXPECT_EQ(r.format, incident_format_name(c.kind));
  EXPECT_TRUE(r.synthetic);
  EXPECT_EQ(r.rows_read, expected.read);
  EXPECT_EQ(r.rows_accepted, expected.accepted);
  EXPECT_EQ(snapshot->incidents->size(), expected.accepted);
  std::size_t rejected = 0;
  for (const auto& [reason, rows] : expected.rejected) rejected += rows;
  EXPECT_EQ(r.rows_rejected, rejected);
  for (const auto& [issue, rows] : r.issues) {
    if (issue == RowIssue::unknown_category) continue;
    const auto it = expected.rejected.find(row_issue_name(issue));
    EXPECT_EQ(rows, it == expected.rejected.end() ? 0 : it->second) << row_issue_name(issue);
  }
  EXPECT_EQ(issue_count(r, RowIssue::unknown_category), expected.unknown_labels);
  // Every fixture has some of each fault it can have.
  EXPECT_GE(expected.rejected.size(), 4u);
  EXPECT_GE(expected.rejected.at("outside_study_area"), 1u);
}

TEST_P(KindFixtureTest, KeepsEveryOriginalLabel) {
  const KindCase c = kind_cases()[GetParam()];
  const CsvTable text = testing::read_csv(kKindFixtureDir + kind_fixture_name(c.kind));
  const auto snapshot = load_kind(c.kind);
  const IncidentTable& t = *snapshot->incidents;
  if (c.layout.label.empty()) {
    // No category column (A&E): every row is an assault, labelled so.
    EXPECT_EQ(t.category_labels, std::vector<std::string>{"Assault (A&E attendance)"});
    for (std::size_t i = 0; i < t.size(); ++i) EXPECT_EQ(t.category[i], Category::violence);
    return;
  }
  std::set<std::string> in_table;
  for (std::size_t i = 0; i < t.size(); ++i) in_table.insert(t.category_labels[t.category_label[i]]);
  std::set<std::string> in_text;
  for (std::size_t r = 0; r < text.rows.size(); ++r) in_text.insert(text.get(r, c.layout.label));
  for (const auto& label : in_table) EXPECT_TRUE(in_text.count(label)) << label;
  EXPECT_GE(in_table.size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(Kinds, KindFixtureTest, ::testing::Range<std::size_t>(0, 5),
                         [](const auto& info) {
                           std::string name = incident_format_name(kind_cases()[info.param].kind);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Each kind's labels, mapped by hand from docs/sources.md.
TEST(KindMapping, MapsEachKindsLabelsAndNamesTheSubtype) {
  const std::vector<std::tuple<IncidentFormat, std::string, Category, bool, std::string>> cases{
      {IncidentFormat::police_extract, "Assault occasioning actual bodily harm", Category::violence, true, ""},
      {IncidentFormat::police_extract, "Public fear, alarm or distress", Category::public_order, true, ""},
      {IncidentFormat::police_extract, "Arson not endangering life", Category::criminal_damage, true, ""},
      {IncidentFormat::police_extract, "Burglary - residential", Category::other, true, ""},
      {IncidentFormat::police_extract, "105/01", Category::violence, true, ""},
      {IncidentFormat::police_extract, "058A", Category::criminal_damage, true, ""},
      {IncidentFormat::police_extract, "Dangerous driving", Category::other, false, ""},
      {IncidentFormat::council_asb, "Rowdy/Nuisance behaviour", Category::asb, true, "rowdy/nuisance"},
      {IncidentFormat::council_asb, "Vehicle related nuisance", Category::asb, true, "vehicle-related"},
      {IncidentFormat::council_asb, "Neighbour dispute", Category::asb, true, "neighbour"},
      {IncidentFormat::council_asb, "Environmental - fly-tipping", Category::asb, true, "environmental"},
      {IncidentFormat::council_asb, "Other ASB", Category::asb, false, ""},
      {IncidentFormat::fire, "Deliberate secondary fire - refuse", Category::criminal_damage, true, "refuse"},
      {IncidentFormat::fire, "Deliberate primary fire - road vehicle", Category::criminal_damage, true, "vehicle"},
      {IncidentFormat::fire, "Accidental fire - dwelling", Category::other, true, ""},
      {IncidentFormat::fire, "Fire alarm - false", Category::other, false, ""},
      {IncidentFormat::ae_assault, "Assault (A&E attendance)", Category::violence, true, ""},
      {IncidentFormat::police_uk_csv, "Anti-social behaviour", Category::asb, true, ""},
  };
  for (const auto& [kind, label, category, known, subtype] : cases) {
    const KindMapping m = map_kind_label(kind, label);
    EXPECT_EQ(m.category, category) << label;
    EXPECT_EQ(m.known, known) << label;
    EXPECT_EQ(m.subtype, subtype) << label;
  }
}

TEST(KindMapping, KindNamesRoundTrip) {
  for (const char* name :
       {"police-uk", "police-extract", "council-asb", "fire", "ae-assault", "csv", "geojson"}) {
    const auto kind = parse_incident_format(name);
    ASSERT_TRUE(kind) << name;
    EXPECT_STREQ(incident_format_name(*kind), name);
    auto source = parse_incident_source(std::string(name) + ":x.csv?alcohol=Alc&to=Until");
    ASSERT_TRUE(source) << source.error().message;
    EXPECT_EQ(source->format, *kind);
    EXPECT_EQ(source->path, "x.csv");
    EXPECT_EQ(source->alcohol_column, "Alc");
    EXPECT_EQ(source->to_column, "Until");
  }
}

TEST(KindFixtures, RegenerateToTheSameBytes) {
  for (const IncidentFormat kind : fixture_kinds()) {
    auto text = synthetic_kind_csv(kind, kKindFixtureSeed);
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(*text, testing::read_text(kKindFixtureDir + kind_fixture_name(kind)))
        << kind_fixture_name(kind) << ": run build/hotspot generate --kinds tests/fixtures/kinds";
    EXPECT_NE(kind_fixture_name(kind).find("synthetic"), std::string::npos);
  }
  EXPECT_EQ(synthetic_venues_csv(), testing::read_text(kKindFixtureDir + kVenuesFixtureName));
  // Another seed gives other rows.
  EXPECT_NE(*synthetic_kind_csv(IncidentFormat::fire, 7), *synthetic_kind_csv(IncidentFormat::fire, 8));
}

}  // namespace
}  // namespace hotspot::data
