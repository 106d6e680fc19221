// Populations are part of the snapshot: after SIGHUP with a changed
// population file, /api/stats/wards answers with the new per-1,000 rates
// (a cache miss under the new snapshot version), not the cached old ones.
#include "e2e_support.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> bundled_ward_ids() {
  std::ifstream in(HOTSPOT_SOURCE_DIR "/geodata/wards-E06000047.json");
  const json wards = json::parse(in, nullptr, false);
  std::vector<std::string> ids;
  if (wards.is_discarded()) return ids;
  for (const auto& f : wards["features"]) ids.push_back(f["properties"]["WD13CD"]);
  return ids;
}

// Every ward gets base + its position: the same number of digits for both
// bases used below, so the file's size does not change.
std::map<std::string, double> write_population(const fs::path& path,
                                               const std::vector<std::string>& ids, int base) {
  std::map<std::string, double> residents;
  std::ofstream out(path);
  out << "WD13CD,population\n";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    residents[ids[i]] = base + static_cast<double>(i);
    out << ids[i] << ',' << base + static_cast<int>(i) << '\n';
  }
  return residents;
}

struct Rates {
  int status = 0;
  std::string cache;                       // X-Cache
  std::map<std::string, double> per_1000;  // wards with incidents
  std::map<std::string, double> total;
};

Rates ward_rates(int port) {
  Rates rates;
  const auto answer = e2e::request(port, "GET", "/api/stats/wards");
  rates.status = answer.status;
  rates.cache = answer.header("X-Cache");
  const json body = json::parse(answer.body, nullptr, false);
  if (answer.status != 200 || body.is_discarded()) return rates;
  for (const auto& f : body["features"]) {
    const auto& p = f["properties"];
    if (p.value("total", 0) == 0 || !p.contains("per_1000") || !p["per_1000"].is_number()) continue;
    rates.per_1000[f["id"]] = p["per_1000"].get<double>();
    rates.total[f["id"]] = p["total"].get<double>();
  }
  return rates;
}

void expect_rates(const Rates& rates, const std::map<std::string, double>& residents) {
  ASSERT_FALSE(rates.per_1000.empty());
  for (const auto& [id, rate] : rates.per_1000) {
    EXPECT_NEAR(rate, rates.total.at(id) / residents.at(id) * 1000, 1e-9) << id;
  }
}

TEST(Reload, SighupServesTheChangedPopulation) {
  const fs::path dir =
      fs::temp_directory_path() / ("hotspot-population-reload-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path incidents = dir / "incidents.csv";
  {
    std::ofstream out(incidents);
    out << "id,lon,lat,category,occurred_at\n"
           "d1,-1.5757,54.7768,Violence and sexual offences,2024-06-01T22:30:00+01:00\n"
           "d2,-1.5757,54.7768,Public order,2024-06-02T23:30:00+01:00\n"
           "c1,-1.5737,54.8563,Criminal damage and arson,2024-06-03T21:00:00+01:00\n";
  }
  const std::vector<std::string> ids = bundled_ward_ids();
  ASSERT_GT(ids.size(), 50u);
  const fs::path population = dir / "population.csv";
  const auto before = write_population(population, ids, 1000);

  auto child = e2e::start_hotspotd({"--port", "0", "--threads", "2", "--incidents",
                                    incidents.string(), "--population",
                                    "wards:" + population.string()});
  const std::unique_ptr<e2e::Child, void (*)(e2e::Child*)> guard(
      &child, [](e2e::Child* c) { e2e::stop(*c, SIGKILL); });
  ASSERT_GT(child.port, 0) << "no banner: " << child.banner;
  const Rates first = ward_rates(child.port);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.cache, "miss");
  expect_rates(first, before);
  EXPECT_EQ(ward_rates(child.port).cache, "hit");  // the cache is on

  const auto after = write_population(population, ids, 2000);
  ASSERT_EQ(::kill(child.pid, SIGHUP), 0);
  Rates seen = first;
  for (int i = 0; i < 100 && seen.per_1000 == first.per_1000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = ward_rates(child.port);
    ASSERT_EQ(seen.status, 200);
  }
  ASSERT_NE(seen.per_1000, first.per_1000) << "still the old rates after SIGHUP";
  EXPECT_EQ(seen.cache, "miss");  // the first answer under the new snapshot
  expect_rates(seen, after);

  const int status = e2e::stop(child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  fs::remove_all(dir);
}

}  // namespace
