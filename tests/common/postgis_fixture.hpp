#pragma once
// A fresh, empty PostgreSQL + PostGIS database per test, through GDAL's PG
// driver (the project does not link libpq). docs/testing.md#postgresql.
//
//   class MyStoreTest : public hotspot::testing::PostgisTest {};
//   TEST_F(MyStoreTest, X) {
//     GDALDatasetUniquePtr ds = open_database();   // or connection()
//     ...
//   }
//
// HOTSPOT_TEST_PG is the GDAL connection string of a template database with
// PostGIS, as scripts/pg-cluster prints it:
//   PG:host=127.0.0.1 port=N dbname=hotspot_test user=postgres
// Each test gets CREATE DATABASE test_<pid>_<n>_<test name> TEMPLATE <that
// database> (about 0.1 s), made through the server's "postgres" database, and
// DROP DATABASE ... WITH (FORCE) when it ends; HOTSPOT_KEEP_PG_DB=1 keeps it
// (the name is printed). Tests never connect to the template itself: CREATE
// DATABASE refuses a template someone is connected to.
//
// Without HOTSPOT_TEST_PG the test is skipped, unless HOTSPOT_REQUIRE_PG=1
// (scripts/test sets both), when it fails.

#include <gtest/gtest.h>

#include <cpl_error.h>
#include <gdal.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hotspot::testing {

// libpq "key=value ..." connection settings (values may be 'quoted'), after
// GDAL's "PG:" prefix. Enough of libpq's syntax for test connection strings.
class PgConnectionString {
 public:
  static std::optional<PgConnectionString> parse(const std::string& text) {
    if (text.rfind("PG:", 0) != 0) return std::nullopt;
    PgConnectionString c;
    std::size_t i = 3;
    const auto skip_space = [&] {
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    };
    for (;;) {
      skip_space();
      if (i == text.size()) break;
      std::string key;
      while (i < text.size() && text[i] != '=' &&
             !std::isspace(static_cast<unsigned char>(text[i])))
        key += text[i++];
      skip_space();
      if (i == text.size() || text[i] != '=' || key.empty()) return std::nullopt;
      ++i;
      skip_space();
      std::string value;
      if (i < text.size() && text[i] == '\'') {
        ++i;
        for (;; ++i) {
          if (i == text.size()) return std::nullopt;
          if (text[i] == '\\' && i + 1 < text.size()) {
            value += text[++i];
          } else if (text[i] == '\'') {
            ++i;
            break;
          } else {
            value += text[i];
          }
        }
      } else {
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
          value += text[i++];
      }
      c.settings_.emplace_back(std::move(key), std::move(value));
    }
    return c;
  }

  std::string get(const std::string& key) const {
    for (const auto& [k, v] : settings_)
      if (k == key) return v;
    return {};
  }
  PgConnectionString with(const std::string& key, const std::string& value) const {
    PgConnectionString c = *this;
    for (auto& [k, v] : c.settings_)
      if (k == key) {
        v = value;
        return c;
      }
    c.settings_.emplace_back(key, value);
    return c;
  }
  std::string str() const {
    std::string out = "PG:";
    for (const auto& [k, v] : settings_) {
      if (out.size() > 3) out += ' ';
      out += k + '=';
      // Quoted only when it must be: GDAL reads some settings (active_schema=)
      // itself and does not unquote them.
      bool plain = !v.empty();
      for (char ch : v)
        if (std::isspace(static_cast<unsigned char>(ch)) || ch == '\'' || ch == '\\') plain = false;
      if (plain) {
        out += v;
        continue;
      }
      out += '\'';
      for (char ch : v) {
        if (ch == '\'' || ch == '\\') out += '\\';
        out += ch;
      }
      out += '\'';
    }
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> settings_;
};

// Runs one statement that returns no rows (CREATE/DROP DATABASE, DDL, ...)
// on its own connection. GDAL's PG driver runs statements other than SELECT
// ... FROM outside a transaction, which CREATE DATABASE needs. Returns the
// error message, empty on success.
inline std::string pg_execute(const std::string& connection, const std::string& sql) {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
  CPLErrorReset();
  CPLPushErrorHandler(CPLQuietErrorHandler);
  const char* const drivers[] = {"PostgreSQL", nullptr};
  GDALDatasetUniquePtr ds(GDALDataset::Open(connection.c_str(), GDAL_OF_VECTOR, drivers));
  std::string error;
  if (!ds) {
    error = "cannot open " + connection + ": " + CPLGetLastErrorMsg();
  } else {
    CPLErrorReset();
    OGRLayer* result = ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result) ds->ReleaseResultSet(result);
    if (CPLGetLastErrorType() >= CE_Failure) error = sql + ": " + CPLGetLastErrorMsg();
  }
  ds.reset();
  CPLPopErrorHandler();
  return error;
}

class PostgisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* env = std::getenv("HOTSPOT_TEST_PG");
    if (!env || !*env) {
      const char* require = std::getenv("HOTSPOT_REQUIRE_PG");
      if (require && std::string(require) == "1")
        GTEST_FAIL() << "HOTSPOT_REQUIRE_PG=1 but HOTSPOT_TEST_PG is not set "
                        "(scripts/test starts a cluster with scripts/pg-cluster)";
      GTEST_SKIP() << "HOTSPOT_TEST_PG is not set: no PostgreSQL to test against "
                      "(scripts/pg-cluster start DIR prints one)";
    }
    const auto base = PgConnectionString::parse(env);
    ASSERT_TRUE(base) << "HOTSPOT_TEST_PG is not a PG: connection string: " << env;
    const std::string template_db = base->get("dbname");
    ASSERT_FALSE(template_db.empty()) << "HOTSPOT_TEST_PG names no dbname: " << env;

    maintenance_ = base->with("dbname", "postgres").str();
    name_ = unique_name();
    const std::string error = pg_execute(
        maintenance_, "CREATE DATABASE " + name_ + " TEMPLATE \"" + template_db + "\"");
    ASSERT_EQ(error, "") << "could not create the test's database";
    created_ = true;
    connection_ = base->with("dbname", name_).str();
  }

  void TearDown() override {
    if (!created_) return;
    const char* keep = std::getenv("HOTSPOT_KEEP_PG_DB");
    if (keep && std::string(keep) == "1") {
      std::cerr << "HOTSPOT_KEEP_PG_DB=1: kept " << connection_ << "\n";
      return;
    }
    // FORCE ends connections the test left open.
    const std::string error = pg_execute(maintenance_, "DROP DATABASE " + name_ + " WITH (FORCE)");
    EXPECT_EQ(error, "") << "could not drop the test's database";
  }

  // The test's own database: a GDAL connection string, and its name.
  const std::string& connection() const { return connection_; }
  const std::string& database_name() const { return name_; }

  // The test's database opened for update through GDAL's PG driver.
  GDALDatasetUniquePtr open_database() const {
    const char* const drivers[] = {"PostgreSQL", nullptr};
    return GDALDatasetUniquePtr(GDALDataset::Open(
        connection_.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE | GDAL_OF_VERBOSE_ERROR, drivers));
  }

 private:
  // test_<pid>_<n>_<test name>: unique across processes sharing the cluster
  // (ctest -j, the stages), readable in the server log; at most 63 bytes.
  static std::string unique_name() {
    static std::atomic<int> counter{0};
    std::string name = "test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_";
    if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
      for (char ch : std::string(info->test_suite_name()) + "_" + info->name()) {
        const auto c = static_cast<unsigned char>(ch);
        name += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '_';
      }
    }
    return name.substr(0, 63);
  }

  std::string maintenance_;
  std::string name_;
  std::string connection_;
  bool created_ = false;
};

}  // namespace hotspot::testing
