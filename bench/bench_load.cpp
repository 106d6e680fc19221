// Loads the wards, the town centres and one incident CSV through
// load_snapshot and prints the stage timings and the table's memory per row.
//
//   bench_load INCIDENTS.csv [lonlat|grid] [runs]
// lonlat (default) reads the lon/lat columns and projects them; grid reads
// easting/northing.

#include "hotspot/data/snapshot.hpp"

// Where geodata/ is: the HOTSPOT_SOURCE_DIR environment variable, else the
// directory compiled in, else the current directory.
#ifndef HOTSPOT_SOURCE_DIR
#define HOTSPOT_SOURCE_DIR "."
#endif

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s INCIDENTS.csv [lonlat|grid] [runs]\n", argv[0]);
    return 2;
  }
  const std::string mode = argc > 2 ? argv[2] : "lonlat";
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  hotspot::data::LoadOptions options;
  const char* env_source = std::getenv("HOTSPOT_SOURCE_DIR");
  const std::string source_dir = env_source != nullptr ? env_source : HOTSPOT_SOURCE_DIR;
  options.wards.path = source_dir + "/geodata/wards-E06000047.json";
  options.town_centres.path = source_dir + "/geodata/town-centres.geojson";
  options.town_centres.kind = "town-centres";
  hotspot::data::IncidentSourceOptions incidents;
  incidents.path = argv[1];
  if (mode == "lonlat") {
    incidents.x_column = "lon";
    incidents.y_column = "lat";
  }
  options.incidents.push_back(incidents);

  const char* stages[] = {"boundaries", "parse", "project", "join", "incidents", "total"};
  std::vector<std::vector<double>> seconds(std::size(stages));
  for (int run = 0; run < runs; ++run) {
    auto snapshot = hotspot::data::load_snapshot(options);
    const auto& t = snapshot->report.timings;
    auto at = [&](const char* k) { auto it = t.find(k); return it == t.end() ? 0.0 : it->second; };
    const auto& table = *snapshot->incidents;
    const auto& file = snapshot->report.files.back();
    std::printf(
        "run %d: rows %zu (read %zu, rejected %zu)  boundaries %.3f  parse %.3f  project %.3f  "
        "join %.3f  incidents %.3f s  total %.3f s  %.1f bytes/row\n",
        run + 1, table.size(), file.rows_read, file.rows_rejected, at("boundaries"), at("parse"),
        at("project"), at("join"), at("parse") + at("project") + at("join"), at("total"),
        table.bytes_per_row());
    for (std::size_t k = 0; k < std::size(stages); ++k) {
      const std::string stage = stages[k];
      seconds[k].push_back(stage == "incidents" ? at("parse") + at("project") + at("join")
                                                : at(stages[k]));
    }
  }
  std::printf("%-11s %8s %8s\n", "stage", "best", "median");
  for (std::size_t k = 0; k < std::size(stages); ++k) {
    std::vector<double>& v = seconds[k];
    std::sort(v.begin(), v.end());
    std::printf("%-11s %8.3f %8.3f\n", stages[k], v.front(), v[v.size() / 2]);
  }
  return 0;
}
