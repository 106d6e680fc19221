#include "store_dataset.hpp"

#include "hotspot/geo/crs.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace hotspot::data::store {
namespace {

struct FieldSpec {
  const char* name;
  OGRFieldType type;
  OGRFieldSubType subtype = OFSTNone;
};

constexpr FieldSpec kIncidentFields[] = {
    {"source_id", OFTInteger64}, {"kind", OFTString},     {"row_key", OFTString},
    {"category", OFTString},     {"label", OFTString},    {"occurred", OFTDateTime},
    {"precision", OFTString},    {"domestic", OFTInteger, OFSTBoolean},
    // Fields only some kinds carry (docs/sources.md): NULL where a row has none.
    {"occurred_to", OFTDateTime}, {"alcohol", OFTInteger, OFSTBoolean},
    {"subtype", OFTString},      {"location", OFTString},
};

constexpr FieldSpec kSourceFields[] = {
    {"kind", OFTString},           {"name", OFTString},          {"licence", OFTString},
    {"options", OFTString},        {"file_name", OFTString},     {"added_at", OFTString},
    {"added_by", OFTString},       {"replaced_at", OFTString},   {"replaced_by", OFTString},
    {"withdrawn_at", OFTString},   {"withdrawn_by", OFTString},  {"rows_read", OFTInteger64},
    {"rows_accepted", OFTInteger64}, {"rows_rejected", OFTInteger64},
    {"rows_duplicate", OFTInteger64}, {"first_occurred", OFTString},
    {"last_occurred", OFTString},  {"synthetic", OFTInteger, OFSTBoolean},
};

constexpr FieldSpec kMetaFields[] = {{"key", OFTString}, {"value", OFTString}};

template <std::size_t N>
Expected<bool> add_fields(OGRLayer& layer, const FieldSpec (&fields)[N]) {
  for (const FieldSpec& spec : fields) {
    OGRFieldDefn field(spec.name, spec.type);
    field.SetSubType(spec.subtype);
    if (layer.CreateField(&field) != OGRERR_NONE) {
      return gdal_failure(std::string("creating the store's field '") + spec.name + "'");
    }
  }
  return true;
}

Expected<bool> create_tables(GDALDataset& ds) {
  OGRSpatialReference bng;
  bng.importFromEPSG(27700);
  bng.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  char** options = nullptr;
  options = CSLSetNameValue(options, "GEOMETRY_NAME", "geom");
  options = CSLSetNameValue(options, "FID", "fid");
  // No spatial index: hotspot reads every row, and an index kept up row by
  // row made a 1M-row upload 3.4 times slower in a GeoPackage (an R-tree
  // trigger: 26 s against 8 s) and twice as slow in PostgreSQL (GIST: 15 s
  // against 7.6 s). Other clients can build one (docs/deploy.md).
  options = CSLSetNameValue(options, "SPATIAL_INDEX", "NO");
  OGRLayer* incidents = ds.CreateLayer(kIncidents, &bng, wkbPoint, options);
  CSLDestroy(options);
  if (incidents == nullptr) return gdal_failure("creating the store's incident table");
  if (auto ok = add_fields(*incidents, kIncidentFields); !ok) return ok;

  char** plain = CSLSetNameValue(nullptr, "FID", "fid");
  OGRLayer* sources = ds.CreateLayer(kSources, nullptr, wkbNone, plain);
  OGRLayer* meta = ds.CreateLayer(kMeta, nullptr, wkbNone, plain);
  CSLDestroy(plain);
  if (sources == nullptr || meta == nullptr) return gdal_failure("creating the store's tables");
  if (auto ok = add_fields(*sources, kSourceFields); !ok) return ok;
  if (auto ok = add_fields(*meta, kMetaFields); !ok) return ok;
  for (const auto& [key, value] : {std::pair{"schema", std::to_string(kSchemaVersion)},
                                   std::pair{"version", std::string("0")}}) {
    Feature row(OGRFeature::CreateFeature(meta->GetLayerDefn()));
    row->SetField("key", key);
    row->SetField("value", value.c_str());
    if (meta->CreateFeature(row.get()) != OGRERR_NONE) return gdal_failure("creating the store");
  }
  // Withdrawing a source deletes its rows by source_id. Duplicates are
  // found by the writer, which holds the store's write lock, from the keys
  // of the source kind; a unique index on (kind, row_key) would guard the
  // same but cost 3 s of a 1M-row upload.
  return execute(ds,
                 "CREATE INDEX IF NOT EXISTS hotspot_incidents_source ON hotspot_incidents "
                 "(source_id)");
}

}  // namespace

Expected<Dataset> open_dataset(const std::string& connection, bool postgres, bool create) {
  CPLErrorReset();
  if (!postgres && !std::filesystem::exists(connection)) {
    if (!create) {
      return make_error(ErrorCode::store_unavailable,
                        "The store '" + connection + "' does not exist");
    }
    std::error_code ec;
    const auto folder = std::filesystem::path(connection).parent_path();
    if (!folder.empty()) std::filesystem::create_directories(folder, ec);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (driver == nullptr) return make_error(ErrorCode::internal, "GDAL has no GPKG driver");
    Dataset ds(driver->Create(connection.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) return gdal_failure("creating the store '" + connection + "'");
    return ds;
  }
  const char* drivers[] = {postgres ? "PostgreSQL" : "GPKG", nullptr};
  Dataset ds(GDALDataset::Open(connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers));
  if (!ds) {
    return gdal_failure(postgres ? "connecting to the PostgreSQL store"
                                 : "opening the store '" + connection + "'");
  }
  return ds;
}

// A store made before a field was added gets the field (NULL in its rows).
static Expected<bool> add_missing_fields(OGRLayer& incidents) {
  for (const FieldSpec& spec : kIncidentFields) {
    if (incidents.GetLayerDefn()->GetFieldIndex(spec.name) >= 0) continue;
    OGRFieldDefn field(spec.name, spec.type);
    field.SetSubType(spec.subtype);
    if (incidents.CreateField(&field) != OGRERR_NONE) {
      return gdal_failure(std::string("adding the field '") + spec.name + "' to the store");
    }
  }
  return true;
}

Expected<bool> ensure_schema(GDALDataset& ds, bool postgres) {
  if (ds.GetLayerByName(kIncidents) != nullptr && ds.GetLayerByName(kSources) != nullptr &&
      ds.GetLayerByName(kMeta) != nullptr) {
    return add_missing_fields(*ds.GetLayerByName(kIncidents));
  }
  if (ds.GetLayerByName(kIncidents) != nullptr || ds.GetLayerByName(kSources) != nullptr) {
    return make_error(ErrorCode::store_unavailable,
                      "The store holds only some of hotspot's tables; restore it from a backup "
                      "or name an empty store");
  }
  auto transaction = Transaction::begin(ds, postgres);
  if (!transaction) return transaction.error();
  if (auto ok = create_tables(ds); !ok) return ok;
  return (*transaction)->commit();
}

std::string sql_literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

Expected<bool> execute(GDALDataset& ds, const std::string& sql) {
  CPLErrorReset();
  ResultSet result(ds, ds.ExecuteSQL(sql.c_str(), nullptr, nullptr));
  // A SELECT in PostgreSQL runs when its first row is fetched.
  if (result.get() != nullptr) Feature(result.get()->GetNextFeature());
  if (CPLGetLastErrorType() >= CE_Failure) return gdal_failure("updating the store");
  return true;
}

Error gdal_failure(const std::string& doing, const std::string& fallback) {
  std::string detail = CPLGetLastErrorType() >= CE_Failure ? CPLGetLastErrorMsg() : fallback;
  const bool full = detail.find("disk is full") != std::string::npos ||
                    detail.find("No space left") != std::string::npos ||
                    detail.find("could not extend file") != std::string::npos;
  if (full) {
    return make_error(ErrorCode::insufficient_storage,
                      "The store's disk is full (" + doing +
                          "); nothing was changed. Free space and try again");
  }
  if (detail.empty()) detail = "GDAL gave no reason";
  return make_error(ErrorCode::store_unavailable,
                    "The store failed while " + doing + ": " + detail + "; nothing was changed");
}

Expected<std::unique_ptr<Transaction>> Transaction::begin(GDALDataset& ds, bool postgres) {
  CPLErrorReset();
  if (ds.StartTransaction(FALSE) != OGRERR_NONE) return gdal_failure("starting a transaction");
  std::unique_ptr<Transaction> transaction(new Transaction(ds));
  if (postgres) {
    // Held until the transaction ends: one writer at a time across servers.
    if (auto ok = execute(ds, "SELECT pg_advisory_xact_lock(7274011)"); !ok) return ok.error();
  }
  return transaction;
}

Transaction::~Transaction() {
  if (open_) ds_.RollbackTransaction();
}

Expected<bool> Transaction::commit() {
  open_ = false;
  CPLErrorReset();
  if (ds_.CommitTransaction() != OGRERR_NONE) {
    Error error = gdal_failure("committing the change");
    ds_.RollbackTransaction();
    return error;
  }
  return true;
}

Expected<std::unique_ptr<FileLock>> FileLock::acquire(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return make_error(ErrorCode::store_unavailable,
                      "The store's lock file '" + path + "' cannot be opened: " + std::strerror(errno));
  }
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const std::string why = std::strerror(errno);
    ::close(fd);
    return make_error(ErrorCode::store_unavailable, "The store cannot be locked: " + why);
  }
  return std::unique_ptr<FileLock>(new FileLock(fd));
}

FileLock::~FileLock() { ::close(fd_); }  // closing releases the lock

}  // namespace hotspot::data::store
