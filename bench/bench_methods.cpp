// Issue 13's methods 1, 6 and 7 on a peers' generated CSV, loaded like
// bench_load (the bundled wards and town centres, lon/lat projected):
//  - nni: the Clark-Evans index of every incident (distinct locations,
//    k-d tree nearest neighbours), the work engine::select adds to each analysis
//  - evaluate-kde / evaluate-gistar / evaluate-dbscan: /api/evaluate's
//    engine run, fitted on January-June 2024 and scored on July-December
//    at 1, 5 and 10 % of the study area (DBSCAN: eps 100 m, min_points 10,
//    its hulls' own area)
//  - dbscan-locations: /api/hotspots/dbscan's engine run (distinct
//    locations counted per cluster) with min_locations=2
// Usage: bench_methods INCIDENTS.csv [runs=3]

#include "bench_util.hpp"

#include "hotspot/analysis/point_pattern.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/clusters.hpp"
#include "hotspot/engine/evaluate.hpp"

#ifndef HOTSPOT_SOURCE_DIR
#define HOTSPOT_SOURCE_DIR "."
#endif

#include <cstdio>
#include <ctime>
#include <functional>
#include <utility>
#include <cstdlib>
#include <string>

namespace {

using namespace hotspot;

engine::Query query_of(const engine::NameValues& pairs, std::span<const std::string_view> names) {
  auto q = engine::Query::parse(pairs, names);
  if (!q) {
    std::fprintf(stderr, "%s\n", q.error().message.c_str());
    std::exit(1);
  }
  return *q;
}

template <typename Params>
Params params_of(const data::Snapshot& snapshot, const engine::NameValues& pairs) {
  auto p = Params::parse(query_of(pairs, Params::names()), snapshot);
  if (!p) {
    std::fprintf(stderr, "%s\n", p.error().message.c_str());
    std::exit(1);
  }
  return *p;
}

template <typename Result>
const Result& checked(const Expected<Result>& r) {
  if (!r) {
    std::fprintf(stderr, "%s\n", r.error().message.c_str());
    std::exit(1);
  }
  return *r;
}

std::string format_score(const analysis::HotspotScore& s) {
  char text[160];
  std::snprintf(text, sizeof text, " [%.3g%% area: hit %.3f PAI %.2f PEI %.2f RRI %.2f]",
                s.area_share * 100, s.hit_rate, s.pai, s.pei, s.rri);
  return text;
}

// Median wall seconds of `runs` calls (bench::median_seconds) and the mean
// CPU seconds of all threads per call: on the shared machine the wall time
// mostly measures the other jobs, the CPU time the work.
std::pair<double, double> timed(int runs, const std::function<void()>& body) {
  const std::clock_t start = std::clock();
  const double wall = bench::median_seconds(runs, body);
  return {wall, static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC / runs};
}

std::string cpu_note(double cpu) {
  char text[64];
  std::snprintf(text, sizeof text, "cpu %.3f s per run; ", cpu);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s INCIDENTS.csv [runs]\n", argv[0]);
    return 2;
  }
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  data::LoadOptions options;
  const char* env_source = std::getenv("HOTSPOT_SOURCE_DIR");
  const std::string source_dir = env_source != nullptr ? env_source : HOTSPOT_SOURCE_DIR;
  options.wards.path = source_dir + "/geodata/wards-E06000047.json";
  options.town_centres.path = source_dir + "/geodata/town-centres.geojson";
  options.town_centres.kind = "town-centres";
  data::IncidentSourceOptions incidents;
  incidents.path = argv[1];
  incidents.x_column = "lon";
  incidents.y_column = "lat";
  options.incidents.push_back(incidents);
  const auto snapshot = data::load_snapshot(options);
  const data::IncidentTable& t = *snapshot->incidents;
  const std::size_t n = t.size();
  std::printf("# %zu incidents in the table; load report: %zu distinct locations, %zu stacked rows\n",
              n, snapshot->report.distinct_locations, snapshot->report.stacked_rows);

  const double window = engine::window_area_m2(*snapshot, {});
  std::optional<analysis::ClarkEvans> nni;
  const auto [nni_seconds, nni_cpu] = timed(runs, [&] {
    nni = analysis::clark_evans(t.x, t.y, window);
  });
  std::string note = "no nni";
  if (nni) {
    char text[200];
    std::snprintf(text, sizeof text, "R %.4f observed %.2f m expected %.2f m z %.1f locations %zu",
                  nni->r, nni->observed_mean_m, nni->expected_mean_m, nni->z, nni->locations);
    note = text;
  }
  bench::report("nni", n, nni_seconds, runs, cpu_note(nni_cpu) + note);

  const engine::NameValues periods{{"train_from", "2024-01-01"},
                                   {"train_to", "2024-06-30"},
                                   {"test_from", "2024-07-01"},
                                   {"test_to", "2024-12-31"}};
  for (const char* method : {"kde", "gistar", "dbscan"}) {
    engine::NameValues pairs = periods;
    pairs.emplace_back("method", method);
    const auto params = params_of<engine::EvaluateParams>(*snapshot, pairs);
    engine::EvaluateResult last;
    const auto [seconds, cpu] = timed(runs, [&] {
      last = checked(engine::run(*snapshot, params));
    });
    std::string scores;
    for (const auto& s : last.scores) scores += format_score(s);
    bench::report((std::string("evaluate-") + method).c_str(), n, seconds, runs,
                  cpu_note(cpu) + "train " + std::to_string(last.train.rows.size()) + " test " +
                      std::to_string(last.test.rows.size()) + scores);
  }

  const auto dbscan = params_of<engine::DbscanParams>(*snapshot, {{"min_locations", "2"}});
  std::size_t clusters = 0;
  const auto [dbscan_seconds, dbscan_cpu] = timed(runs, [&] {
    clusters = checked(engine::run(*snapshot, dbscan)).run.summaries.clusters.size();
  });
  bench::report("dbscan-locations", n, dbscan_seconds, runs,
                cpu_note(dbscan_cpu) + "clusters with 2 or more distinct locations " +
                    std::to_string(clusters));
  return 0;
}
