#pragma once
// One consistent, immutable view of everything loaded. A reload builds a new
// Snapshot and swaps the Store's pointer, so a reader holding a snapshot never
// sees half-loaded data.

#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/incident_readers.hpp"
#include "hotspot/data/incident_table.hpp"
#include "hotspot/data/load_report.hpp"
#include "hotspot/data/population.hpp"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace hotspot::data {

struct DataSource {
  std::string path;
  std::string kind;    // "wards", "town-centres", "incidents", "population-wards", ...
  std::string format;
  std::string loaded_at;
  bool synthetic = false;  // our generator's output, labelled as such everywhere
  std::string licence;     // attribution text shown with the data
};

struct Snapshot {
  std::shared_ptr<const BoundaryLayer> wards;         // never null (may be empty)
  std::shared_ptr<const BoundaryLayer> town_centres;  // never null (may be empty)
  std::shared_ptr<const IncidentTable> incidents;     // never null (may be empty)
  // Never null (may hold no layer).
  std::shared_ptr<const Populations> populations = std::make_shared<const Populations>();
  std::vector<DataSource> sources;
  LoadReport report;
  std::string version;  // changes whenever any input changes (cache key part)
};

struct LoadOptions {
  BoundaryOptions wards;
  BoundaryOptions town_centres;
  std::vector<IncidentSourceOptions> incidents;
  // Residents per area (--population), at most one per layer.
  std::vector<PopulationSource> populations;
  // Rows farther than this (metres, 0..kMaxStudyAreaBuffer) from every ward
  // are rejected as outside the study area; those within it but in no ward
  // get the nearest ward (see study_area.hpp).
  double study_area_buffer = 0;
  unsigned threads = 0;  // for the spatial join; 0 = hardware concurrency
};

// Loads everything. Never fails as a whole: a file that cannot be used is
// recorded in the report and the rest is served.
std::shared_ptr<const Snapshot> load_snapshot(const LoadOptions& options);

// Joins each incident to its ward, town centre and distance to the nearest
// town centre (fills those columns in place).
void join_areas(IncidentTable& table, const BoundaryLayer& wards,
                const BoundaryLayer& town_centres, unsigned threads = 0);

class Store {
 public:
  std::shared_ptr<const Snapshot> current() const { return snapshot_.load(); }
  void replace(std::shared_ptr<const Snapshot> next) { snapshot_.store(std::move(next)); }

 private:
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
};

}  // namespace hotspot::data
