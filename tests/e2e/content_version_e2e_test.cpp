// The snapshot version follows the bytes of every input: a Shapefile whose
// .dbf alone is replaced (same size, same timestamp), or an incident file
// overwritten with `cp -p` by a same-size one, is a new version after SIGHUP,
// and the cache answers from the new data (X-Cache: miss), not the old.
#include "e2e_support.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Rewrites `path` with `bytes` and gives it back its old modification time,
// as `cp -p` of a prepared file would.
void replace_keeping_mtime(const fs::path& path, const std::string& bytes) {
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  const timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

std::string version(int port) {
  const json health = e2e::get_json(port, "/api/health");
  return health.is_object() ? health.value("snapshot_version", "") : "";
}

// SIGHUP, then waits up to 10 s for a version other than `old`.
std::string reload_and_wait(const e2e::Child& child, const std::string& old) {
  if (::kill(child.pid, SIGHUP) != 0) return old;
  std::string now = old;
  for (int i = 0; i < 100 && now == old; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    now = version(child.port);
  }
  return now;
}

using Guard = std::unique_ptr<e2e::Child, void (*)(e2e::Child*)>;
void kill_child(e2e::Child* c) { e2e::stop(*c, SIGKILL); }

TEST(ContentVersion, ShapefileDbfReplacedAloneIsANewVersion) {
  const fs::path dir = e2e::temp_dir("hotspot-content-version-shp");
  const fs::path shp = dir / "wards.shp";
  const std::string convert = "ogr2ogr -f 'ESRI Shapefile' '" + shp.string() + "' '" +
                              HOTSPOT_SOURCE_DIR "/geodata/wards-E06000047.json' 2>/dev/null";
  ASSERT_EQ(std::system(convert.c_str()), 0) << convert;
  e2e::write_incidents(dir / "incidents.csv", 3);

  auto child = e2e::start_hotspotd({"--port", "0", "--threads", "2", "--wards", shp.string(),
                                    "--incidents", (dir / "incidents.csv").string()});
  const Guard guard(&child, kill_child);
  ASSERT_GT(child.port, 0) << "no banner: " << child.banner;
  const std::string first = version(child.port);
  ASSERT_FALSE(first.empty());
  auto wards = e2e::request(child.port, "GET", "/api/layers/wards");
  ASSERT_EQ(wards.status, 200);
  EXPECT_NE(wards.body.find("\"Annfield Plain\""), std::string::npos);
  EXPECT_EQ(e2e::request(child.port, "GET", "/api/layers/wards").header("X-Cache"), "hit");

  // Only the .dbf changes: one ward's name, the same number of bytes, the
  // old timestamp. The .shp, .shx and .prj are untouched.
  const fs::path dbf = dir / "wards.dbf";
  std::string bytes = read_bytes(dbf);
  const auto at = bytes.find("Annfield Plain");
  ASSERT_NE(at, std::string::npos);
  const auto size_before = bytes.size();
  bytes.replace(at, 14, "Annfield Plaim");
  ASSERT_EQ(bytes.size(), size_before);
  replace_keeping_mtime(dbf, bytes);

  const std::string second = reload_and_wait(child, first);
  EXPECT_NE(second, first);
  wards = e2e::request(child.port, "GET", "/api/layers/wards");
  ASSERT_EQ(wards.status, 200);
  EXPECT_EQ(wards.header("X-Cache"), "miss");
  EXPECT_NE(wards.body.find("\"Annfield Plaim\""), std::string::npos);
  EXPECT_EQ(wards.body.find("\"Annfield Plain\""), std::string::npos);

  // The same bytes again keep the version (nothing else goes into it).
  ::kill(child.pid, SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(version(child.port), second);
  e2e::stop(child);
  fs::remove_all(dir);
}

TEST(ContentVersion, SameSizeCsvCopiedWithCpPIsANewVersion) {
  const fs::path dir = e2e::temp_dir("hotspot-content-version-csv");
  const fs::path served = dir / "incidents.csv";
  const fs::path prepared = dir / "prepared.csv";
  e2e::write_incidents(served, 5);
  // The prepared file: the same rows a day later (same size), with the
  // served file's timestamp, so `cp -p` leaves path, size and mtime as they were.
  std::string bytes = read_bytes(served);
  for (std::size_t at = 0; (at = bytes.find("2024-06-0", at)) != std::string::npos; at += 10) {
    bytes[at + 9] = static_cast<char>(bytes[at + 9] + 1);  // 1..5 -> 2..6
  }
  std::ofstream(prepared, std::ios::binary) << bytes;
  struct stat info {};
  ASSERT_EQ(::stat(served.c_str(), &info), 0);
  const timespec times[2] = {info.st_atim, info.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, prepared.c_str(), times, 0), 0);

  auto child = e2e::start_hotspotd(
      {"--port", "0", "--threads", "2", "--incidents", served.string()});
  const Guard guard(&child, kill_child);
  ASSERT_GT(child.port, 0) << "no banner: " << child.banner;
  const std::string first = version(child.port);
  ASSERT_FALSE(first.empty());
  const std::string target = "/api/profile";
  const auto before = e2e::request(child.port, "GET", target);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(e2e::request(child.port, "GET", target).header("X-Cache"), "hit");

  const std::string copy = "cp -p '" + prepared.string() + "' '" + served.string() + "'";
  ASSERT_EQ(std::system(copy.c_str()), 0);
  struct stat after {};
  ASSERT_EQ(::stat(served.c_str(), &after), 0);
  ASSERT_EQ(after.st_size, info.st_size);
  ASSERT_EQ(after.st_mtim.tv_sec, info.st_mtim.tv_sec);
  ASSERT_EQ(after.st_mtim.tv_nsec, info.st_mtim.tv_nsec);

  EXPECT_NE(reload_and_wait(child, first), first);
  const auto now = e2e::request(child.port, "GET", target);
  ASSERT_EQ(now.status, 200) << now.body;
  EXPECT_EQ(now.header("X-Cache"), "miss");
  EXPECT_NE(now.body, before.body);  // every incident moved one weekday on
  e2e::stop(child);
  fs::remove_all(dir);
}

}  // namespace
