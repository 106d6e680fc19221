// Loads the wards, the town centres and one incident CSV through
// load_snapshot and prints the stage timings and the table's memory per row.
//
//   bench_load INCIDENTS.csv [lonlat|grid] [runs] [study-area-buffer metres]
// lonlat (default) reads the lon/lat columns and projects them; grid reads
// easting/northing. A buffer keeps rows near the wards (and asks GEOS for
// the distance of those just outside).

#include "bench_util.hpp"
#include "hotspot/data/fnv1a.hpp"
#include "hotspot/data/snapshot.hpp"

// Where geodata/ is: the HOTSPOT_SOURCE_DIR environment variable, else the
// directory compiled in, else the current directory.
#ifndef HOTSPOT_SOURCE_DIR
#define HOTSPOT_SOURCE_DIR "."
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <cstdlib>
#include <iterator>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s INCIDENTS.csv [lonlat|grid] [runs] [buffer_m]\n", argv[0]);
    return 2;
  }
  const std::string mode = argc > 2 ? argv[2] : "lonlat";
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  hotspot::data::LoadOptions options;
  options.study_area_buffer = argc > 4 ? std::max(0.0, std::atof(argv[4])) : 0.0;
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
  std::size_t rows = 0;
  double bytes_per_row = 0;
  for (int run = 0; run < runs; ++run) {
    auto snapshot = hotspot::data::load_snapshot(options);
    const auto& t = snapshot->report.timings;
    auto at = [&](const char* k) { auto it = t.find(k); return it == t.end() ? 0.0 : it->second; };
    const auto& table = *snapshot->incidents;
    bytes_per_row = table.bytes_per_row();
    const auto& file = snapshot->report.files.back();
    rows = file.rows_read;  // the file's size, as the peers count it
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
  std::vector<double> medians(std::size(stages));
  for (std::size_t k = 0; k < std::size(stages); ++k) {
    std::vector<double>& v = seconds[k];
    std::sort(v.begin(), v.end());
    medians[k] = v[v.size() / 2];
    std::printf("%-11s %8.3f %8.3f\n", stages[k], v.front(), medians[k]);
  }
  // The line scripts/bench collects: the whole load (boundaries, parse,
  // projection, joins), median of the runs.

  // What the snapshot version adds to the load: the content hash of the
  // buffer the reader parsed, on the load's threads (the bytes are read anyway).
  std::string bytes;
  {
    std::ifstream in(argv[1], std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::vector<double> hash_seconds;
  for (int run = 0; run < std::max(runs, 3); ++run) {
    const auto start = std::chrono::steady_clock::now();
    volatile std::uint64_t sink = hotspot::data::content_hash(bytes, options.threads);
    (void)sink;
    hash_seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(hash_seconds.begin(), hash_seconds.end());
  std::printf("content hash %8.3f %8.3f  (%.1f MB, part of parse; version of the snapshot)\n",
              hash_seconds.front(), hash_seconds[hash_seconds.size() / 2], bytes.size() / 1e6);
  char note[256];
  std::snprintf(note, sizeof note,
                "%s; median boundaries %.3f parse %.3f project %.3f join %.3f s; %.1f bytes per "
                "incident",
                mode.c_str(), medians[0], medians[1], medians[2], medians[3], bytes_per_row);
  bench::report("load", rows, medians[5], runs, note);
  return 0;
}
