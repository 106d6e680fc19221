// The source store's two speed targets, on one incident file:
//   upload:   the file read and validated (prepare_rows, with the wards as
//             the study area), stored in one transaction, and the new
//             snapshot built from the store, as POST /api/sources does;
//   start-up: a snapshot built from the store alone, as hotspotd does.
//
//   bench_store INCIDENTS.csv STORE [runs]
// STORE is a GeoPackage path (removed first) or a "PG:..." connection string
// to an empty database (its tables are dropped first). Each run starts
// from an empty store.

#include "bench_util.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/source_store.hpp"

#ifndef HOTSPOT_SOURCE_DIR
#define HOTSPOT_SOURCE_DIR "."
#endif

#include <gdal_priv.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void empty_store(const std::string& store) {
  if (store.rfind("PG:", 0) != 0) {
    std::filesystem::remove(store);
    return;
  }
  GDALAllRegister();
  GDALDataset* ds = GDALDataset::Open(store.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE);
  if (ds == nullptr) return;
  for (const char* table : {"hotspot_incidents", "hotspot_sources", "hotspot_meta"}) {
    OGRLayer* r = ds->ExecuteSQL((std::string("DROP TABLE IF EXISTS ") + table + " CASCADE").c_str(),
                                 nullptr, nullptr);
    if (r != nullptr) ds->ReleaseResultSet(r);
  }
  GDALClose(ds);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s INCIDENTS.csv STORE [runs]\n", argv[0]);
    return 2;
  }
  const std::string file = argv[1], store = argv[2];
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  hotspot::data::LoadOptions options;
  options.wards.path = std::string(HOTSPOT_SOURCE_DIR) + "/geodata/wards-E06000047.json";
  options.town_centres.path = std::string(HOTSPOT_SOURCE_DIR) + "/geodata/town-centres.geojson";
  options.town_centres.kind = "town-centres";
  options.store = store;
  const auto boundaries = hotspot::data::load_snapshot(options);  // the wards, once

  std::vector<double> prepare_s, store_s, snapshot_s, upload_s, startup_s;
  std::size_t rows = 0;
  for (int run = 0; run < runs; ++run) {
    empty_store(store);
    auto opened = hotspot::data::SourceStore::open(store);
    if (!opened) {
      std::fprintf(stderr, "store: %s\n", opened.error().message.c_str());
      return 1;
    }
    const auto start = Clock::now();
    hotspot::data::IncidentSourceOptions source;
    source.path = file;
    auto prepared = hotspot::data::prepare_rows(source, *boundaries->wards, 0);
    if (!prepared) {
      std::fprintf(stderr, "file: %s\n", prepared.error().message.c_str());
      return 1;
    }
    const double prepare = since(start);
    const auto store_start = Clock::now();
    auto record = (*opened)->add({"police-uk", "bench", "", "", file, false}, *prepared, "bench");
    if (!record) {
      std::fprintf(stderr, "add: %s\n", record.error().message.c_str());
      return 1;
    }
    const double stored = since(store_start);
    const auto snapshot_start = Clock::now();
    auto snapshot = hotspot::data::load_snapshot(options);
    const double built = since(snapshot_start);
    rows = snapshot->incidents->size();
    // Start-up: the same snapshot again, the store now written and closed.
    const auto startup_start = Clock::now();
    auto again = hotspot::data::load_snapshot(options);
    const double startup = since(startup_start);
    std::printf(
        "run %d: %lld stored (%lld read, %lld rejected)  prepare %.3f  store %.3f  snapshot %.3f  "
        "upload %.3f s  start-up %.3f s (%zu rows)\n",
        run + 1, static_cast<long long>(record->rows_accepted),
        static_cast<long long>(record->rows_read), static_cast<long long>(record->rows_rejected),
        prepare, stored, built, prepare + stored + built, startup, again->incidents->size());
    prepare_s.push_back(prepare);
    store_s.push_back(stored);
    snapshot_s.push_back(built);
    upload_s.push_back(prepare + stored + built);
    startup_s.push_back(startup);
  }
  std::printf("%zu rows, %s\n", rows, store.rfind("PG:", 0) == 0 ? "PostgreSQL" : "GeoPackage");
  std::printf("median: prepare %.3f  store %.3f  snapshot %.3f  upload %.3f  start-up %.3f s\n",
              median(prepare_s), median(store_s), median(snapshot_s), median(upload_s),
              median(startup_s));
  return 0;
}
