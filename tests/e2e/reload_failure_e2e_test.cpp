// A reload is all or nothing: when a configured file cannot be read or has
// every row rejected, SIGHUP keeps the old snapshot and /api/health says
// "degraded", naming the file (no directories); a good file and another
// SIGHUP bring it back to "ok".
#include "e2e_support.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using e2e::write_incidents;

using e2e::get_json;
using e2e::incident_count;

// Polls /api/health until its status is `status` (up to 10 s); the last answer.
json wait_for_health(int port, const std::string& status) {
  json health;
  for (int i = 0; i < 100; ++i) {
    health = get_json(port, "/api/health");
    if (health.is_object() && health.value("status", "") == status) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return health;
}

TEST(Reload, ABrokenFileKeepsTheOldSnapshotAndDegradesHealth) {
  const fs::path dir = e2e::temp_dir("hotspot-reload-failure");
  const fs::path file = dir / "incidents.csv";
  write_incidents(file, 5);

  auto child = e2e::start_hotspotd({"--port", "0", "--threads", "2", "--incidents", file.string()});
  const std::unique_ptr<e2e::Child, void (*)(e2e::Child*)> guard(
      &child, [](e2e::Child* c) { e2e::stop(*c, SIGKILL); });
  ASSERT_GT(child.port, 0) << "no banner: " << child.banner;
  ASSERT_EQ(incident_count(child.port), 5u);
  json health = get_json(child.port, "/api/health");
  EXPECT_EQ(health.value("status", ""), "ok") << health.dump();
  EXPECT_EQ(health.value("reasons", json::array()), json::array()) << health.dump();

  // Garbage in place of the file: every row rejected.
  {
    std::ofstream out(file, std::ios::trunc);
    out << "\x89PNG\r\n\x1a\nthis is not a table\n\x01\x02\x03 nor this\n";
  }
  ASSERT_EQ(::kill(child.pid, SIGHUP), 0);
  health = wait_for_health(child.port, "degraded");
  ASSERT_EQ(health.value("status", ""), "degraded") << health.dump();
  EXPECT_EQ(incident_count(child.port), 5u) << "the old snapshot was not kept";
  ASSERT_TRUE(health.contains("reasons") && health["reasons"].is_array()) << health.dump();
  const std::string reasons = health["reasons"].dump();
  EXPECT_NE(reasons.find("incidents.csv"), std::string::npos) << reasons;
  EXPECT_EQ(reasons.find(dir.string()), std::string::npos) << "a directory in: " << reasons;
  EXPECT_EQ(health.value("incidents", std::size_t{0}), 5u);

  // Deleted: the same.
  fs::remove(file);
  const std::string version = health.value("snapshot_version", "");
  ASSERT_EQ(::kill(child.pid, SIGHUP), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  health = wait_for_health(child.port, "degraded");
  EXPECT_EQ(health.value("status", ""), "degraded") << health.dump();
  EXPECT_EQ(health.value("snapshot_version", ""), version);
  EXPECT_EQ(incident_count(child.port), 5u);

  // A good file again: the new data, and "ok".
  write_incidents(file, 7);
  ASSERT_EQ(::kill(child.pid, SIGHUP), 0);
  health = wait_for_health(child.port, "ok");
  EXPECT_EQ(health.value("status", ""), "ok") << health.dump();
  EXPECT_EQ(health.value("reasons", json::array()), json::array()) << health.dump();
  EXPECT_EQ(incident_count(child.port), 7u);

  const int status = e2e::stop(child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  fs::remove_all(dir);
}

TEST(Reload, AFileThatFailsAtStartDegradesHealth) {
  const fs::path dir = e2e::temp_dir("hotspot-start-failure");
  const fs::path good = dir / "good.csv";
  write_incidents(good, 4);
  const fs::path missing = dir / "missing.csv";

  auto child = e2e::start_hotspotd({"--port", "0", "--threads", "2", "--incidents", good.string(),
                                    "--incidents", missing.string()});
  const std::unique_ptr<e2e::Child, void (*)(e2e::Child*)> guard(
      &child, [](e2e::Child* c) { e2e::stop(*c, SIGKILL); });
  ASSERT_GT(child.port, 0) << "no banner: " << child.banner;
  const auto answer = e2e::request(child.port, "GET", "/api/health");
  EXPECT_EQ(answer.status, 200);
  const json health = json::parse(answer.body, nullptr, false);
  EXPECT_EQ(health.value("status", ""), "degraded") << answer.body;
  const std::string reasons = health.value("reasons", json::array()).dump();
  EXPECT_NE(reasons.find("missing.csv"), std::string::npos) << reasons;
  EXPECT_EQ(reasons.find("good.csv"), std::string::npos) << reasons;
  EXPECT_EQ(reasons.find(dir.string()), std::string::npos) << reasons;
  EXPECT_EQ(incident_count(child.port), 4u);

  const int status = e2e::stop(child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  fs::remove_all(dir);
}

}  // namespace
