// SourceStore: adding, replacing and withdrawing sources. Each change is one
// transaction, taken under the store's write lock, that ends by bumping the
// version other servers poll.

#include "hotspot/data/fnv1a.hpp"
#include "hotspot/data/local_time.hpp"
#include "hotspot/data/source_store.hpp"
#include "hotspot/geo/gdal_errors.hpp"
#include "store_dataset.hpp"
#include "store_rows.hpp"

#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace hotspot::data {

using store::Dataset;
using store::Feature;

namespace {

// Everything a change holds while it runs: the locks, the dataset and the
// open transaction (rolled back unless committed).
struct Change {
  std::unique_lock<std::mutex> in_process;
  std::unique_ptr<store::FileLock> across_processes;
  Dataset ds;
  std::unique_ptr<store::Transaction> transaction;
};

Expected<std::unordered_set<std::string>> stored_keys(GDALDataset& ds, const std::string& kind) {
  std::unordered_set<std::string> keys;
  CPLErrorReset();
  store::ResultSet result(
      ds, ds.ExecuteSQL(("SELECT row_key FROM hotspot_incidents WHERE kind = " +
                         store::sql_literal(kind))
                            .c_str(),
                        nullptr, nullptr));
  if (result.get() == nullptr) return store::gdal_failure("looking for duplicates");
  for (Feature f(result.get()->GetNextFeature()); f; f.reset(result.get()->GetNextFeature())) {
    keys.insert(f->GetFieldAsString(0));
  }
  if (CPLGetLastErrorType() >= CE_Failure) return store::gdal_failure("looking for duplicates");
  return keys;
}

// Marks the rows to store: not stored already and not repeated in the file.
// Counts the rest as duplicates in the report.
std::vector<bool> rows_to_keep(const IncidentTable& table, const std::vector<std::string>& keys,
                               std::unordered_set<std::string>& stored, FileReport& report) {
  std::vector<bool> keep(table.size(), false);
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (stored.insert(keys[i]).second) {
      keep[i] = true;
      continue;
    }
    ++report.rows_duplicate;
    const std::string_view id = table.source_id(i);
    report.add_issue(RowIssue::duplicate, 0,
                     id.empty() ? "a row with the same place, time and category is stored already"
                                : "row id '" + std::string(id) + "' is stored already");
  }
  report.rows_accepted -= std::min(report.rows_accepted, report.rows_duplicate);
  return keep;
}

void describe(OGRFeature& f, const SourceDescription& source) {
  f.SetField("kind", source.kind.c_str());
  f.SetField("name", source.name.c_str());
  f.SetField("licence", source.licence.c_str());
  f.SetField("options", source.options.c_str());
  f.SetField("file_name", source.file_name.c_str());
  f.SetField("synthetic", source.synthetic ? 1 : 0);
}

void count(OGRFeature& f, const IncidentTable& table, const std::vector<bool>& keep,
           const FileReport& report) {
  f.SetField("rows_read", static_cast<GIntBig>(report.rows_read));
  f.SetField("rows_accepted", static_cast<GIntBig>(report.rows_accepted));
  f.SetField("rows_rejected", static_cast<GIntBig>(report.rows_rejected));
  f.SetField("rows_duplicate", static_cast<GIntBig>(report.rows_duplicate));
  std::int64_t first = 0, last = 0;
  bool any = false;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (!keep[i]) continue;
    first = any ? std::min(first, table.instant[i]) : table.instant[i];
    last = any ? std::max(last, table.instant[i]) : table.instant[i];
    any = true;
  }
  f.SetField("first_occurred", any ? utc_iso8601(first).c_str() : "");
  f.SetField("last_occurred", any ? utc_iso8601(last).c_str() : "");
}

Expected<bool> bump_version(GDALDataset& ds) {
  return store::execute(ds,
                        "UPDATE hotspot_meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) "
                        "WHERE key = 'version'");
}

Expected<SourceRecord> saved(GDALDataset& ds, std::int64_t id) {
  OGRLayer* sources = ds.GetLayerByName(store::kSources);
  Feature f(sources == nullptr ? nullptr : sources->GetFeature(id));
  if (!f) return store::gdal_failure("reading the saved source", "the source row is missing");
  return store::record_from(*f);
}

}  // namespace

std::vector<std::string> row_keys(const IncidentTable& table) {
  std::vector<std::string> keys(table.size());
  std::unordered_map<std::uint64_t, int> seen;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const std::string_view id = table.source_id(i);
    if (!id.empty()) {
      keys[i] = std::string(id);
      continue;
    }
    // Place to the centimetre, so that the same file read again, by another
    // build, gives the same key.
    Fnv1a hash;
    hash.add(static_cast<std::int64_t>(std::llround(table.x[i] * 100)));
    hash.add(static_cast<std::int64_t>(std::llround(table.y[i] * 100)));
    hash.add(table.instant[i]);
    hash.add(static_cast<std::int64_t>(table.precision[i]));
    hash.add_field(table.category_labels[table.category_label[i]]);
    const int occurrence = seen[hash.h]++;
    keys[i] = "~" + hex64(hash.h) + "." + std::to_string(occurrence);
  }
  return keys;
}

namespace {

Expected<Change> begin_change(const SourceStore& s, std::mutex& mutex) {
  Change change;
  change.in_process = std::unique_lock(mutex);
  if (!s.is_postgres()) {
    auto lock = store::FileLock::acquire(s.connection() + ".lock");
    if (!lock) return lock.error();
    change.across_processes = std::move(*lock);
  }
  auto ds = store::open_dataset(s.connection(), s.is_postgres(), false);
  if (!ds) return ds.error();
  change.ds = std::move(*ds);
  auto transaction = store::Transaction::begin(*change.ds, s.is_postgres());
  if (!transaction) return transaction.error();
  change.transaction = std::move(*transaction);
  return change;
}

// The active source `id` in the open change, or not_found.
Expected<Feature> active_source(GDALDataset& ds, std::int64_t id) {
  OGRLayer* sources = ds.GetLayerByName(store::kSources);
  Feature f(sources == nullptr ? nullptr : sources->GetFeature(id));
  if (!f || !store::record_from(*f).withdrawn_at.empty()) {
    return make_error(ErrorCode::not_found, "No source with id " + std::to_string(id) +
                                                " is stored; GET /api/sources lists them");
  }
  return f;
}

// Stores `rows` under the source row `f` (new when its FID is null).
Expected<SourceRecord> store_source(Change& change, Feature f, const SourceDescription& source,
                                    PreparedRows& rows, std::int64_t replaced) {
  GDALDataset& ds = *change.ds;
  if (replaced > 0) {
    auto deleted = store::execute(ds, "DELETE FROM hotspot_incidents WHERE source_id = " +
                                          std::to_string(replaced));
    if (!deleted) return deleted.error();
  }
  auto stored = stored_keys(ds, source.kind);
  if (!stored) return stored.error();
  const IncidentTable& table = *rows.table;
  const std::vector<std::string> keys = row_keys(table);
  const std::vector<bool> keep = rows_to_keep(table, keys, *stored, rows.report);
  describe(*f, source);
  count(*f, table, keep, rows.report);
  OGRLayer* sources = ds.GetLayerByName(store::kSources);
  CPLErrorReset();
  const OGRErr written = replaced > 0 ? sources->SetFeature(f.get()) : sources->CreateFeature(f.get());
  if (written != OGRERR_NONE) return store::gdal_failure("saving the source");
  const std::int64_t id = f->GetFID();
  if (auto ok = store::write_rows(ds, id, source.kind, table, keys, keep); !ok) return ok.error();
  if (auto ok = bump_version(ds); !ok) return ok.error();
  auto record = saved(ds, id);
  if (!record) return record.error();
  if (auto ok = change.transaction->commit(); !ok) return ok.error();
  return record;
}

}  // namespace

Expected<SourceRecord> SourceStore::add(const SourceDescription& source, PreparedRows& rows,
                                        const std::string& by) {
  geo::QuietGdalErrors quiet;
  auto change = begin_change(*this, impl_->write_mutex);
  if (!change) return change.error();
  OGRLayer* sources = change->ds->GetLayerByName(store::kSources);
  Feature f(OGRFeature::CreateFeature(sources->GetLayerDefn()));
  f->SetField("added_at", utc_now_iso8601().c_str());
  f->SetField("added_by", by.c_str());
  return store_source(*change, std::move(f), source, rows, 0);
}

Expected<SourceRecord> SourceStore::replace(std::int64_t id, const SourceDescription& source,
                                            PreparedRows& rows, const std::string& by) {
  geo::QuietGdalErrors quiet;
  auto change = begin_change(*this, impl_->write_mutex);
  if (!change) return change.error();
  auto f = active_source(*change->ds, id);
  if (!f) return f.error();
  (*f)->SetField("replaced_at", utc_now_iso8601().c_str());
  (*f)->SetField("replaced_by", by.c_str());
  return store_source(*change, std::move(*f), source, rows, id);
}

Expected<SourceRecord> SourceStore::remove(std::int64_t id, const std::string& by) {
  geo::QuietGdalErrors quiet;
  auto change = begin_change(*this, impl_->write_mutex);
  if (!change) return change.error();
  GDALDataset& ds = *change->ds;
  auto f = active_source(ds, id);
  if (!f) return f.error();
  auto deleted =
      store::execute(ds, "DELETE FROM hotspot_incidents WHERE source_id = " + std::to_string(id));
  if (!deleted) return deleted.error();
  (*f)->SetField("withdrawn_at", utc_now_iso8601().c_str());
  (*f)->SetField("withdrawn_by", by.c_str());
  CPLErrorReset();
  if (ds.GetLayerByName(store::kSources)->SetFeature(f->get()) != OGRERR_NONE) {
    return store::gdal_failure("withdrawing the source");
  }
  if (auto ok = bump_version(ds); !ok) return ok.error();
  auto record = saved(ds, id);
  if (!record) return record.error();
  if (auto ok = change->transaction->commit(); !ok) return ok.error();
  return record;
}

}  // namespace hotspot::data
