#pragma once
// Internal to the source store: the GDAL dataset handle, the schema's names,
// the transaction and the cross-process write lock.

#include "hotspot/common/error.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cstdint>
#include <memory>
#include <string>

namespace hotspot::data::store {

// Table and field names, the same in a GeoPackage and in PostgreSQL (where
// GDAL's laundering leaves lower-case names as they are).
inline constexpr const char* kIncidents = "hotspot_incidents";
inline constexpr const char* kSources = "hotspot_sources";
inline constexpr const char* kMeta = "hotspot_meta";
inline constexpr int kSchemaVersion = 1;

struct DatasetCloser {
  void operator()(GDALDataset* ds) const {
    if (ds != nullptr) GDALClose(ds);
  }
};
using Dataset = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
  void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
using Feature = std::unique_ptr<OGRFeature, FeatureDeleter>;

// A result layer of ExecuteSQL, released with its dataset's ReleaseResultSet.
class ResultSet {
 public:
  ResultSet(GDALDataset& ds, OGRLayer* layer) : ds_(&ds), layer_(layer) {}
  ~ResultSet() {
    if (layer_ != nullptr) ds_->ReleaseResultSet(layer_);
  }
  ResultSet(const ResultSet&) = delete;
  ResultSet& operator=(const ResultSet&) = delete;
  OGRLayer* get() const { return layer_; }

 private:
  GDALDataset* ds_;
  OGRLayer* layer_;
};

// "PG:..." names a PostgreSQL store; anything else a GeoPackage file.
inline bool is_postgres_connection(const std::string& connection) {
  return connection.rfind("PG:", 0) == 0 || connection.rfind("pg:", 0) == 0;
}

// A field of a row as text or as a whole number; "" or 0 when unset or NULL.
inline std::string text_field(const OGRFeature& f, const char* name) {
  const int i = f.GetFieldIndex(name);
  return i >= 0 && f.IsFieldSetAndNotNull(i) ? f.GetFieldAsString(i) : "";
}
inline std::int64_t int_field(const OGRFeature& f, const char* name) {
  const int i = f.GetFieldIndex(name);
  return i >= 0 && f.IsFieldSetAndNotNull(i) ? f.GetFieldAsInteger64(i) : 0;
}

// Opens the store's dataset for update; creates a missing GeoPackage when
// `create`.
Expected<Dataset> open_dataset(const std::string& connection, bool postgres, bool create);

// Creates the three tables and their indexes when missing.
Expected<bool> ensure_schema(GDALDataset& ds, bool postgres);

// The SQL text of a string literal: 'it''s'.
std::string sql_literal(const std::string& text);

// Runs a statement that returns nothing (or whose rows are not wanted).
Expected<bool> execute(GDALDataset& ds, const std::string& sql);

// The last GDAL error, or `fallback`, as an Error a user can act on: a full
// disk or a read-only file says so.
Error gdal_failure(const std::string& doing, const std::string& fallback = {});

// One transaction; rolled back unless committed. PostgreSQL: also takes the
// store's advisory lock, which serialises writers across servers.
class Transaction {
 public:
  static Expected<std::unique_ptr<Transaction>> begin(GDALDataset& ds, bool postgres);
  ~Transaction();
  Expected<bool> commit();

 private:
  explicit Transaction(GDALDataset& ds) : ds_(ds) {}
  GDALDataset& ds_;
  bool open_ = true;
};

// An exclusive lock on a file beside a GeoPackage, held while it lives:
// writers in other processes (`hotspot sources add` beside a running
// hotspotd) wait for it. SQLite's own lock would make them fail at once.
class FileLock {
 public:
  static Expected<std::unique_ptr<FileLock>> acquire(const std::string& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace hotspot::data::store
