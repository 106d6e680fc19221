#pragma once
// Saved analyses: a name, a method and its canonical parameters, and the
// data it was made on (the start-up files' version and the store's sources
// served then), kept in a table `hotspot_analyses` written through GDAL: in
// the source store (GeoPackage or PostgreSQL) or in a GeoPackage of its own
// (hotspotd --analyses FILE.gpkg). An analysis is answered again only from
// exactly that data (saved_snapshot): a source withdrawn or replaced since,
// or other start-up files, make it gone, with the reason.

#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/source_store.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace hotspot::data {

// A store source an analysis was made on, as it was then.
struct SavedSource {
  std::int64_t id = 0;
  std::string replaced_at;  // its last replacement then; empty if none
};

struct AnalysisRecord {
  std::int64_t id = 0;
  std::string name;        // the user's, at most kMaxAnalysisNameBytes
  std::string method;      // the endpoint, as metadata.endpoint spells it: "hotspots/dbscan", ...
  std::string parameters;  // the endpoint's canonical query (engine::to_query)
  std::string created_at;  // ISO 8601 UTC; the answers' generated_at
  std::string created_by;  // the token's name
  // The data, as the snapshot it was made on described it.
  std::string snapshot_version;
  std::string files_version;
  std::string loaded_at;
  std::int64_t store_version = 0;
  std::vector<SavedSource> sources;  // the store's sources served then, in id order
};

inline constexpr std::size_t kMaxAnalysisNameBytes = 200;

// "3@,7@2024-06-02T10:00:00Z": the sources field as stored, and back.
std::string sources_text(const std::vector<SavedSource>& sources);
std::vector<SavedSource> sources_from_text(const std::string& text);

// The record's data part from the snapshot served now, with the store's
// records of its sources (empty without a store).
AnalysisRecord describe_data(const Snapshot& snapshot, const std::vector<SourceRecord>& store_records);

class AnalysisBook {
 public:
  // `connection` as SourceStore::open takes it ("PG:..." or a GeoPackage,
  // created when missing); the table is created on first use.
  static Expected<std::shared_ptr<AnalysisBook>> open(const std::string& connection);

  const std::string& connection() const { return connection_; }
  // Every saved analysis, in id order.
  Expected<std::vector<AnalysisRecord>> list() const;
  // not_found when there is no analysis `id`.
  Expected<AnalysisRecord> get(std::int64_t id) const;
  // Saves `record` (its id and created_at are set here) in one transaction,
  // unless `max_count` are saved already (payload_too_large).
  Expected<AnalysisRecord> add(AnalysisRecord record, std::size_t max_count);

 private:
  AnalysisBook() = default;
  std::string connection_;
  bool postgres_ = false;
  std::mutex write_mutex_;
};

// Why the analysis cannot be answered from `current`: gone (410) when the
// start-up files differ from the ones it was made on or a store source it
// used was withdrawn or replaced (naming when and by whom), unavailable
// when this server does not serve one of them yet.
std::optional<Error> saved_data_problem(const Snapshot& current, const AnalysisRecord& record,
                                        const std::vector<SourceRecord>& store_records,
                                        bool has_store);

// The snapshot the analysis was made on, out of `current` (which must have
// no saved_data_problem): the rows of the start-up files and of the saved
// sources only, in their order (sources added since are left out), with
// the version and load time recorded, so the answer is the same as when it
// was saved. Shares `current`'s table when nothing is left out.
std::shared_ptr<const Snapshot> saved_snapshot(std::shared_ptr<const Snapshot> current,
                                               const AnalysisRecord& record);

}  // namespace hotspot::data
