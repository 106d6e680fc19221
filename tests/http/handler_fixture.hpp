#pragma once
// The handler tests' data: the bundled ward and town-centre layers plus a
// small incident file written from kRows, so every expectation can be
// computed from kRows by brute force.

#include "../common/bundled_layers.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/request.hpp"
#include "hotspot/http/service.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace hotspot::http::fixture {

namespace fs = std::filesystem;
using nlohmann::json;

struct Row {
  std::string id;
  double lon, lat;
  std::string category;  // API name the label maps to
  std::string label;
  std::string time;
  int local_day;  // days since epoch of the local date
};

// Accepted rows: well inside County Durham, away from any bbox edge below.
inline const std::vector<Row> kRows{
    {"d1", -1.5757, 54.7768, "violence", "Violence and sexual offences",
     "2024-03-01T21:30:00+00:00", 19783},
    {"d2", -1.5760, 54.7770, "criminal_damage", "Criminal damage and arson",
     "2024-03-02T01:30:00+00:00", 19784},
    {"d3", -1.5750, 54.7765, "public_order", "Public order", "2024-03-05T12:00:00+00:00", 19787},
    {"ba", -1.6775, 54.6642, "asb", "Anti-social behaviour", "2024-04-10T22:00:00+01:00", 19823},
    {"co", -1.8310, 54.8532, "other", "Burglary", "2024-05-15T10:00:00+01:00", 19858},
    {"se", -1.3456, 54.8386, "violence", "Violence and sexual offences",
     "2024-06-01T20:00:00+01:00", 19875},
    {"pe", -1.3357, 54.7600, "other", "Shoplifting", "2024-06-20T23:15:00+01:00", 19894},
};
// Rejected rows, one per reason.
inline const char* kBadRows =
    "bad1,abc,54.7,Public order,2024-03-01T10:00:00+00:00\n"          // bad_coordinates
    "bad2,-0.1,51.5,Public order,2024-03-01T10:00:00+00:00\n"         // outside_study_area
    "bad3,-1.5757,54.7768,Public order,not-a-time\n";                 // bad_time

using testing::load_with_bundled_layers;

// A suite's store: the bundled layers plus one incident CSV in a temporary
// directory, loaded once per suite. A suite's SetUpTestSuite calls
// load_store() with what to write after the CSV header.
class StoreFixture : public ::testing::Test {
 protected:
  static void load_store(const std::string& name,
                         const std::function<void(std::ostream&)>& write_rows) {
    dir_ = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    {
      std::ofstream csv(dir_ / "incidents.csv");
      csv << "id,lon,lat,category,occurred_at\n";
      write_rows(csv);
    }
    store_ = new data::Store;
    store_->replace(load_with_bundled_layers(dir_ / "incidents.csv"));
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
    fs::remove_all(dir_);
  }

  Context context() const {
    Context c;
    c.store = store_;
    c.static_root = HOTSPOT_SOURCE_DIR "/static";
    return c;
  }

  Response get(const std::string& target, const std::string& method = "GET") const {
    auto request = make_request(method, target);
    if (!request) return error_response(request.error());
    return handle(*request, context());
  }

  static json body(const Response& r) { return json::parse(r.body); }

  static void expect_error(const Response& r, int status, const std::string& code,
                           const std::string& mentions = "") {
    EXPECT_EQ(r.status, status) << r.body;
    const json b = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(b.is_object()) << r.body;
    EXPECT_EQ(b["error"]["code"], code) << r.body;
    if (!mentions.empty()) {
      EXPECT_NE(b["error"]["message"].get<std::string>().find(mentions), std::string::npos)
          << r.body;
    }
  }

  // One suite at a time holds them (gtest sets suites up one after another).
  static inline fs::path dir_;
  static inline data::Store* store_ = nullptr;
};

// The handler tests' store: kRows and kBadRows.
class HandlerFixture : public StoreFixture {
 protected:
  static void SetUpTestSuite() {
    load_store("hotspot-handlers", [](std::ostream& csv) {
      for (const auto& r : kRows) {
        csv << r.id << ',' << r.lon << ',' << r.lat << ',' << r.label << ',' << r.time << '\n';
      }
      csv << kBadRows;
    });
  }
};

}  // namespace hotspot::http::fixture
