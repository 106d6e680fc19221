// The source store through a real hotspotd: uploads over HTTP on both back
// ends, a kill -9 in the middle of a large upload, a full disk, two uploads
// at once, and two replicas over one PostgreSQL.

#include "../common/postgis_fixture.hpp"
#include "e2e_support.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct EditorToken {
  std::string token;
  fs::path file;
};

// A real editor token from `hotspot token new`, and a tokens file with its line.
EditorToken make_token(const fs::path& dir) {
  EditorToken out;
  out.file = dir / "tokens";
  std::filesystem::remove(out.file);
  out.token = e2e::new_token(out.file, "editor", "e2e");
  return out;
}

// `rows` incidents near Durham's centre in police.uk's layout, ids
// "<prefix><n>", spread a little so that they are distinct places.
void write_police_uk(const fs::path& path, std::size_t rows, const std::string& prefix) {
  std::ofstream out(path);
  out << "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
         "LSOA name,Crime type,Last outcome category,Context\n";
  for (std::size_t i = 0; i < rows; ++i) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "%s%zu,2024-%02zu,Durham Constabulary,Durham Constabulary,%.6f,%.6f,"
                  "On or near Synthetic Street,,,Violence and sexual offences,,synthetic\n",
                  prefix.c_str(), i, 1 + i % 12, -1.5757 + 0.00001 * static_cast<double>(i % 500),
                  54.7768 + 0.00001 * static_cast<double>(i / 500 % 500));
    out << line;
  }
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// An upload (POST or PUT) of a file as the raw body.
e2e::HttpAnswer upload(int port, const std::string& token, const std::string& method,
                       const std::string& target, const std::string& body, int wait = 120) {
  return e2e::send_raw(port,
                       method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                           (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") +
                           "Content-Length: " + std::to_string(body.size()) +
                           "\r\nConnection: close\r\n\r\n" + body,
                       wait);
}

json sources(int port) { return e2e::get_json(port, "/api/sources?withdrawn=true"); }

// A store for one test on either back end: a GeoPackage in the test's
// folder, or a database of its own on the test PostgreSQL.
class StoreServerTest : public e2e::ServerTest {
 protected:
  void TearDown() override {
    e2e::ServerTest::TearDown();
    if (!database_.empty()) {
      hotspot::testing::pg_execute(maintenance_, "DROP DATABASE " + database_ + " WITH (FORCE)");
    }
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  // The store's connection string; empty (and the test skipped or failed) without one.
  std::string make_store(bool postgres) {
    dir_ = e2e::temp_dir(std::string("hotspot-sources-") + (postgres ? "pg" : "gpkg"));
    if (!postgres) return (dir_ / "store.gpkg").string();
    const char* env = std::getenv("HOTSPOT_TEST_PG");
    if (env == nullptr || *env == '\0') return "";
    const auto base = hotspot::testing::PgConnectionString::parse(env);
    if (!base) return "";
    static int counter = 0;
    database_ = "e2e_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    maintenance_ = base->with("dbname", "postgres").str();
    const std::string error = hotspot::testing::pg_execute(
        maintenance_, "CREATE DATABASE " + database_ + " TEMPLATE \"" + base->get("dbname") + "\"");
    if (!error.empty()) {
      ADD_FAILURE() << error;
      database_.clear();
      return "";
    }
    return base->with("dbname", database_).str();
  }

  // Skips, or fails under HOTSPOT_REQUIRE_PG=1, when no PostgreSQL is given.
  bool require_pg() {
    if (std::getenv("HOTSPOT_TEST_PG") != nullptr) return true;
    const char* required = std::getenv("HOTSPOT_REQUIRE_PG");
    if (required != nullptr && std::string(required) == "1") {
      ADD_FAILURE() << "HOTSPOT_REQUIRE_PG=1 but HOTSPOT_TEST_PG is not set";
    }
    return false;
  }

  fs::path dir_;
  std::string database_, maintenance_;
};

class SourcesOverHttp : public StoreServerTest, public ::testing::WithParamInterface<bool> {};

TEST_P(SourcesOverHttp, AddReplaceAndWithdrawChangeWhatIsServedAndPersist) {
  const bool postgres = GetParam();
  if (postgres && !require_pg()) GTEST_SKIP() << "no HOTSPOT_TEST_PG";
  const std::string store = make_store(postgres);
  ASSERT_FALSE(store.empty());
  const EditorToken editor = make_token(dir_);
  ASSERT_FALSE(editor.token.empty());
  start("sources", {"--store", store, "--tokens", editor.file.string()});

  // The new store holds the bundled synthetic file, and serves it.
  const json seeded = sources(port());
  ASSERT_EQ(seeded["sources"].size(), 1u) << seeded.dump();
  EXPECT_TRUE(seeded["sources"][0]["synthetic"].get<bool>());
  const std::size_t seed_rows = seeded["sources"][0]["rows"]["stored"].get<std::size_t>();
  EXPECT_EQ(e2e::incident_count(port()), seed_rows);

  write_police_uk(dir_ / "march.csv", 40, "M");
  const std::string march = read_file(dir_ / "march.csv");
  EXPECT_EQ(upload(port(), "", "POST", "/api/sources?kind=police-uk&name=March", march).status, 401);
  EXPECT_EQ(upload(port(), editor.token, "POST", "/api/sources?kind=nope&name=March", march).status,
            400);
  const auto added = upload(port(), editor.token, "POST", "/api/sources?kind=police-uk&name=March", march);
  ASSERT_EQ(added.status, 201) << added.body;
  const json answer = json::parse(added.body);
  const int id = answer["source"]["id"].get<int>();
  EXPECT_EQ(added.header("Location"), "/api/sources/" + std::to_string(id));
  EXPECT_EQ(answer["report"]["rows_accepted"], 40);
  EXPECT_TRUE(answer["snapshot"]["served"].get<bool>());
  EXPECT_EQ(e2e::incident_count(port()), seed_rows + 40);

  // The same month again: every row a duplicate, nothing stored twice.
  const auto again = upload(port(), editor.token, "POST", "/api/sources?kind=police-uk&name=Again", march);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(json::parse(again.body)["report"]["rows_duplicate"], 40);
  EXPECT_EQ(e2e::incident_count(port()), seed_rows + 40);

  // Next month's extract replaces it.
  write_police_uk(dir_ / "april.csv", 25, "A");
  const auto replaced = upload(port(), editor.token, "PUT",
                               "/api/sources/" + std::to_string(id) + "?kind=police-uk&name=April",
                               read_file(dir_ / "april.csv"));
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_TRUE(json::parse(replaced.body)["snapshot"]["served"].get<bool>()) << replaced.body;
  EXPECT_EQ(e2e::incident_count(port()), seed_rows + 25);

  // Persisted: a restarted server serves the same.
  e2e::stop(child_);
  start("sources-restart", {"--store", store, "--tokens", editor.file.string()});
  EXPECT_EQ(e2e::incident_count(port()), seed_rows + 25);
  EXPECT_EQ(sources(port())["sources"].size(), 3u);

  // Withdrawn: its rows leave every output at once.
  const auto removed = e2e::send_raw(port(), "DELETE /api/sources/" + std::to_string(id) +
                                                 " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                                 editor.token + "\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(json::parse(removed.body)["snapshot"]["served"].get<bool>()) << removed.body;
  EXPECT_EQ(e2e::incident_count(port()), seed_rows);
  EXPECT_FALSE(json::parse(removed.body)["source"]["withdrawn_at"].is_null());
  EXPECT_EQ(e2e::get_json(port(), "/api/sources")["sources"].size(), 2u);  // without withdrawn
}

INSTANTIATE_TEST_SUITE_P(Backends, SourcesOverHttp, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "postgis" : "geopackage"; });

// Disk is spent only on an editor's upload: with an upload folder that
// cannot be written, an editor's upload fails there (507) while anyone
// else's is answered 401 without the body ever reaching a file.
TEST_F(StoreServerTest, UploadsWithoutAnEditorTokenSpendNoDisk) {
  const std::string store = make_store(false);
  const EditorToken editor = make_token(dir_);
  start("sources-discard", {"--store", store, "--tokens", editor.file.string(), "--upload-folder",
                            (dir_ / "no-such-folder").string()});
  const std::string body(2 << 20, 'x');
  EXPECT_EQ(upload(port(), "", "POST", "/api/sources?kind=csv&name=x", body).status, 401);
  EXPECT_EQ(upload(port(), "not-a-token", "POST", "/api/sources?kind=csv&name=x", body).status, 401);
  EXPECT_EQ(upload(port(), editor.token, "POST", "/api/sources?kind=csv&name=x", body).status, 507);
}

// The store on disk mid-transaction: a rollback journal (or WAL) beside
// it, or a file that has grown.
bool writing(const fs::path& store, std::uintmax_t size_before) {
  std::error_code ec;
  return fs::exists(store.string() + "-journal", ec) || fs::exists(store.string() + "-wal", ec) ||
         fs::file_size(store, ec) > size_before + (1u << 20);
}

TEST_F(StoreServerTest, KillNineDuringALargeUploadLeavesTheStoreAsBefore) {
  const std::string store = make_store(false);
  const EditorToken editor = make_token(dir_);
  start("sources-kill", {"--store", store, "--tokens", editor.file.string()});
  const json before = sources(port());
  const std::size_t served_before = e2e::incident_count(port());
  const char* env_rows = std::getenv("HOTSPOT_KILL_TEST_ROWS");
  const std::size_t rows = env_rows != nullptr ? std::stoul(env_rows) : 1000000;
  write_police_uk(dir_ / "big.csv", rows, "K");
  const std::string body = read_file(dir_ / "big.csv");
  const std::uintmax_t size_before = fs::file_size(store);

  std::atomic<int> status{-1};
  std::thread uploader([&] {
    status = upload(port(), editor.token, "POST", "/api/sources?kind=police-uk&name=Big", body).status;
  });
  const auto give_up = Clock::now() + std::chrono::seconds(300);
  while (!writing(store, size_before) && status == -1 && Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(status, -1) << "the upload finished before the server could be killed";
  ASSERT_TRUE(writing(store, size_before)) << "the upload never started writing";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(child_.pid, SIGKILL);
  uploader.join();
  ::waitpid(child_.pid, nullptr, 0);
  child_.pid = -1;

  start("sources-kill-restart", {"--store", store, "--tokens", editor.file.string()});
  EXPECT_EQ(sources(port()), before);
  EXPECT_EQ(e2e::incident_count(port()), served_before);
}

TEST_F(StoreServerTest, AnUploadToAFullDiskFailsClearlyAndLosesNothing) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root (scripts/test runs as root in CI)";
  make_store(false);
  const fs::path small = dir_ / "small";
  fs::create_directories(small);
  fs::create_directories(dir_ / "spool");
  ASSERT_EQ(::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=8m"), 0)
      << "mount tmpfs: " << std::strerror(errno);
  struct Unmount {
    fs::path at;
    ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmount{small};
  const std::string store = (small / "store.gpkg").string();
  const EditorToken editor = make_token(dir_);
  start("sources-full", {"--store", store, "--tokens", editor.file.string(), "--upload-folder",
                         (dir_ / "spool").string()});
  const json before = sources(port());
  ASSERT_EQ(before["sources"].size(), 1u) << "the seed did not fit in 8 MiB: " << log();
  const std::size_t served_before = e2e::incident_count(port());

  write_police_uk(dir_ / "big.csv", 200000, "F");
  const auto full = upload(port(), editor.token, "POST", "/api/sources?kind=police-uk&name=Big",
                           read_file(dir_ / "big.csv"));
  EXPECT_EQ(full.status, 507) << full.body;
  EXPECT_NE(full.body.find("full"), std::string::npos) << full.body;
  EXPECT_EQ(sources(port()), before);
  EXPECT_EQ(e2e::incident_count(port()), served_before);
  // Still serving, and a file that fits is taken.
  write_police_uk(dir_ / "small.csv", 10, "S");
  const auto fits = upload(port(), editor.token, "POST", "/api/sources?kind=police-uk&name=Small",
                           read_file(dir_ / "small.csv"));
  EXPECT_EQ(fits.status, 201) << fits.body;
  EXPECT_EQ(e2e::incident_count(port()), served_before + 10);
}

TEST_F(StoreServerTest, TwoUploadsAtOnceAreSerialisedWhileReadersAreServed) {
  const std::string store = make_store(false);
  const EditorToken editor = make_token(dir_);
  start("sources-two", {"--store", store, "--tokens", editor.file.string()});
  const std::size_t served_before = e2e::incident_count(port());
  write_police_uk(dir_ / "a.csv", 60000, "A");
  write_police_uk(dir_ / "b.csv", 60000, "B");
  const std::string a = read_file(dir_ / "a.csv"), b = read_file(dir_ / "b.csv");
  std::atomic<int> done{0};
  int status_a = 0, status_b = 0;
  std::thread first([&] {
    status_a = upload(port(), editor.token, "POST", "/api/sources?kind=police-uk&name=A", a).status;
    ++done;
  });
  std::thread second([&] {
    status_b = upload(port(), editor.token, "POST", "/api/sources?kind=police-uk&name=B", b).status;
    ++done;
  });
  int answered = 0, failed = 0;
  while (done < 2) {
    const auto health = e2e::request(port(), "GET", "/api/health");
    (health.status == 200 ? answered : failed)++;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  first.join();
  second.join();
  EXPECT_EQ(status_a, 201);
  EXPECT_EQ(status_b, 201);
  EXPECT_EQ(failed, 0);
  EXPECT_GT(answered, 3) << "health was not answered while the uploads ran";
  const json list = sources(port());
  ASSERT_EQ(list["sources"].size(), 3u);
  EXPECT_EQ(list["store"]["version"], 3);  // the seed, then one change each
  EXPECT_EQ(e2e::incident_count(port()), served_before + 120000);
}

TEST_F(StoreServerTest, TwoReplicasOverOnePostgisAgreeWithinFiveSeconds) {
  if (!require_pg()) GTEST_SKIP() << "no HOTSPOT_TEST_PG";
  const std::string store = make_store(true);
  ASSERT_FALSE(store.empty());
  const EditorToken editor = make_token(dir_);
  start("replica-a", {"--store", store, "--tokens", editor.file.string()});
  const std::string log_b = ::testing::TempDir() + "replica-b.log";
  e2e::Child b = e2e::start_hotspotd({"--port", "0", "--threads", "2", "--store", store,
                                      "--store-poll", "1"},
                                     log_b);
  ASSERT_GT(b.port, 0);
  struct StopB {
    e2e::Child& child;
    ~StopB() { e2e::stop(child); }
  } stop_b{b};
  const std::size_t seed = e2e::incident_count(port());
  EXPECT_EQ(e2e::incident_count(b.port), seed);

  write_police_uk(dir_ / "march.csv", 30, "R");
  const auto added = upload(port(), editor.token, "POST", "/api/sources?kind=police-uk&name=March",
                            read_file(dir_ / "march.csv"));
  ASSERT_EQ(added.status, 201) << added.body;
  const auto committed = Clock::now();
  while (e2e::incident_count(b.port) != seed + 30 &&
         Clock::now() - committed < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - committed).count();
  EXPECT_EQ(e2e::incident_count(b.port), seed + 30);
  EXPECT_LT(seconds, 5.0);
  EXPECT_EQ(sources(b.port)["sources"], sources(port())["sources"]);
}

}  // namespace
