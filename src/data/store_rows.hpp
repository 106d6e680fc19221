#pragma once
// Internal to the source store: incident rows to and from the store's
// incident table.

#include "hotspot/common/error.hpp"
#include "hotspot/data/incident_readers.hpp"
#include "hotspot/data/incident_table.hpp"
#include "hotspot/data/source_store.hpp"

#include <gdal_priv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hotspot::data {

struct SourceStore::Impl {
  // Changes in this process, one at a time (the file lock or the advisory
  // lock orders them against other processes).
  std::mutex write_mutex;
};

}  // namespace hotspot::data

namespace hotspot::data::store {

SourceRecord record_from(const OGRFeature& f);
Expected<std::int64_t> read_version(GDALDataset& ds);
Expected<std::vector<SourceRecord>> read_records(GDALDataset& ds, bool include_withdrawn);

// Appends every stored row to the batch of its source (rows of sources not
// in `batches` are skipped).
Expected<bool> read_rows(GDALDataset& ds, bool postgres,
                         const std::map<std::int64_t, RowBatch*>& batches);

// Writes the rows of `table` whose `keep` is set, under `source_id`.
Expected<bool> write_rows(GDALDataset& ds, std::int64_t source_id, const std::string& kind,
                          const IncidentTable& table, const std::vector<std::string>& keys,
                          const std::vector<bool>& keep);


}  // namespace hotspot::data::store
