// Saved analyses' records and the data they are answered from, on both
// store back ends (store_backends.hpp): the table keeps its records across
// opens; a source added later is left out of an analysis's data; a source
// withdrawn or replaced since, or other start-up files, make it gone, with
// the reason.

#include "hotspot/data/saved_analyses.hpp"
#include "hotspot/data/snapshot.hpp"
#include "store_backends.hpp"
#include "temp_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace hotspot::data {
namespace {

namespace fs = std::filesystem;

std::string csv(const std::vector<std::string>& rows) {
  std::string out = "id,easting,northing,category,occurred_at\n";
  for (const auto& row : rows) out += row + "\n";
  return out;
}

const std::string kMarch = csv({"M1,425000,542000,violence,2024-03-15T22:41:00Z",
                                "M2,425100,542100,criminal damage,2024-03-16T01:10:00Z",
                                "M3,426000,543000,violence,2024-03-17"});
const std::string kMay = csv({"Y1,427000,544000,violence,2024-05-02T23:00:00Z",
                              "Y2,425050,542050,violence,2024-05-03T00:30:00Z"});

// Every row of `t` as text: position, time, category, id and source.
std::vector<std::string> rows_of(const IncidentTable& t) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    out.push_back(std::to_string(t.x[i]) + "," + std::to_string(t.y[i]) + "," +
                  std::to_string(t.instant[i]) + "," + t.category_labels[t.category_label[i]] +
                  "," + std::string(t.source_id(i)) + "," + std::to_string(t.source[i]));
  }
  return out;
}

class SavedAnalysesTest : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped()) return;
    auto book = AnalysisBook::open(connection_);
    ASSERT_TRUE(book) << book.error().message;
    book_ = *book;
  }
  void TearDown() override {
    book_.reset();
    StoreBackendTest::TearDown();
  }

  PreparedRows rows(const std::string& text) {
    IncidentSourceOptions options;
    options.path = (dir_ / "rows.csv").string();
    std::ofstream(options.path) << text;
    auto prepared = prepare_rows(options, BoundaryLayer{}, 0);
    EXPECT_TRUE(prepared) << prepared.error().message;
    return std::move(*prepared);
  }

  SourceRecord add(const std::string& text, const std::string& name) {
    PreparedRows prepared = rows(text);
    auto record = store_->add(SourceDescription{"csv", name, "", "", "rows.csv", false}, prepared,
                              "tester");
    EXPECT_TRUE(record) << record.error().message;
    return record ? *record : SourceRecord{};
  }

  std::shared_ptr<const Snapshot> load() {
    LoadOptions options;
    options.store = connection_;
    options.threads = 1;
    return load_snapshot(options);
  }

  // The record an analysis made now would have.
  AnalysisRecord saved_now(const Snapshot& snapshot) {
    auto records = store_->list(true);
    EXPECT_TRUE(records) << records.error().message;
    AnalysisRecord record = describe_data(snapshot, *records);
    record.name = "night violence";
    record.method = "hotspots/dbscan";
    record.parameters = "eps=100&min_points=2";
    return record;
  }

  std::optional<Error> problem(const Snapshot& now, const AnalysisRecord& record) {
    auto records = store_->list(true);
    EXPECT_TRUE(records) << records.error().message;
    return saved_data_problem(now, record, *records, true);
  }

  std::shared_ptr<AnalysisBook> book_;
};

TEST_P(SavedAnalysesTest, RecordsSurviveReopeningAndAreBounded) {
  add(kMarch, "March");
  const auto snapshot = load();
  auto first = book_->add(saved_now(*snapshot), 2);
  ASSERT_TRUE(first) << first.error().message;
  AnalysisRecord other = saved_now(*snapshot);
  other.name = "second, with 'quotes' and é";
  auto second = book_->add(other, 2);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_NE(first->id, second->id);
  EXPECT_FALSE(first->created_at.empty());
  // Full: the third is refused and nothing is written.
  auto third = book_->add(saved_now(*snapshot), 2);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::payload_too_large);

  // Another process's view: a fresh open of the same table.
  auto reopened = AnalysisBook::open(connection_);
  ASSERT_TRUE(reopened) << reopened.error().message;
  auto list = (*reopened)->list();
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  const AnalysisRecord& back = (*list)[1];
  EXPECT_EQ(back.id, second->id);
  EXPECT_EQ(back.name, other.name);
  EXPECT_EQ(back.method, "hotspots/dbscan");
  EXPECT_EQ(back.parameters, "eps=100&min_points=2");
  EXPECT_EQ(back.created_at, second->created_at);
  EXPECT_EQ(back.snapshot_version, snapshot->version);
  EXPECT_EQ(back.files_version, snapshot->files_version);
  EXPECT_EQ(back.loaded_at, snapshot->report.loaded_at);
  EXPECT_EQ(back.store_version, snapshot->store_version);
  ASSERT_EQ(back.sources.size(), 1u);
  EXPECT_EQ(back.sources[0].id, store_->list()->front().id);
  EXPECT_EQ((*reopened)->get(first->id)->name, "night violence");
  EXPECT_EQ((*reopened)->get(9999).error().code, ErrorCode::not_found);
}

TEST_P(SavedAnalysesTest, ASourceAddedLaterIsLeftOut) {
  add(kMarch, "March");
  const auto then = load();
  const AnalysisRecord record = saved_now(*then);
  add(kMay, "May");
  const auto now = load();
  ASSERT_EQ(now->incidents->size(), 5u);
  EXPECT_NE(now->version, then->version);
  EXPECT_EQ(now->files_version, then->files_version);

  EXPECT_FALSE(problem(*now, record));
  const auto view = saved_snapshot(now, record);
  // The rows, sources and version of the snapshot it was made on, and
  // nothing of May's.
  EXPECT_EQ(rows_of(*view->incidents), rows_of(*then->incidents));
  EXPECT_EQ(view->version, then->version);
  EXPECT_EQ(view->report.loaded_at, then->report.loaded_at);
  ASSERT_EQ(view->sources.size(), then->sources.size());
  for (std::size_t i = 0; i < view->sources.size(); ++i) {
    EXPECT_EQ(view->sources[i].path, then->sources[i].path);
    EXPECT_EQ(view->sources[i].store_id, then->sources[i].store_id);
    EXPECT_EQ(view->sources[i].loaded_at, then->sources[i].loaded_at);
  }
}

TEST_P(SavedAnalysesTest, AWithdrawnSourceIsGoneWithWhenAndWho) {
  const SourceRecord march = add(kMarch, "March");
  add(kMay, "May");
  const AnalysisRecord record = saved_now(*load());
  ASSERT_EQ(record.sources.size(), 2u);
  auto removed = store_->remove(march.id, "duty editor");
  ASSERT_TRUE(removed) << removed.error().message;
  auto why = problem(*load(), record);
  ASSERT_TRUE(why);
  EXPECT_EQ(why->code, ErrorCode::gone);
  EXPECT_NE(why->message.find("source " + std::to_string(march.id) + " (March) was withdrawn on " +
                              removed->withdrawn_at + " by duty editor"),
            std::string::npos)
      << why->message;
}

TEST_P(SavedAnalysesTest, AReplacedSourceIsGone) {
  const SourceRecord march = add(kMarch, "March");
  const AnalysisRecord record = saved_now(*load());
  PreparedRows again = rows(kMay);
  auto replaced = store_->replace(march.id, SourceDescription{"csv", "March v2", "", "", "", false},
                                  again, "analyst");
  ASSERT_TRUE(replaced) << replaced.error().message;
  auto why = problem(*load(), record);
  ASSERT_TRUE(why);
  EXPECT_EQ(why->code, ErrorCode::gone);
  EXPECT_NE(why->message.find("(March v2) was replaced on " + replaced->replaced_at + " by analyst"),
            std::string::npos)
      << why->message;
  // An analysis saved after the replacement is answered.
  const auto now = load();
  EXPECT_FALSE(problem(*now, saved_now(*now)));
}

INSTANTIATE_TEST_SUITE_P(Backends, SavedAnalysesTest,
                         ::testing::Values(testing::Backend::geopackage, testing::Backend::postgis),
                         [](const auto& info) { return testing::backend_name(info.param); });

// Start-up files: a changed file makes every analysis made on the old one gone.
TEST(SavedAnalysesFiles, AChangedStartUpFileIsGone) {
  testing::TempFiles files;
  LoadOptions options;
  IncidentSourceOptions source;
  source.path = files.write("incidents.csv", kMarch);
  options.incidents.push_back(source);
  options.threads = 1;
  const auto then = load_snapshot(options);
  const AnalysisRecord record = describe_data(*then, {});
  EXPECT_TRUE(record.sources.empty());
  // The same bytes again: a new load time, the same data.
  const auto same = load_snapshot(options);
  EXPECT_FALSE(saved_data_problem(*same, record, {}, false));
  EXPECT_EQ(rows_of(*saved_snapshot(same, record)->incidents), rows_of(*then->incidents));
  EXPECT_EQ(saved_snapshot(same, record)->report.loaded_at, then->report.loaded_at);

  files.write("incidents.csv", kMay);
  const auto changed = load_snapshot(options);
  auto why = saved_data_problem(*changed, record, {}, false);
  ASSERT_TRUE(why);
  EXPECT_EQ(why->code, ErrorCode::gone);
  EXPECT_NE(why->message.find("start-up files"), std::string::npos) << why->message;
  EXPECT_NE(why->message.find(changed->files_version), std::string::npos) << why->message;
}

TEST(SavedAnalysesFiles, SourcesTextRoundTrips) {
  const std::vector<SavedSource> sources{{3, ""}, {7, "2024-06-02T10:00:00Z"}};
  const auto back = sources_from_text(sources_text(sources));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].id, 3);
  EXPECT_EQ(back[0].replaced_at, "");
  EXPECT_EQ(back[1].id, 7);
  EXPECT_EQ(back[1].replaced_at, "2024-06-02T10:00:00Z");
  EXPECT_TRUE(sources_from_text("").empty());
}

}  // namespace
}  // namespace hotspot::data
