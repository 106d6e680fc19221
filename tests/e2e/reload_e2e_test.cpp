// SIGHUP reloads the data: a changed incident file is served whole after the
// signal, and the server keeps answering throughout.
#include "e2e_support.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using e2e::write_incidents;

using e2e::incident_count;

TEST(Reload, SighupServesTheChangedFile) {
  const fs::path dir = e2e::temp_dir("hotspot-reload");
  const fs::path file = dir / "incidents.csv";
  write_incidents(file, 3);

  auto child = e2e::start_hotspotd({"--port", "0", "--threads", "2", "--incidents", file.string()});
  // Stops the server however the test ends.
  const std::unique_ptr<e2e::Child, void (*)(e2e::Child*)> guard(
      &child, [](e2e::Child* c) { e2e::stop(*c, SIGKILL); });
  ASSERT_GT(child.port, 0) << "no banner: " << child.banner;
  EXPECT_EQ(incident_count(child.port), 3u);

  write_incidents(file, 7);
  ASSERT_EQ(::kill(child.pid, SIGHUP), 0);
  std::size_t seen = 0;
  for (int i = 0; i < 100 && seen != 7; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = incident_count(child.port);
    ASSERT_TRUE(seen == 3 || seen == 7) << "half-loaded data served: " << seen;
  }
  EXPECT_EQ(seen, 7u);

  const int status = e2e::stop(child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  fs::remove_all(dir);
}

}  // namespace
