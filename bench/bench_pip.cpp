// Point in polygon: each of a peers' generated CSV's points assigned to the
// 324 LSOAs and to the 63 wards of County Durham (the ONS files the peers
// join against with PostGIS ST_Contains and geopandas sjoin).
//
// Timed as the loader joins incidents: building the area grid over the
// polygons and locating every point (grid cells clear of boundaries answer
// with one read, the rest go to the GEOS prepared-polygon index). The note
// gives the GEOS index alone, and the matched count and polygons hit, to
// compare with the peers' (matched=839154 for the LSOAs at 1M).
//
// Usage: bench_pip FILE.csv [runs=5] [threads=2]

#include "bench_util.hpp"

#include "hotspot/data/area_grid.hpp"
#include "hotspot/data/boundary_layer.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#ifndef HOTSPOT_SHARED_DIR
#define HOTSPOT_SHARED_DIR "../shared"
#endif

namespace {

bool load(const std::string& path, hotspot::data::BoundaryLayer& out) {
  hotspot::data::FileReport report;
  hotspot::data::BoundaryOptions options;
  options.path = path;
  auto layer = hotspot::data::load_boundaries(options, report);
  if (!layer) {
    std::fprintf(stderr, "%s\n", layer.error().message.c_str());
    return false;
  }
  out = std::move(layer.value());
  return true;
}

std::string counts(const std::vector<std::int32_t>& found, std::size_t polygons) {
  std::vector<char> hit(polygons, 0);
  std::size_t matched = 0;
  for (std::int32_t v : found) {
    if (v == hotspot::geo::PolygonIndex::kNone) continue;
    ++matched;
    hit[static_cast<std::size_t>(v)] = 1;
  }
  return "matched " + std::to_string(matched) + " polygons_hit " +
         std::to_string(std::count(hit.begin(), hit.end(), 1));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.csv [runs] [threads]\n", argv[0]);
    return 2;
  }
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  const unsigned threads = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 2;
  bench::Points p;
  if (!bench::read_points(argv[1], p)) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  const char* env_shared = std::getenv("HOTSPOT_SHARED_DIR");
  const std::string ons = std::string(env_shared != nullptr ? env_shared : HOTSPOT_SHARED_DIR) +
                          "/geodata/ons/";
  const struct {
    const char* task;
    const char* file;
  } layers[] = {{"pip_lsoa", "lsoa-E06000047.json"}, {"pip_wards", "wards-E06000047.json"}};

  for (const auto& l : layers) {
    hotspot::data::BoundaryLayer layer;
    if (!load(ons + l.file, layer)) return 1;
    std::vector<const GEOSGeom_t*> polygons;
    for (const auto& g : layer.geometries) polygons.push_back(g.get());
    std::vector<std::int32_t> found(p.x.size()), by_index(p.x.size());

    const double with_grid = bench::median_seconds(runs, [&] {
      const hotspot::data::AreaGrid grid(polygons, *layer.index);
      grid.locate_all(p.x, p.y, found, threads);
    });
    const double index_only = bench::median_seconds(runs, [&] {
      layer.index->locate_all(p.x, p.y, by_index, threads);
    });
    if (found != by_index) {
      std::fprintf(stderr, "%s: the area grid and the GEOS index disagree\n", l.task);
      return 1;
    }
    const std::string note = std::to_string(layer.size()) + " polygons; " +
                             counts(found, layer.size()) + "; grid build + locate on " +
                             std::to_string(threads) + " threads; GEOS index alone " +
                             std::to_string(index_only) + " s";
    bench::report(l.task, p.x.size(), with_grid, runs, note);
  }
  return 0;
}
