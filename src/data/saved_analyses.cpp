// AnalysisBook: the table of saved analyses, through GDAL, in the source
// store or a GeoPackage of its own. The data checks and the snapshot an
// analysis is answered from are in saved_snapshot.cpp.

#include "hotspot/data/saved_analyses.hpp"

#include "hotspot/data/local_time.hpp"
#include "hotspot/geo/gdal_errors.hpp"
#include "store_dataset.hpp"

#include <algorithm>
#include <cstdlib>

namespace hotspot::data {

using store::Dataset;
using store::Feature;

namespace {

constexpr const char* kAnalyses = "hotspot_analyses";
// Its own advisory lock, not the source store's: saving an analysis must
// not wait behind a 10-minute upload.
constexpr const char* kAnalysesLock = "SELECT pg_advisory_xact_lock(7274012)";

constexpr const char* kTextFields[] = {"name",        "method",           "parameters",
                                       "created_at",  "created_by",       "snapshot_version",
                                       "files_version", "loaded_at",      "sources"};

using store::int_field;
using store::text_field;

AnalysisRecord record_from(const OGRFeature& f) {
  AnalysisRecord r;
  r.id = f.GetFID();
  r.name = text_field(f, "name");
  r.method = text_field(f, "method");
  r.parameters = text_field(f, "parameters");
  r.created_at = text_field(f, "created_at");
  r.created_by = text_field(f, "created_by");
  r.snapshot_version = text_field(f, "snapshot_version");
  r.files_version = text_field(f, "files_version");
  r.loaded_at = text_field(f, "loaded_at");
  r.store_version = int_field(f, "store_version");
  r.sources = sources_from_text(text_field(f, "sources"));
  return r;
}

void write_fields(OGRFeature& f, const AnalysisRecord& r) {
  const std::string sources = sources_text(r.sources);
  const std::string* values[] = {&r.name,        &r.method,           &r.parameters,
                                 &r.created_at,  &r.created_by,       &r.snapshot_version,
                                 &r.files_version, &r.loaded_at,      &sources};
  for (std::size_t i = 0; i < std::size(kTextFields); ++i) {
    f.SetField(kTextFields[i], values[i]->c_str());
  }
  f.SetField("store_version", static_cast<GIntBig>(r.store_version));
}

// Creates the table when missing, in a transaction of its own.
Expected<bool> ensure_table(GDALDataset& ds, bool postgres) {
  if (ds.GetLayerByName(kAnalyses) != nullptr) return true;
  auto transaction = store::Transaction::begin(ds, false);
  if (!transaction) return transaction.error();
  if (postgres) {
    if (auto ok = store::execute(ds, kAnalysesLock); !ok) return ok;
  }
  char** options = CSLSetNameValue(nullptr, "FID", "fid");
  OGRLayer* layer = ds.CreateLayer(kAnalyses, nullptr, wkbNone, options);
  CSLDestroy(options);
  if (layer == nullptr) return store::gdal_failure("creating the saved analyses' table");
  for (const char* name : kTextFields) {
    OGRFieldDefn field(name, OFTString);
    if (layer->CreateField(&field) != OGRERR_NONE) {
      return store::gdal_failure("creating the saved analyses' table");
    }
  }
  OGRFieldDefn version("store_version", OFTInteger64);
  if (layer->CreateField(&version) != OGRERR_NONE) {
    return store::gdal_failure("creating the saved analyses' table");
  }
  return (*transaction)->commit();
}

Expected<OGRLayer*> analyses_layer(GDALDataset& ds) {
  OGRLayer* layer = ds.GetLayerByName(kAnalyses);
  if (layer == nullptr) return store::gdal_failure("reading saved analyses", "no analyses table");
  return layer;
}

}  // namespace

std::string sources_text(const std::vector<SavedSource>& sources) {
  std::string out;
  for (const SavedSource& s : sources) {
    if (!out.empty()) out += ',';
    out += std::to_string(s.id) + "@" + s.replaced_at;
  }
  return out;
}

std::vector<SavedSource> sources_from_text(const std::string& text) {
  std::vector<SavedSource> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    const std::size_t at = item.find('@');
    SavedSource source;
    source.id = std::strtoll(item.substr(0, at).c_str(), nullptr, 10);
    if (at != std::string::npos) source.replaced_at = item.substr(at + 1);
    out.push_back(std::move(source));
    start = end + 1;
  }
  return out;
}

AnalysisRecord describe_data(const Snapshot& snapshot,
                             const std::vector<SourceRecord>& store_records) {
  AnalysisRecord out;
  out.snapshot_version = snapshot.version;
  out.files_version = snapshot.files_version;
  out.loaded_at = snapshot.report.loaded_at;
  out.store_version = snapshot.store_version;
  for (const DataSource& source : snapshot.sources) {
    if (source.store_id <= 0) continue;
    SavedSource saved{source.store_id, ""};
    for (const SourceRecord& record : store_records) {
      if (record.id == source.store_id) saved.replaced_at = record.replaced_at;
    }
    out.sources.push_back(std::move(saved));
  }
  std::sort(out.sources.begin(), out.sources.end(),
            [](const SavedSource& a, const SavedSource& b) { return a.id < b.id; });
  return out;
}

Expected<std::shared_ptr<AnalysisBook>> AnalysisBook::open(const std::string& connection) {
  geo::QuietGdalErrors quiet;
  GDALAllRegister();
  std::shared_ptr<AnalysisBook> out(new AnalysisBook());
  out->connection_ = connection;
  out->postgres_ = store::is_postgres_connection(connection);
  auto ds = store::open_dataset(connection, out->postgres_, true);
  if (!ds) return ds.error();
  if (auto ok = ensure_table(**ds, out->postgres_); !ok) return ok.error();
  return out;
}

Expected<std::vector<AnalysisRecord>> AnalysisBook::list() const {
  geo::QuietGdalErrors quiet;
  auto ds = store::open_dataset(connection_, postgres_, false);
  if (!ds) return ds.error();
  auto layer = analyses_layer(**ds);
  if (!layer) return layer.error();
  std::vector<AnalysisRecord> out;
  (*layer)->ResetReading();
  for (Feature f((*layer)->GetNextFeature()); f; f.reset((*layer)->GetNextFeature())) {
    out.push_back(record_from(*f));
  }
  std::sort(out.begin(), out.end(),
            [](const AnalysisRecord& a, const AnalysisRecord& b) { return a.id < b.id; });
  return out;
}

Expected<AnalysisRecord> AnalysisBook::get(std::int64_t id) const {
  geo::QuietGdalErrors quiet;
  auto ds = store::open_dataset(connection_, postgres_, false);
  if (!ds) return ds.error();
  auto layer = analyses_layer(**ds);
  if (!layer) return layer.error();
  Feature f((*layer)->GetFeature(id));
  if (!f) {
    return make_error(ErrorCode::not_found, "No saved analysis has id " + std::to_string(id) +
                                                "; GET /api/analyses lists them");
  }
  return record_from(*f);
}

Expected<AnalysisRecord> AnalysisBook::add(AnalysisRecord record, std::size_t max_count) {
  geo::QuietGdalErrors quiet;
  std::lock_guard in_process(write_mutex_);
  std::unique_ptr<store::FileLock> across_processes;
  if (!postgres_) {
    auto lock = store::FileLock::acquire(connection_ + ".analyses.lock");
    if (!lock) return lock.error();
    across_processes = std::move(*lock);
  }
  auto ds = store::open_dataset(connection_, postgres_, false);
  if (!ds) return ds.error();
  auto transaction = store::Transaction::begin(**ds, false);
  if (!transaction) return transaction.error();
  if (postgres_) {
    if (auto ok = store::execute(**ds, kAnalysesLock); !ok) return ok.error();
  }
  auto layer = analyses_layer(**ds);
  if (!layer) return layer.error();
  if (static_cast<std::size_t>((*layer)->GetFeatureCount()) >= max_count) {
    return make_error(ErrorCode::payload_too_large,
                      "There are " + std::to_string(max_count) +
                          " saved analyses, the most this server keeps");
  }
  record.created_at = utc_now_iso8601();
  Feature f(OGRFeature::CreateFeature((*layer)->GetLayerDefn()));
  write_fields(*f, record);
  CPLErrorReset();
  if ((*layer)->CreateFeature(f.get()) != OGRERR_NONE) {
    return store::gdal_failure("saving the analysis");
  }
  record.id = f->GetFID();
  if (auto ok = (*transaction)->commit(); !ok) return ok.error();
  return record;
}

}  // namespace hotspot::data
