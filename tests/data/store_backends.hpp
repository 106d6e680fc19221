#pragma once
// Where the store tests keep their store: a GeoPackage in the test's own
// folder, or a database of its own made from the PostgreSQL template that
// scripts/test starts (HOTSPOT_TEST_PG; see tests/common/postgis_fixture.hpp).
// Without that database the PostGIS tests are skipped, unless
// HOTSPOT_REQUIRE_PG=1 (set by scripts/test), when they fail: CI must not
// pass by skipping them.

#include "../common/postgis_fixture.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/source_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

namespace hotspot::data::testing {

enum class Backend { geopackage, postgis };

inline std::string backend_name(Backend b) {
  return b == Backend::geopackage ? "geopackage" : "postgis";
}

// A connection string to an empty store for one test; an Error means skip.
inline Expected<std::string> fresh_store(Backend backend, const std::filesystem::path& dir) {
  GDALAllRegister();
  if (backend == Backend::geopackage) return (dir / "store.gpkg").string();
  const char* env = std::getenv("HOTSPOT_TEST_PG");
  if (env == nullptr || *env == '\0') {
    const char* required = std::getenv("HOTSPOT_REQUIRE_PG");
    if (required != nullptr && std::string(required) == "1") {
      ADD_FAILURE() << "HOTSPOT_REQUIRE_PG=1 but HOTSPOT_TEST_PG names no database";
    }
    return make_error(ErrorCode::unavailable, "no test database (HOTSPOT_TEST_PG)");
  }
  const auto base = hotspot::testing::PgConnectionString::parse(env);
  if (!base) {
    ADD_FAILURE() << "HOTSPOT_TEST_PG is not a PG: connection string";
    return make_error(ErrorCode::unavailable, "bad HOTSPOT_TEST_PG");
  }
  static std::atomic<int> counter{0};
  const std::string name = "store_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  const std::string error =
      hotspot::testing::pg_execute(base->with("dbname", "postgres").str(),
                                   "CREATE DATABASE " + name + " TEMPLATE \"" + base->get("dbname") + "\"");
  if (!error.empty()) {
    ADD_FAILURE() << error;
    return make_error(ErrorCode::unavailable, error);
  }
  return base->with("dbname", name).str();
}

inline void drop_store(Backend backend, const std::string& connection) {
  if (backend != Backend::postgis || connection.empty()) return;
  const auto c = hotspot::testing::PgConnectionString::parse(connection);
  if (!c) return;
  hotspot::testing::pg_execute(c->with("dbname", "postgres").str(),
                               "DROP DATABASE " + c->get("dbname") + " WITH (FORCE)");
}

// A test's own folder and empty store, opened, on the back end the test
// is instantiated with; skipped when that back end is not available.
class StoreBackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(test.begin(), test.end(), '/', '-');
    dir_ = std::filesystem::temp_directory_path() /
           ("hotspot-store-" + std::to_string(::getpid()) + "-" + test);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto connection = fresh_store(GetParam(), dir_);
    if (!connection) GTEST_SKIP() << connection.error().message;
    connection_ = *connection;
    auto store = SourceStore::open(connection_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = *store;
  }
  void TearDown() override {
    store_.reset();
    drop_store(GetParam(), connection_);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::filesystem::path dir_;
  std::string connection_;
  std::shared_ptr<SourceStore> store_;
};

}  // namespace hotspot::data::testing
