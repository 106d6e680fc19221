// The source store's behaviour, the same tests on both back ends: a
// GeoPackage file and PostgreSQL/PostGIS (when scripts/test has started
// one; see store_backends.hpp).

#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/source_store.hpp"
#include "store_backends.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace hotspot::data {
namespace {

namespace fs = std::filesystem;

// One row of a generic CSV in EPSG:27700.
struct Row {
  std::string id;
  double x, y;
  std::string category, time, domestic;
};

std::string write_csv(const fs::path& path, const std::vector<Row>& rows) {
  std::ofstream out(path);
  out << "id,easting,northing,category,occurred_at,domestic\n";
  for (const Row& r : rows) {
    out << r.id << ',' << r.x << ',' << r.y << ',' << r.category << ',' << r.time << ','
        << r.domestic << '\n';
  }
  return path.string();
}

class SourceStoreTest : public testing::StoreBackendTest {
 protected:
  // Reads `rows` as a file and prepares them (no wards: nothing is outside).
  PreparedRows prepare(const std::vector<Row>& rows, const std::string& name = "rows.csv") {
    IncidentSourceOptions options;
    options.path = write_csv(dir_ / name, rows);
    auto prepared = prepare_rows(options, BoundaryLayer{}, 0);
    EXPECT_TRUE(prepared) << prepared.error().message;
    for (const auto& example : prepared->report.examples) {
      ADD_FAILURE() << "line " << example.line << ": " << example.detail;
    }
    return std::move(*prepared);
  }

  SourceRecord add(const std::vector<Row>& rows, const std::string& name) {
    PreparedRows prepared = prepare(rows);
    auto record = store_->add(SourceDescription{"csv", name, "test licence", "", "rows.csv", false},
                              prepared, "tester");
    EXPECT_TRUE(record) << record.error().message;
    return record ? *record : SourceRecord{};
  }

  std::size_t stored_rows() {
    auto contents = store_->read_all();
    EXPECT_TRUE(contents) << contents.error().message;
    std::size_t n = 0;
    for (const auto& source : contents->sources) n += source.rows.size();
    return n;
  }

};

const std::vector<Row> kThree = {
    {"A1", 425000.25, 542000.75, "violence", "2024-03-15T22:41:00Z", "N"},
    {"A2", 425100, 542100, "criminal damage", "2024-03", "Y"},
    {"A3", 426000, 543000, "anti-social behaviour", "2024-03-16", "N"},
};

TEST_P(SourceStoreTest, StartsEmptyAtVersionZero) {
  EXPECT_EQ(*store_->version(), 0);
  EXPECT_TRUE(store_->list()->empty());
  EXPECT_EQ(stored_rows(), 0u);
}

TEST_P(SourceStoreTest, AddedRowsReadBackExactly) {
  const SourceRecord record = add(kThree, "March");
  EXPECT_GT(record.id, 0);
  EXPECT_EQ(record.rows_read, 3);
  EXPECT_EQ(record.rows_accepted, 3);
  EXPECT_EQ(record.added_by, "tester");
  EXPECT_EQ(record.first_occurred, "2024-03-01T00:00:00Z");  // month precision: its start
  EXPECT_EQ(*store_->version(), 1);

  auto contents = store_->read_all();
  ASSERT_TRUE(contents) << contents.error().message;
  ASSERT_EQ(contents->sources.size(), 1u);
  const RowBatch& rows = contents->sources[0].rows;
  ASSERT_EQ(rows.size(), 3u);
  // The prepared table, read the same way, is what the store must give back.
  PreparedRows again = prepare(kThree, "again.csv");
  const IncidentTable& t = *again.table;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::size_t j = 0;
    while (j < t.size() && t.source_id(j) != std::string_view(rows.id_chars).substr(
                                                rows.id_offset[i], rows.id_offset[i + 1] -
                                                                       rows.id_offset[i])) {
      ++j;
    }
    ASSERT_LT(j, t.size());
    ids.insert(std::string(t.source_id(j)));
    EXPECT_DOUBLE_EQ(rows.x[i], t.x[j]);
    EXPECT_DOUBLE_EQ(rows.y[i], t.y[j]);
    EXPECT_EQ(rows.utc[i], t.instant[j]);
    EXPECT_EQ(rows.precision[i], t.precision[j]);
    EXPECT_EQ(rows.category[i], t.category[j]);
    EXPECT_EQ(rows.labels[rows.label[i]], t.category_labels[t.category_label[j]]);
    EXPECT_EQ(rows.domestic[i], t.domestic[j]);
  }
  EXPECT_EQ(ids.size(), 3u);
}

TEST_P(SourceStoreTest, ARowStoredAlreadyIsADuplicateNotStoredTwice) {
  add(kThree, "March");
  std::vector<Row> overlapping = {kThree[1], kThree[2],
                                  {"A4", 425500, 542500, "violence", "2024-04", "N"}};
  const SourceRecord second = add(overlapping, "March and April");
  EXPECT_EQ(second.rows_read, 3);
  EXPECT_EQ(second.rows_duplicate, 2);
  EXPECT_EQ(second.rows_accepted, 1);
  EXPECT_EQ(stored_rows(), 4u);
}

TEST_P(SourceStoreTest, RowsWithoutIdsAreDuplicatesOnlyWhenRepeatedMoreOftenThanInTheFile) {
  // Two identical id-less incidents in one file are two incidents; the same
  // file again adds nothing; a file with a third copy adds one.
  const Row asb{"", 425000, 542000, "anti-social behaviour", "2024-03", "N"};
  EXPECT_EQ(add({asb, asb}, "first").rows_accepted, 2);
  EXPECT_EQ(add({asb, asb}, "again").rows_duplicate, 2);
  const SourceRecord third = add({asb, asb, asb}, "three");
  EXPECT_EQ(third.rows_duplicate, 2);
  EXPECT_EQ(third.rows_accepted, 1);
  EXPECT_EQ(stored_rows(), 3u);
}

TEST_P(SourceStoreTest, ReplaceSwapsTheRowsOfOneSource) {
  const SourceRecord march = add(kThree, "March");
  const SourceRecord other = add({{"B1", 427000, 544000, "violence", "2024-05", "N"}}, "May");
  PreparedRows next = prepare({{"A1", 425000.25, 542000.75, "violence", "2024-03-15T22:41:00Z", "N"},
                               {"A9", 425900, 542900, "public order", "2024-03-20", "N"}});
  auto replaced = store_->replace(
      march.id, SourceDescription{"csv", "March (revised)", "", "", "rows.csv", false}, next,
      "editor");
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(replaced->id, march.id);
  EXPECT_EQ(replaced->name, "March (revised)");
  EXPECT_EQ(replaced->replaced_by, "editor");
  EXPECT_EQ(replaced->rows_accepted, 2);  // A1 is its own old row, not a duplicate
  EXPECT_EQ(replaced->rows_duplicate, 0);
  EXPECT_EQ(*store_->version(), 3);
  EXPECT_EQ(stored_rows(), 3u);
  auto list = store_->list();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].id, other.id);
}

TEST_P(SourceStoreTest, RemoveWithdrawsTheSourceAndDeletesItsRows) {
  const SourceRecord march = add(kThree, "March");
  add({{"B1", 427000, 544000, "violence", "2024-05", "N"}}, "May");
  auto removed = store_->remove(march.id, "editor");
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed->withdrawn_by, "editor");
  EXPECT_FALSE(removed->withdrawn_at.empty());
  EXPECT_EQ(stored_rows(), 1u);
  EXPECT_EQ(store_->list()->size(), 1u);
  EXPECT_EQ(store_->list(true)->size(), 2u);
  // Withdrawn once; a second time it is not found. Its ids may come back.
  EXPECT_EQ(store_->remove(march.id, "editor").error().code, ErrorCode::not_found);
  EXPECT_EQ(add(kThree, "March again").rows_accepted, 3);
}

TEST_P(SourceStoreTest, UnknownIdsAreNotFound) {
  PreparedRows rows = prepare(kThree);
  EXPECT_EQ(store_->replace(999, SourceDescription{"csv", "x", "", "", "", false}, rows, "e")
                .error()
                .code,
            ErrorCode::not_found);
  EXPECT_EQ(store_->remove(999, "e").error().code, ErrorCode::not_found);
  EXPECT_EQ(*store_->version(), 0);
}

TEST_P(SourceStoreTest, ASnapshotLoadsTheStoredSources) {
  add(kThree, "March");
  add({{"B1", 427000, 544000, "violence", "2024-05", "N"}}, "May");
  LoadOptions options;
  options.store = connection_;
  auto snapshot = load_snapshot(options);
  EXPECT_EQ(snapshot->incidents->size(), 4u);
  EXPECT_EQ(snapshot->store_version, 2);
  std::size_t from_store = 0;
  for (const auto& source : snapshot->sources) from_store += source.store_id > 0;
  EXPECT_EQ(from_store, 2u);
  EXPECT_TRUE(load_failures(*snapshot).empty());
  // The version of the snapshot follows the store's.
  const std::string before = snapshot->version;
  store_->remove(store_->list()->front().id, "e");
  auto after = load_snapshot(options);
  EXPECT_EQ(after->incidents->size(), 1u);
  EXPECT_NE(after->version, before);
}

// Every partnership kind's fixture through the store: each field a kind
// carries (end time, alcohol, subtype, location) comes back as it went in.
TEST_P(SourceStoreTest, EveryKindsFieldsSurviveTheStore) {
  const std::string fixtures = HOTSPOT_SOURCE_DIR "/tests/fixtures/kinds/";
  auto venues = VenueList::load(fixtures + "venues-synthetic.csv");
  ASSERT_TRUE(venues) << venues.error().message;
  const auto venue_list = std::make_shared<const VenueList>(std::move(*venues));
  std::size_t with_extras = 0;
  for (const std::string kind : {"police-uk", "police-extract", "council-asb", "fire", "ae-assault"}) {
    SCOPED_TRACE(kind);
    IncidentSourceOptions options;
    options.path = fixtures + kind + "-synthetic.csv";
    options.format = *parse_incident_format(kind);
    options.venues = venue_list;
    auto prepared = prepare_rows(options, BoundaryLayer{}, 0);
    ASSERT_TRUE(prepared) << prepared.error().message;
    const auto table = prepared->table;  // kept: add() counts duplicates into the report only
    auto record = store_->add(SourceDescription{kind, kind, "", "", kind + ".csv", true}, *prepared,
                              "tester");
    ASSERT_TRUE(record) << record.error().message;
    auto contents = store_->read_all();
    ASSERT_TRUE(contents) << contents.error().message;
    const RowBatch& rows = contents->sources.back().rows;
    // The rows stored are the table's, less repeats of a key, in order.
    const std::vector<std::string> keys = row_keys(*table);
    std::set<std::string> seen;
    std::size_t r = 0;
    for (std::size_t i = 0; i < table->size(); ++i) {
      if (!seen.insert(keys[i]).second) continue;
      ASSERT_LT(r, rows.size());
      const auto to = rows.occurred_to.empty() ? kNoOccurredTo : rows.occurred_to[r];
      const auto alcohol = rows.alcohol.empty() ? kAlcoholUnknown : rows.alcohol[r];
      const std::string subtype = rows.subtype.empty() || rows.subtype[r] == kNoSubtype
                                      ? "" : rows.subtype_labels[rows.subtype[r]];
      const std::string location = rows.location.empty() || rows.location[r] == kNoLocation
                                       ? "" : rows.location_labels[rows.location[r]];
      EXPECT_EQ(to, table->occurred_to_of(i));
      EXPECT_EQ(alcohol, table->alcohol_of(i));
      EXPECT_EQ(subtype, table->subtype_label(i));
      EXPECT_EQ(location, table->location_label(i));
      EXPECT_EQ(rows.utc[r], table->instant[i]);
      EXPECT_EQ(rows.category[r], table->category[i]);
      EXPECT_DOUBLE_EQ(rows.x[r], table->x[i]);
      with_extras += to != kNoOccurredTo || alcohol != kAlcoholUnknown || !subtype.empty() ||
                     !location.empty();
      ++r;
    }
    EXPECT_EQ(r, rows.size());
    EXPECT_EQ(static_cast<std::int64_t>(r), record->rows_accepted);
  }
  EXPECT_GT(with_extras, 0u) << "no fixture row carried an optional field: the test tests nothing";
}

INSTANTIATE_TEST_SUITE_P(Backends, SourceStoreTest,
                         ::testing::Values(testing::Backend::geopackage, testing::Backend::postgis),
                         [](const auto& info) { return testing::backend_name(info.param); });

TEST(SourceStoreFailures, AStoreThatCannotBeCreatedSaysWhy) {
  auto store = SourceStore::open("/proc/hotspot-cannot/store.gpkg");
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("store"), std::string::npos) << store.error().message;
}

TEST(SourceStoreFailures, ASnapshotWithAnUnreadableStoreReportsItAndServesTheRest) {
  LoadOptions options;
  options.store = "/nonexistent/hotspot.gpkg";
  auto snapshot = load_snapshot(options);
  EXPECT_EQ(snapshot->incidents->size(), 0u);
  ASSERT_EQ(load_failures(*snapshot).size(), 1u);
}

}  // namespace
}  // namespace hotspot::data
