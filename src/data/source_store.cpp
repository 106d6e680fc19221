// SourceStore: opening, listing and reading. Changes are in
// source_store_write.cpp.

#include "hotspot/data/source_store.hpp"
#include "hotspot/geo/gdal_errors.hpp"

#include "hotspot/data/local_time.hpp"
#include "store_dataset.hpp"
#include "store_rows.hpp"

#include <cpl_conv.h>

#include <gdal_priv.h>

#include <map>
#include <mutex>

namespace hotspot::data {

using store::Dataset;
using store::Feature;

namespace store {

SourceRecord record_from(const OGRFeature& f) {
  SourceRecord r;
  r.id = f.GetFID();
  r.kind = text_field(f, "kind");
  r.name = text_field(f, "name");
  r.licence = text_field(f, "licence");
  r.options = text_field(f, "options");
  r.file_name = text_field(f, "file_name");
  r.added_at = text_field(f, "added_at");
  r.added_by = text_field(f, "added_by");
  r.replaced_at = text_field(f, "replaced_at");
  r.replaced_by = text_field(f, "replaced_by");
  r.withdrawn_at = text_field(f, "withdrawn_at");
  r.withdrawn_by = text_field(f, "withdrawn_by");
  r.rows_read = int_field(f, "rows_read");
  r.rows_accepted = int_field(f, "rows_accepted");
  r.rows_rejected = int_field(f, "rows_rejected");
  r.rows_duplicate = int_field(f, "rows_duplicate");
  r.first_occurred = text_field(f, "first_occurred");
  r.last_occurred = text_field(f, "last_occurred");
  r.synthetic = int_field(f, "synthetic") != 0;
  return r;
}

Expected<Dataset> open_existing(const SourceStore& s) {
  return open_dataset(s.connection(), s.is_postgres(), false);
}

Expected<std::int64_t> read_version(GDALDataset& ds) {
  OGRLayer* meta = ds.GetLayerByName(kMeta);
  if (meta == nullptr) return gdal_failure("reading its version", "no version table");
  meta->SetAttributeFilter("key = 'version'");
  meta->ResetReading();
  Feature row(meta->GetNextFeature());
  meta->SetAttributeFilter(nullptr);
  if (!row) return gdal_failure("reading its version", "no version row");
  return static_cast<std::int64_t>(std::strtoll(row->GetFieldAsString("value"), nullptr, 10));
}

Expected<std::vector<SourceRecord>> read_records(GDALDataset& ds, bool include_withdrawn) {
  OGRLayer* sources = ds.GetLayerByName(kSources);
  if (sources == nullptr) return gdal_failure("listing sources", "no source table");
  std::vector<SourceRecord> out;
  sources->SetAttributeFilter(nullptr);
  sources->ResetReading();
  for (Feature f(sources->GetNextFeature()); f; f.reset(sources->GetNextFeature())) {
    SourceRecord record = record_from(*f);
    if (include_withdrawn || !record.withdrawn()) out.push_back(std::move(record));
  }
  std::sort(out.begin(), out.end(),
            [](const SourceRecord& a, const SourceRecord& b) { return a.id < b.id; });
  return out;
}

}  // namespace store

Expected<std::shared_ptr<SourceStore>> SourceStore::open(const std::string& connection,
                                                         bool create) {
  geo::QuietGdalErrors quiet;
  static std::once_flag registered;
  std::call_once(registered, [] { GDALAllRegister(); });
  std::shared_ptr<SourceStore> out(new SourceStore());
  out->connection_ = connection;
  out->postgres_ = store::is_postgres_connection(connection);
  out->impl_ = std::make_unique<Impl>();
  auto ds = store::open_dataset(connection, out->postgres_, create);
  if (!ds) return ds.error();
  if (auto ok = store::ensure_schema(**ds, out->postgres_); !ok) return ok.error();
  return out;
}

SourceStore::~SourceStore() = default;

Expected<std::int64_t> SourceStore::version() const {
  geo::QuietGdalErrors quiet;
  auto ds = store::open_existing(*this);
  if (!ds) return ds.error();
  return store::read_version(**ds);
}

Expected<std::vector<SourceRecord>> SourceStore::list(bool include_withdrawn) const {
  geo::QuietGdalErrors quiet;
  auto ds = store::open_existing(*this);
  if (!ds) return ds.error();
  return store::read_records(**ds, include_withdrawn);
}

Expected<SourceRecord> SourceStore::get(std::int64_t id) const {
  geo::QuietGdalErrors quiet;
  auto records = list(true);
  if (!records) return records.error();
  for (auto& record : *records) {
    if (record.id == id) return std::move(record);
  }
  return make_error(ErrorCode::not_found,
                    "No source has id " + std::to_string(id) + "; GET /api/sources lists them");
}

Expected<StoreContents> SourceStore::read_all() const {
  geo::QuietGdalErrors quiet;
  auto ds = store::open_existing(*this);
  if (!ds) return ds.error();
  // One version of the store: a change committed while reading (by another
  // server or process) shows as a new version number, and the read is
  // taken again.
  for (int attempt = 0;; ++attempt) {
    auto before = store::read_version(**ds);
    if (!before) return before.error();
    auto records = store::read_records(**ds, false);
    if (!records) return records.error();
    StoreContents out;
    out.version = *before;
    for (auto& record : *records) {
      out.sources.push_back(StoredSource{std::move(record), RowBatch{}});
      out.sources.back().rows.reserve(static_cast<std::size_t>(out.sources.back().record.rows_accepted), 0);
    }
    std::map<std::int64_t, RowBatch*> batches;
    for (auto& source : out.sources) batches[source.record.id] = &source.rows;
    if (auto ok = store::read_rows(**ds, postgres_, batches); !ok) return ok.error();
    auto after = store::read_version(**ds);
    if (!after) return after.error();
    if (*after == *before || attempt == 4) return out;
  }
}

}  // namespace hotspot::data
