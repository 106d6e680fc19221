// The fields only some kinds carry, read from the per-kind fixtures and
// checked row by row against the fixture text: the end time, the alcohol
// and domestic flags, subtypes, police.uk locations and A&E venues.

#include "hotspot/data/local_time.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/synthetic_kinds.hpp"

#include "kind_fixture_oracle.hpp"
#include "load_incidents.hpp"
#include "temp_files.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace hotspot::data {
namespace {

using testing::CsvTable;
using testing::kKindFixtureDir;

std::shared_ptr<const Snapshot> load_kind(IncidentFormat kind, const std::string& venues) {
  LoadOptions load;
  load.wards.path = HOTSPOT_SOURCE_DIR "/geodata/wards-E06000047.json";
  load.wards.kind = "wards";
  IncidentSourceOptions source;
  source.path = kKindFixtureDir + kind_fixture_name(kind);
  source.format = kind;
  load.incidents.push_back(source);
  load.venues = venues;
  load.threads = 1;
  return load_snapshot(load);
}

// Fixture row index by the id column's text.
std::map<std::string, std::size_t> rows_by_id(const CsvTable& text, const std::string& id_column) {
  std::map<std::string, std::size_t> out;
  for (std::size_t r = 0; r < text.rows.size(); ++r) out[text.get(r, id_column)] = r;
  return out;
}

std::uint8_t alcohol_of_text(const std::string& s) {
  return s == "Y" ? kAlcoholYes : s == "N" ? kAlcoholNo : kAlcoholUnknown;
}

TEST(KindFields, PoliceExtractKeepsBothTimesAndTheFlags) {
  const CsvTable text = testing::read_csv(kKindFixtureDir + kind_fixture_name(IncidentFormat::police_extract));
  const auto by_id = rows_by_id(text, "Crime Reference");
  const auto s = load_kind(IncidentFormat::police_extract, "");
  const IncidentTable& t = *s->incidents;
  ASSERT_GT(t.size(), 10u);
  ASSERT_EQ(t.occurred_to.size(), t.size());
  std::size_t with_end = 0, without_end = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const std::size_t r = by_id.at(std::string(t.source_id(i)));
    EXPECT_EQ(t.instant[i], parse_time(text.get(r, "Committed From"))->utc_seconds);
    const std::string until = text.get(r, "Committed To");
    if (until.empty()) {
      EXPECT_EQ(t.occurred_to_of(i), kNoOccurredTo);
      ++without_end;
    } else {
      EXPECT_EQ(t.occurred_to_of(i), parse_time(until)->utc_seconds);
      EXPECT_GE(t.occurred_to_of(i), t.instant[i]);
      ++with_end;
    }
    EXPECT_EQ(t.domestic[i], text.get(r, "Domestic Flag") == "Y" ? 1 : 0);
    EXPECT_EQ(t.alcohol_of(i), alcohol_of_text(text.get(r, "Alcohol Flag")));
  }
  EXPECT_GT(with_end, 0u);
  EXPECT_GT(without_end, 0u);
}

TEST(KindFields, CouncilAsbKeepsTheTypeAndItsGroup) {
  const auto s = load_kind(IncidentFormat::council_asb, "");
  const IncidentTable& t = *s->incidents;
  ASSERT_EQ(t.subtype.size(), t.size());
  const std::map<std::string, std::string> group{
      {"Rowdy/Nuisance behaviour", "rowdy/nuisance"}, {"Vehicle related nuisance", "vehicle-related"},
      {"Neighbour dispute", "neighbour"}, {"Environmental - fly-tipping", "environmental"},
      {"Street drinking", "rowdy/nuisance"}, {"Other ASB", ""}};
  for (std::size_t i = 0; i < t.size(); ++i) {
    const std::string label = t.category_labels[t.category_label[i]];
    EXPECT_EQ(t.category[i], Category::asb) << label;
    EXPECT_EQ(t.subtype_label(i), group.at(label)) << label;
  }
}

TEST(KindFields, PoliceUkLocationsAreStoredOnce) {
  const CsvTable text = testing::read_csv(kKindFixtureDir + kind_fixture_name(IncidentFormat::police_uk_csv));
  std::set<std::string> distinct;
  for (std::size_t r = 0; r < text.rows.size(); ++r) distinct.insert(text.get(r, "Location"));
  const auto s = load_kind(IncidentFormat::police_uk_csv, "");
  const IncidentTable& t = *s->incidents;
  ASSERT_EQ(t.location.size(), t.size());
  EXPECT_LE(t.location_labels.size(), distinct.size());
  EXPECT_LT(t.location_labels.size(), t.size());  // shared points repeat
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_TRUE(t.location_label(i).starts_with("On or near ")) << t.location_label(i);
    EXPECT_EQ(t.precision[i], TimePrecision::month);
  }
  // police.uk carries no end time, alcohol flag or subtype: those columns stay empty.
  EXPECT_TRUE(t.occurred_to.empty());
  EXPECT_TRUE(t.alcohol.empty());
  EXPECT_TRUE(t.subtype.empty());
  EXPECT_EQ(t.alcohol_of(0), kAlcoholUnknown);
}

TEST(KindFields, AeVenuesAreMatchedWhateverTheSpelling) {
  const CsvTable text = testing::read_csv(kKindFixtureDir + kind_fixture_name(IncidentFormat::ae_assault));
  const CsvTable venues = testing::read_csv(kKindFixtureDir + kVenuesFixtureName);
  std::map<std::string, std::pair<std::string, double>> venue_by_key;  // key -> name, easting
  for (std::size_t r = 0; r < venues.rows.size(); ++r)
    venue_by_key[testing::letters_and_digits(venues.get(r, "Premises Name"))] = {
        venues.get(r, "Premises Name"), std::stod(venues.get(r, "Easting"))};
  const auto by_id = rows_by_id(text, "Attendance ID");
  const auto s = load_kind(IncidentFormat::ae_assault, kKindFixtureDir + kVenuesFixtureName);
  const IncidentTable& t = *s->incidents;
  std::size_t matched = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const std::size_t r = by_id.at(std::string(t.source_id(i)));
    EXPECT_EQ(t.category[i], Category::violence);
    EXPECT_EQ(t.subtype_label(i), text.get(r, "Weapon"));  // the weapon is the subtype
    const std::string venue = text.get(r, "Venue");
    if (venue.empty()) continue;
    const auto& [name, easting] = venue_by_key.at(testing::letters_and_digits(venue));
    EXPECT_EQ(t.location_label(i), name);
    EXPECT_NEAR(t.x[i], easting, 1e-6);
    if (testing::letters_and_digits(venue) != venue) ++matched;
  }
  EXPECT_GE(matched, 3u);  // spelt differently from the list, matched all the same
  const auto& report = s->report.files.back();
  ASSERT_EQ(testing::count(report, RowIssue::unmatched_venue), 1u);
  bool named = false;
  for (const auto& e : report.examples)
    named |= e.issue == RowIssue::unmatched_venue && e.detail.find("The Imaginary Inn") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST(KindFields, AeVenueRowsWithoutAVenueListAreRejectedSaying) {
  const CsvTable text = testing::read_csv(kKindFixtureDir + kind_fixture_name(IncidentFormat::ae_assault));
  std::size_t venue_only = 0;
  for (std::size_t r = 0; r < text.rows.size(); ++r)
    venue_only += text.get(r, "Easting").empty() && !text.get(r, "Venue").empty();
  const auto s = load_kind(IncidentFormat::ae_assault, "");
  const auto& report = s->report.files.back();
  EXPECT_EQ(testing::count(report, RowIssue::unmatched_venue), venue_only);
  ASSERT_FALSE(report.examples.empty());
  bool says = false;
  for (const auto& e : report.examples) says |= e.detail.find("no venue list") != std::string::npos;
  EXPECT_TRUE(says);
}

TEST(KindFields, AmbiguousVenueListIsRefused) {
  auto list = VenueList::from({Venue{"The King's Head", {1, 2}, {0, 0}}, Venue{"the kings head", {3, 4}, {0, 0}}});
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().message.find("same name"), std::string::npos);
}

TEST(KindFields, GenericCsvWithoutExtrasAddsNoColumns) {
  testing::TempFiles files;
  IncidentSourceOptions o;
  o.path = files.write("plain.csv", "id,lon,lat,category,occurred_at\n1,-1.57,54.77,Public order,2024-03-05T12:00:00Z\n");
  const auto got = testing::load(o);
  ASSERT_TRUE(got.ok) << got.error;
  ASSERT_EQ(got.table->size(), 1u);
  EXPECT_TRUE(got.table->occurred_to.empty());
  EXPECT_TRUE(got.table->alcohol.empty());
  EXPECT_TRUE(got.table->subtype.empty());
  EXPECT_TRUE(got.table->location.empty());
}

TEST(KindFields, BadAlcoholValueRejectsTheRow) {
  testing::TempFiles files;
  IncidentSourceOptions o;
  o.path = files.write("alcohol.csv",
      "id,lon,lat,category,occurred_at,alcohol\n"
      "1,-1.57,54.77,Public order,2024-03-05T12:00:00Z,yes\n"
      "2,-1.57,54.77,Public order,2024-03-05T12:00:00Z,\n"
      "3,-1.57,54.77,Public order,2024-03-05T12:00:00Z,perhaps\n"
      "4,-1.57,54.77,Public order,2024-03-05T12:00:00Z,No\n");
  const auto got = testing::load(o);
  ASSERT_TRUE(got.ok) << got.error;
  EXPECT_EQ(testing::count(got.report, RowIssue::bad_alcohol), 1u);
  ASSERT_EQ(got.table->alcohol.size(), 3u);
  EXPECT_EQ(got.table->alcohol[0], kAlcoholYes);
  EXPECT_EQ(got.table->alcohol[1], kAlcoholUnknown);
  EXPECT_EQ(got.table->alcohol[2], kAlcoholNo);
}

}  // namespace
}  // namespace hotspot::data
