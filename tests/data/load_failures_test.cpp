// load_failures, Store::reload and the path-free names: a reload is all or
// nothing, and what clients read names files without their directories.
#include "hotspot/data/load_report.hpp"
#include "hotspot/data/snapshot.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace hotspot::data {
namespace {

FileReport file(const std::string& path, const std::string& kind, std::size_t read,
                std::size_t accepted) {
  FileReport f;
  f.path = path;
  f.kind = kind;
  f.loaded = true;
  f.rows_read = read;
  f.rows_accepted = accepted;
  f.rows_rejected = read - accepted;
  return f;
}

std::shared_ptr<const Snapshot> snapshot_with(std::vector<FileReport> files, std::string version) {
  auto s = std::make_shared<Snapshot>();
  s->report.files = std::move(files);
  s->version = std::move(version);
  return s;
}

bool mentions(const std::vector<std::string>& reasons, const std::string& text) {
  for (const auto& r : reasons) {
    if (r.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(LoadFailures, NoneWhenEveryFileAcceptedRows) {
  const auto s = snapshot_with({file("/data/dir/wards.json", "wards", 63, 63),
                                file("/data/dir/incidents.csv", "incidents", 10, 9)},
                               "a");
  EXPECT_TRUE(load_failures(*s).empty());
}

TEST(LoadFailures, NamesUnreadableAndAllRejectedFilesWithoutDirectories) {
  FileReport unreadable = file("/data/secret/missing.csv", "incidents", 0, 0);
  unreadable.loaded = false;
  unreadable.error = "Cannot open '/data/secret/missing.csv': No such file or directory";
  FileReport rejected = file("/data/secret/garbage.csv", "incidents", 3, 0);
  rejected.issues[RowIssue::malformed_row] = 3;
  const auto s = snapshot_with(
      {file("/data/secret/wards.json", "wards", 63, 63), unreadable, rejected}, "a");
  const auto reasons = load_failures(*s);
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0].rfind("missing.csv: ", 0), 0u) << reasons[0];
  EXPECT_NE(reasons[0].find("No such file"), std::string::npos) << reasons[0];
  EXPECT_EQ(reasons[1].rfind("garbage.csv: ", 0), 0u) << reasons[1];
  EXPECT_NE(reasons[1].find("no rows accepted"), std::string::npos) << reasons[1];
  EXPECT_FALSE(mentions(reasons, "/data/secret")) << reasons[0] << " | " << reasons[1];
}

TEST(Store, ReloadKeepsTheOldSnapshotWhenAFileFailed) {
  Store store;
  const auto good = snapshot_with({file("/d/incidents.csv", "incidents", 5, 5)}, "good");
  store.replace(good);
  EXPECT_TRUE(store.reload_failures().empty());

  FileReport broken = file("/d/incidents.csv", "incidents", 4, 0);
  const auto bad = snapshot_with({broken}, "bad");
  const auto refused = store.reload(bad);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(store.current(), good);
  EXPECT_EQ(store.reload_failures(), refused);
  EXPECT_TRUE(mentions(store.reload_failures(), "incidents.csv"));

  const auto better = snapshot_with({file("/d/incidents.csv", "incidents", 7, 7)}, "better");
  EXPECT_TRUE(store.reload(better).empty());
  EXPECT_EQ(store.current(), better);
  EXPECT_TRUE(store.reload_failures().empty());
}

TEST(PublicText, FileNamesWithoutDirectories) {
  EXPECT_EQ(file_name("/work/x/geodata/wards.json"), "wards.json");
  EXPECT_EQ(file_name("wards.json"), "wards.json");
  EXPECT_EQ(file_name("rel/dir/a.csv"), "a.csv");
  EXPECT_EQ(without_directories("Boundary file '/srv/data/wards.gpkg': bad", "/srv/data/wards.gpkg"),
            "Boundary file 'wards.gpkg': bad");
  EXPECT_EQ(without_directories("rel/dir/a.csv: No such file", "rel/dir/a.csv"),
            "a.csv: No such file");
  // Any other absolute path (GDAL may name a resolved one) is cut to its last part.
  EXPECT_EQ(without_directories("open failed: /tmp/x/y/z.shp (/vsizip//a/b.zip)", "a.csv"),
            "open failed: z.shp (b.zip)");
  EXPECT_EQ(without_directories("no path here", ""), "no path here");
}

}  // namespace
}  // namespace hotspot::data
