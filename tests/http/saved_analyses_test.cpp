// /api/analyses on handle(), with start-up files and a GeoPackage of
// saved analyses (hotspotd --analyses): who may save, strict parameters,
// the answer against the live endpoint, byte-identical GeoJSON after a
// restart, and a changed start-up file making the analysis gone.

#include "handler_fixture.hpp"

#include "hotspot/auth/tokens.hpp"
#include "hotspot/http/saved_analyses.hpp"

#include <thread>

namespace hotspot::http::fixture {
namespace {

constexpr const char* kEditor = "editor-token-saved-1";
constexpr const char* kViewer = "viewer-token-saved-2";

void write_rows(const fs::path& path, const std::vector<Row>& rows) {
  std::ofstream csv(path);
  csv << "id,lon,lat,category,occurred_at\n";
  for (const auto& r : rows) csv << r.id << ',' << r.lon << ',' << r.lat << ',' << r.label << ',' << r.time << '\n';
}

// (StoreFixture for its checks; its suite-wide store is not used.)
class SavedAnalysesHttp : public StoreFixture {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() /
           ("hotspot-saved-http-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    write_rows(folder_ / "incidents.csv", kRows);
    std::ofstream(folder_ / "tokens") << auth::token_line(kEditor, auth::Role::editor, "ed") << "\n"
                                   << auth::token_line(kViewer, auth::Role::viewer, "vi") << "\n";
    tokens_ = std::make_unique<auth::TokenStore>((folder_ / "tokens").string());
    ASSERT_TRUE(tokens_->reload());
    restart();
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
  static void TearDownTestSuite() {}  // no suite-wide store to remove

  // What a restarted hotspotd has: the files loaded again, the table opened again.
  void restart() {
    data_ = std::make_unique<data::Store>();
    data_->replace(testing::load_with_bundled_layers(folder_ / "incidents.csv"));
    auto book = data::AnalysisBook::open((folder_ / "analyses.gpkg").string());
    ASSERT_TRUE(book) << book.error().message;
    book_ = *book;
  }

  Context context() const {
    Context c;
    c.store = data_.get();
    c.tokens = tokens_.get();
    c.analyses.book = book_;
    c.analyses.max_count = max_count_;
    return c;
  }

  Response send(const std::string& method, const std::string& target, const char* token = nullptr,
                const Context* given = nullptr) {
    auto request = make_request(method, target);
    EXPECT_TRUE(request);
    if (token != nullptr) request->headers.emplace_back("authorization", std::string("Bearer ") + token);
    return handle(*request, given ? *given : context());
  }

  // Saves and returns the new analysis's id (0 on failure).
  std::int64_t save(const std::string& query, const char* token = kViewer) {
    const Response r = send("POST", "/api/analyses?" + query, token);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return 0;
    return json::parse(r.body)["analysis"]["id"].get<std::int64_t>();
  }

  fs::path folder_;
  std::unique_ptr<auth::TokenStore> tokens_;
  std::unique_ptr<data::Store> data_;
  std::shared_ptr<data::AnalysisBook> book_;
  std::size_t max_count_ = 3;
};

TEST_F(SavedAnalysesHttp, SavingNeedsATokenOfAnyRole) {
  const std::string query = "/api/analyses?method=stats/wards&name=wards";
  Context no_tokens = context();
  no_tokens.tokens = nullptr;
  expect_error(send("POST", query, nullptr, &no_tokens), 403, "forbidden", "--tokens");
  expect_error(send("POST", query), 401, "unauthorized", "Authorization");
  expect_error(send("POST", query, "not-a-token"), 401, "unauthorized", "not known");
  EXPECT_GT(save("method=stats/wards&name=viewer's", kViewer), 0);
  EXPECT_GT(save("method=stats/wards&name=editor's", kEditor), 0);
  const json list = json::parse(send("GET", "/api/analyses").body);
  ASSERT_EQ(list["analyses"].size(), 2u);
  EXPECT_EQ(list["analyses"][0]["created_by"], "vi");
  EXPECT_EQ(list["analyses"][1]["created_by"], "ed");
  // Without a place to keep them, saving and reading are off.
  Context off = context();
  off.analyses.book = nullptr;
  expect_error(send("GET", "/api/analyses", nullptr, &off), 404, "not_found", "--analyses");
  expect_error(send("POST", query, kViewer, &off), 404, "not_found", "--analyses");
}

TEST_F(SavedAnalysesHttp, ParametersAreTheEndpointsAndStrict) {
  expect_error(send("POST", "/api/analyses?name=x", kViewer), 400, "invalid_parameter", "'method' is required");
  expect_error(send("POST", "/api/analyses?name=x&method=incidents", kViewer), 400, "invalid_parameter",
               "hotspots/dbscan");
  expect_error(send("POST", "/api/analyses?name=x&method=hotspots/dbscan&eps=abc", kViewer), 400,
               "invalid_parameter", "'eps'");
  expect_error(send("POST", "/api/analyses?name=x&method=hotspots/dbscan&cell=100", kViewer), 400,
               "unknown_parameter", "cell");
  expect_error(send("POST", "/api/analyses?method=hotspots/kde", kViewer), 400, "invalid_parameter",
               "'name' is required");
  expect_error(send("POST", "/api/analyses?name=%20%20&method=hotspots/kde", kViewer), 400,
               "invalid_parameter", "'name' is required");
  expect_error(send("POST", "/api/analyses?method=hotspots/kde&name=" + std::string(201, 'n'), kViewer),
               400, "invalid_parameter", "at most 200");
  expect_error(send("POST", "/api/analyses?method=hotspots/kde&name=a%0Ab", kViewer), 400,
               "invalid_parameter", "control");
  // Only the canonical form is kept: the preset's filters spelled out, defaults filled in.
  const std::int64_t id = save("method=hotspots/dbscan&name=nte&preset=nte&eps=250");
  const json saved = json::parse(send("GET", "/api/analyses").body)["analyses"][0];
  EXPECT_EQ(saved["id"], id);
  const std::string parameters = saved["parameters"];
  EXPECT_NE(parameters.find("eps=250"), std::string::npos) << parameters;
  EXPECT_NE(parameters.find("min_points=10"), std::string::npos) << parameters;
  EXPECT_NE(parameters.find("days=fri,sat"), std::string::npos) << parameters;
  EXPECT_NE(parameters.find("category=violence,criminal_damage"), std::string::npos) << parameters;
  // Bounded: the fixture keeps three.
  save("method=stats/wards&name=2");
  save("method=stats/wards&name=3");
  expect_error(send("POST", "/api/analyses?method=stats/wards&name=4", kViewer), 413,
               "payload_too_large", "3 saved analyses");
  expect_error(send("GET", "/api/analyses/999"), 404, "not_found", "999");
  expect_error(send("GET", "/api/analyses/abc"), 404, "not_found", "abc");
}

TEST_F(SavedAnalysesHttp, AnswersAsTheLiveEndpointWithItsOwnMetadata) {
  max_count_ = 10;
  for (const std::string method : {"hotspots/dbscan", "hotspots/kde", "hotspots/gistar", "stats/wards",
                                   "stats/groups", "compare"}) {
    std::string query = method == "hotspots/dbscan" ? "&eps=500&min_points=2"
                        : method == "compare"
                            ? "&a_from=2024-03-01&a_to=2024-04-30&b_from=2024-05-01&b_to=2024-06-30"
                            : "";
    const std::int64_t id = save("method=" + method + "&name=" + method + query);
    ASSERT_GT(id, 0);
    const Response saved = send("GET", "/api/analyses/" + std::to_string(id));
    ASSERT_EQ(saved.status, 200) << saved.body;
    EXPECT_EQ(saved.content_type, "application/geo+json");
    const json answer = json::parse(saved.body);
    const json record = json::parse(send("GET", "/api/analyses").body)["analyses"].back();
    const Response live = send("GET", "/api/" + method + "?" + record["parameters"].get<std::string>());
    ASSERT_EQ(live.status, 200) << live.body;
    const json expected = json::parse(live.body);
    EXPECT_EQ(answer["features"], expected["features"]) << method;
    EXPECT_EQ(answer["metadata"]["parameters"], expected["metadata"]["parameters"]) << method;
    EXPECT_EQ(answer["metadata"]["counts"], expected["metadata"]["counts"]) << method;
    EXPECT_EQ(answer["metadata"]["generated_at"], record["created_at"]) << method;
    EXPECT_EQ(answer["metadata"]["analysis"]["name"], method);
    EXPECT_EQ(answer["metadata"]["snapshot_version"], record["snapshot_version"]);
    // The downloads of the endpoint.
    const Response gpkg = send("GET", "/api/analyses/" + std::to_string(id) + "?format=gpkg");
    EXPECT_EQ(gpkg.status, 200) << gpkg.body;
    EXPECT_EQ(gpkg.content_type, "application/geopackage+sqlite3");
    expect_error(send("GET", "/api/analyses/" + std::to_string(id) + "?eps=3"), 400, "unknown_parameter", "eps");
  }
}

TEST_F(SavedAnalysesHttp, ByteIdenticalAfterARestartAndGoneWhenTheFileChanges) {
  const std::int64_t id = save("method=hotspots/dbscan&name=clusters&eps=500&min_points=2");
  const std::string url = "/api/analyses/" + std::to_string(id);
  const Response before = send("GET", url);
  ASSERT_EQ(before.status, 200) << before.body;
  const std::string loaded_before = json::parse(before.body)["metadata"]["loaded_at"];
  // A second apart, so that the restart's load time differs.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  restart();
  EXPECT_NE(data_->current()->report.loaded_at, loaded_before);
  const Response after = send("GET", url);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.body, before.body);

  // The file changes (one row fewer): the analysis is gone, with the reason.
  write_rows(folder_ / "incidents.csv", std::vector<Row>(kRows.begin(), kRows.end() - 1));
  restart();
  expect_error(send("GET", url), 410, "gone", "start-up files");
  const json listed = json::parse(send("GET", "/api/analyses").body)["analyses"][0];
  EXPECT_EQ(listed["status"], "gone");
  EXPECT_NE(listed["reason"].get<std::string>().find("start-up files"), std::string::npos);
  // The function other modules call says the same.
  const auto features = saved_analysis_features(context(), id, Deadline::none());
  ASSERT_FALSE(features);
  EXPECT_EQ(features.error().code, ErrorCode::gone);
}

// /api/profile answers plain JSON: saved, it answers the same JSON, without downloads.
TEST_F(SavedAnalysesHttp, AProfileAnswersItsJson) {
  const std::int64_t id = save("method=profile&name=evenings&window=18:00-06:00");
  const std::string url = "/api/analyses/" + std::to_string(id);
  const Response saved = send("GET", url);
  ASSERT_EQ(saved.status, 200) << saved.body;
  const json answer = json::parse(saved.body);
  const json record = json::parse(send("GET", "/api/analyses").body)["analyses"][0];
  const Response live = send("GET", "/api/profile?" + record["parameters"].get<std::string>());
  ASSERT_EQ(live.status, 200) << live.body;
  const json expected = json::parse(live.body);
  EXPECT_EQ(answer["hour_of_week"], expected["hour_of_week"]);
  EXPECT_EQ(answer["monthly"], expected["monthly"]);
  EXPECT_EQ(answer["metadata"]["parameters"], expected["metadata"]["parameters"]);
  EXPECT_EQ(answer["metadata"]["generated_at"], record["created_at"]);
  expect_error(send("GET", url + "?format=gpkg"), 400, "unknown_parameter", "JSON only");
  const auto features = saved_analysis_features(context(), id, Deadline::none());
  ASSERT_FALSE(features);
  EXPECT_EQ(features.error().code, ErrorCode::invalid_parameter);
}

TEST_F(SavedAnalysesHttp, OtherModulesGetTheListAndTheFeatures) {
  const std::int64_t id = save("method=stats/wards&name=wards");
  auto list = list_saved_analyses(context());
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().name, "wards");
  auto features = saved_analysis_features(context(), id, Deadline::none());
  ASSERT_TRUE(features) << features.error().message;
  const json answer = json::parse(send("GET", "/api/analyses/" + std::to_string(id)).body);
  EXPECT_EQ(features->table.features.size(), answer["features"].size());
  EXPECT_EQ(features->metadata["generated_at"], answer["metadata"]["generated_at"]);
}

}  // namespace
}  // namespace hotspot::http::fixture
