#pragma once
// The partnership's durable record of incident data: sources (one extract
// each: last month's police.uk file, the council's ASB export, ...) and their
// rows, kept in a GeoPackage file (the embedded default, which QGIS opens
// too) or a PostgreSQL/PostGIS database shared by several servers. Both are
// written through GDAL/OGR drivers; one implementation serves both.
//
// The in-memory IncidentTable stays the query engine: a snapshot is built
// from what the store holds (load_snapshot with LoadOptions::store), and a
// change is swapped in only after its transaction has committed.
//
// Every change (add, replace, remove) is one transaction: all of a source's
// rows are stored or none. Changes are serialised across threads and
// processes (a lock file beside a GeoPackage; an advisory lock in
// PostgreSQL) while readers go on. Each change bumps a version number that
// other servers poll to see it.

#include "hotspot/common/error.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/incident_readers.hpp"
#include "hotspot/data/incident_table.hpp"
#include "hotspot/data/load_report.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hotspot::data {

// One source as the store lists it.
struct SourceRecord {
  std::int64_t id = 0;
  std::string kind;       // police-uk, csv, geojson, ... (incident_format_name)
  std::string name;       // the partnership's name for it, e.g. "Durham police.uk 2024-03"
  std::string licence;    // attribution shown with the data
  std::string options;    // reader options as a query string, e.g. "x=easting&y=northing"
  std::string file_name;  // the uploaded file's name, without directories
  std::string added_at;   // ISO 8601 UTC
  std::string added_by;   // the name of the token that added it
  std::string replaced_at, replaced_by;    // the last replacement; empty if none
  std::string withdrawn_at, withdrawn_by;  // set when withdrawn (its rows are gone)
  std::int64_t rows_read = 0;
  std::int64_t rows_accepted = 0;   // stored
  std::int64_t rows_rejected = 0;
  std::int64_t rows_duplicate = 0;  // already stored by this or another source
  std::string first_occurred, last_occurred;  // ISO 8601 UTC of the stored rows
  bool synthetic = false;           // generated data, labelled as such
  bool withdrawn() const { return !withdrawn_at.empty(); }
};

// What a change needs besides the rows: who made it and what the source is.
struct SourceDescription {
  std::string kind;
  std::string name;
  std::string licence;
  std::string options;
  std::string file_name;
  bool synthetic = false;
};

// The rows a change would store: a finished table (EPSG:27700, rows outside
// the study area already rejected) and the report of reading its file.
// `add`/`replace` count duplicates into the report (RowIssue::duplicate).
struct PreparedRows {
  std::shared_ptr<const IncidentTable> table;
  FileReport report;
};

// The stored rows of one source, for a snapshot.
struct StoredSource {
  SourceRecord record;
  RowBatch rows;  // EPSG:27700
};

// Everything a snapshot needs from the store, as of one version.
struct StoreContents {
  std::int64_t version = 0;
  std::vector<StoredSource> sources;  // the active ones, in id order
};

class SourceStore {
 public:
  // Opens the store named by `connection`: "PG:..." for PostgreSQL (the
  // database and the PostGIS extension must exist), else a GeoPackage file
  // path, created with its folder when missing and `create` is set. Creates
  // the tables on first use.
  static Expected<std::shared_ptr<SourceStore>> open(const std::string& connection,
                                                     bool create = true);
  ~SourceStore();
  SourceStore(const SourceStore&) = delete;
  SourceStore& operator=(const SourceStore&) = delete;

  const std::string& connection() const { return connection_; }
  bool is_postgres() const { return postgres_; }

  // The change counter: bumped by every committed change.
  Expected<std::int64_t> version() const;
  Expected<std::vector<SourceRecord>> list(bool include_withdrawn = false) const;
  Expected<SourceRecord> get(std::int64_t id) const;
  // Every active source with its rows, as of one version.
  Expected<StoreContents> read_all() const;

  // Stores a new source; rows whose key (source kind, row id) is already
  // stored are counted as duplicates and left out.
  Expected<SourceRecord> add(const SourceDescription& source, PreparedRows& rows,
                             const std::string& by);
  // Replaces source `id`'s rows (and description) in one transaction.
  Expected<SourceRecord> replace(std::int64_t id, const SourceDescription& source,
                                 PreparedRows& rows, const std::string& by);
  // Withdraws source `id`: its rows are deleted, its record kept as withdrawn.
  Expected<SourceRecord> remove(std::int64_t id, const std::string& by);

  struct Impl;

 private:
  SourceStore() = default;
  std::string connection_;
  bool postgres_ = false;
  std::unique_ptr<Impl> impl_;
};

// Reads an incident file for the store: its rows projected to EPSG:27700,
// those outside the study area (the wards and `buffer_m` around them)
// rejected and reported. A file that cannot be used is an Error; `report`
// says why either way.
Expected<PreparedRows> prepare_rows(const IncidentSourceOptions& options,
                                    const BoundaryLayer& wards, double buffer_m);

// Adds `seed` (the bundled synthetic incidents) as the first source of a
// store that has never been changed (version 0), added by "hotspotd", so a
// new installation serves the demo data; true when it did.
Expected<bool> seed_store(SourceStore& store, const IncidentSourceOptions& seed,
                          const BoundaryLayer& wards, double buffer_m);

// The key that finds a row's duplicates: the source's own id of the row
// when it has one; else (police.uk anti-social-behaviour rows have no id) a
// fingerprint of the row's place, time and label with the number of earlier
// identical rows in the same file, so that a re-downloaded month repeats
// its keys while two identical incidents in one file stay two.
std::vector<std::string> row_keys(const IncidentTable& table);

}  // namespace hotspot::data
