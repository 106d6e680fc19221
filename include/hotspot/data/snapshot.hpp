#pragma once
// One consistent, immutable view of everything loaded. A reload builds a new
// Snapshot and swaps the Store's pointer, so a reader holding a snapshot never
// sees half-loaded data.

#include "hotspot/data/area_groups.hpp"
#include "hotspot/data/area_identity.hpp"
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
  std::int64_t store_id = 0;  // a source read from the store: its id there
};

struct Snapshot {
  std::shared_ptr<const BoundaryLayer> wards;         // never null (may be empty)
  std::shared_ptr<const BoundaryLayer> town_centres;  // never null (may be empty)
  std::shared_ptr<const IncidentTable> incidents;     // never null (may be empty)
  // The groups of wards (--groups) and each ward's group; never null (no
  // group layer: an empty one, every ward unassigned).
  std::shared_ptr<const AreaGroups> groups = std::make_shared<const AreaGroups>();
  // Never null (may hold no layer).
  std::shared_ptr<const Populations> populations = std::make_shared<const Populations>();
  std::vector<DataSource> sources;
  // The venue list (--venues) uploads of A&E records are placed by; null: none.
  std::shared_ptr<const VenueList> venues;
  LoadReport report;
  // The place mapped: --area-name, else from the ward layer (area_identity.hpp).
  AreaName area;
  // Town centres that share no area with any ward (their names): a town-centre
  // scope finds nothing there, which start-up warns about.
  std::vector<std::string> town_centres_outside;
  std::string version;  // changes whenever any input changes (cache key part)
  // The same over everything but the store's sources: the start-up files
  // and options (a saved analysis is answered only while it is unchanged).
  std::string files_version;
  // The source store's change counter when it was read (0: no store).
  std::int64_t store_version = 0;
};

struct LoadOptions {
  BoundaryOptions wards;
  BoundaryOptions town_centres;
  // The place's name for titles (--area-name); empty: from the wards.
  std::string area_name;
  BoundaryOptions groups;  // groups of wards (area_groups.hpp); no path: none
  std::vector<IncidentSourceOptions> incidents;
  // Licensed premises (--venues FILE, see venues.hpp) that A&E assault
  // records naming a venue are placed by; empty: none.
  std::string venues;
  // Residents per area (--population), at most one per layer.
  std::vector<PopulationSource> populations;
  // Rows farther than this (metres, 0..kMaxStudyAreaBuffer) from every ward
  // are rejected as outside the study area; those within it but in no ward
  // get the nearest ward (see study_area.hpp).
  double study_area_buffer = 0;
  // The source store (source_store.hpp) whose sources are loaded after the
  // files above; empty: none.
  std::string store;
  unsigned threads = 0;  // for the spatial join; 0 = hardware concurrency
};

// Loads everything. Never fails as a whole: a file that cannot be used is
// recorded in the report and the rest is served.
std::shared_ptr<const Snapshot> load_snapshot(const LoadOptions& options);

// Joins each incident to its ward, town centre and distance to the nearest
// town centre (fills those columns in place).
void join_areas(IncidentTable& table, const BoundaryLayer& wards,
                const BoundaryLayer& town_centres, unsigned threads = 0);

// The configured files that failed, one "<file name>: <what went wrong>"
// each (no directories): a file that could not be used, or one that
// accepted no rows. Empty when every file loaded.
std::vector<std::string> load_failures(const Snapshot& snapshot);

// What a user should know about the data although nothing failed, one
// sentence each: town centres that lie outside the wards. Empty when none.
std::vector<std::string> load_warnings(const Snapshot& snapshot);

class Store {
 public:
  std::shared_ptr<const Snapshot> current() const { return snapshot_.load(); }
  // Serves `next` whatever it holds (the first load: there is nothing to
  // keep) and forgets a refused reload.
  void replace(std::shared_ptr<const Snapshot> next);
  // A reload, all or nothing: serves `next` when load_failures(*next) is
  // empty; otherwise keeps the current snapshot and remembers the failures
  // (reload_failures()). Returns the failures.
  std::vector<std::string> reload(std::shared_ptr<const Snapshot> next);
  // Why the last reload was refused; empty when it was served (or none was tried).
  std::vector<std::string> reload_failures() const;

 private:
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
  std::atomic<std::shared_ptr<const std::vector<std::string>>> refused_;
};

}  // namespace hotspot::data
