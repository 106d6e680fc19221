#include "store_rows.hpp"

#include "hotspot/data/category.hpp"
#include "hotspot/data/local_time.hpp"
#include "store_dataset.hpp"

#include <cpl_conv.h>

#include <cmath>
#include <cstdio>
#include <ctime>

namespace hotspot::data::store {
namespace {

// Field positions in the incident table, looked up once per read or write.
struct IncidentFields {
  int source_id, kind, row_key, category, label, occurred, precision, domestic;
  int occurred_to, alcohol, subtype, location;

  static Expected<IncidentFields> of(OGRFeatureDefn& defn) {
    IncidentFields f{};
    const std::pair<int*, const char*> wanted[] = {
        {&f.source_id, "source_id"}, {&f.kind, "kind"},         {&f.row_key, "row_key"},
        {&f.category, "category"},   {&f.label, "label"},       {&f.occurred, "occurred"},
        {&f.precision, "precision"}, {&f.domestic, "domestic"},
        {&f.occurred_to, "occurred_to"}, {&f.alcohol, "alcohol"},
        {&f.subtype, "subtype"},     {&f.location, "location"},
    };
    for (auto [index, name] : wanted) {
      *index = defn.GetFieldIndex(name);
      if (*index < 0) {
        return make_error(ErrorCode::store_unavailable,
                          std::string("The store's incident table has no field '") + name +
                              "'; it was not made by this version of hotspot");
      }
    }
    return f;
  }
};

std::int64_t utc_of(const OGRFeature& f, int field) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, tz = 0;
  float second = 0;
  f.GetFieldAsDateTime(field, &year, &month, &day, &hour, &minute, &second, &tz);
  std::int64_t utc = std::int64_t{days_from_civil(year, static_cast<unsigned>(month),
                                                  static_cast<unsigned>(day))} *
                         86400 +
                     hour * 3600 + minute * 60 + static_cast<std::int64_t>(std::lround(second));
  if (tz > 1 && tz != 100) utc -= std::int64_t{tz - 100} * 15 * 60;  // tz: quarter hours + 100
  return utc;
}

void set_utc(OGRFeature& f, int field, std::int64_t utc) {
  const auto seconds = static_cast<std::time_t>(utc);
  std::tm t{};
  gmtime_r(&seconds, &t);
  f.SetField(field, t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min,
             static_cast<float>(t.tm_sec), 100);
}

void set_text_or_null(OGRFeature& f, int field, std::string_view text) {
  if (text.empty()) {
    f.SetFieldNull(field);
  } else {
    f.SetField(field, std::string(text).c_str());
  }
}

// The row key as the table's id: fingerprints (rows without an id of
// their own) are not shown as ids.
std::string_view id_of_key(const char* key) {
  return key[0] == '~' ? std::string_view() : std::string_view(key);
}

}  // namespace

namespace {

// PostgreSQL: the columns as plain values (coordinates and epoch seconds
// computed by the server), which GDAL reads without decoding a geometry or
// parsing a date-time per row: start-up from 839k rows took 4.5-5.1 s
// through the layer, 3.2-3.6 s through this query.
constexpr const char* kPostgresRows =
    "SELECT source_id, row_key, category, label, "
    "CAST(EXTRACT(EPOCH FROM occurred) AS BIGINT) AS occurred_s, precision, "
    "CAST(domestic AS INTEGER) AS domestic_i, "
    "CAST(EXTRACT(EPOCH FROM occurred_to) AS BIGINT) AS occurred_to_s, "
    "CAST(alcohol AS INTEGER) AS alcohol_i, subtype, location, "
    "ST_X(geom) AS x, ST_Y(geom) AS y FROM hotspot_incidents ORDER BY fid";

// Appends one stored row to its source's batch (rows of sources not in
// `batches`, i.e. withdrawn ones, are skipped).
class RowSink {
 public:
  explicit RowSink(const std::map<std::int64_t, RowBatch*>& batches) : batches_(batches) {}
  RowBatch* batch_of(std::int64_t source) {
    if (source != last_source_) {
      const auto it = batches_.find(source);
      batch_ = it == batches_.end() ? nullptr : it->second;
      last_source_ = source;
    }
    return batch_;
  }
  std::size_t next_row() { return ++row_; }

 private:
  const std::map<std::int64_t, RowBatch*>& batches_;
  std::int64_t last_source_ = -1;
  RowBatch* batch_ = nullptr;
  std::size_t row_ = 0;
};

void add_row(RowBatch& batch, const OGRFeature& f, double x, double y, std::int64_t utc,
             int precision, int category, int label, int row_key, int domestic,
             const RowExtras& extras, std::size_t row) {
  const auto time_precision = parse_time_precision(f.GetFieldAsString(precision));
  const auto mapped = parse_category_name(f.GetFieldAsString(category));
  batch.add(x, y, ParsedTime{utc, time_precision.value_or(TimePrecision::minute)},
            mapped.value_or(Category::other), f.GetFieldAsString(label),
            id_of_key(f.GetFieldAsString(row_key)), row, f.GetFieldAsInteger(domestic) != 0,
            extras);
}

Expected<bool> read_rows_sql(GDALDataset& ds, RowSink& sink) {
  CPLErrorReset();
  ResultSet result(ds, ds.ExecuteSQL(kPostgresRows, nullptr, nullptr));
  if (result.get() == nullptr) return gdal_failure("reading incidents");
  OGRLayer& rows = *result.get();
  for (Feature f(rows.GetNextFeature()); f; f.reset(rows.GetNextFeature())) {
    const std::size_t row = sink.next_row();
    RowBatch* batch = sink.batch_of(f->GetFieldAsInteger64(0));
    if (batch == nullptr) continue;
    RowExtras extras;
    if (f->IsFieldSetAndNotNull(7)) extras.occurred_to = f->GetFieldAsInteger64(7);
    if (f->IsFieldSetAndNotNull(8)) extras.alcohol = f->GetFieldAsInteger(8) != 0 ? kAlcoholYes : kAlcoholNo;
    if (f->IsFieldSetAndNotNull(9)) extras.subtype = f->GetFieldAsString(9);
    if (f->IsFieldSetAndNotNull(10)) extras.location = f->GetFieldAsString(10);
    add_row(*batch, *f, f->GetFieldAsDouble(11), f->GetFieldAsDouble(12),
            f->GetFieldAsInteger64(4), 5, 2, 3, 1, 6, extras, row);
  }
  if (CPLGetLastErrorType() >= CE_Failure) return gdal_failure("reading incidents");
  return true;
}

Expected<bool> read_rows_layer(GDALDataset& ds, RowSink& sink) {
  OGRLayer* layer = ds.GetLayerByName(kIncidents);
  if (layer == nullptr) return gdal_failure("reading incidents", "no incident table");
  auto fields = IncidentFields::of(*layer->GetLayerDefn());
  if (!fields) return fields.error();
  const char* ignored[] = {"kind", nullptr};
  layer->SetIgnoredFields(ignored);
  layer->SetAttributeFilter(nullptr);
  layer->ResetReading();
  CPLErrorReset();
  for (Feature f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
    const std::size_t row = sink.next_row();
    RowBatch* batch = sink.batch_of(f->GetFieldAsInteger64(fields->source_id));
    const OGRGeometry* geometry = f->GetGeometryRef();
    if (batch == nullptr || geometry == nullptr ||
        wkbFlatten(geometry->getGeometryType()) != wkbPoint) {
      continue;
    }
    const auto* point = geometry->toPoint();
    RowExtras extras;
    if (f->IsFieldSetAndNotNull(fields->occurred_to)) extras.occurred_to = utc_of(*f, fields->occurred_to);
    if (f->IsFieldSetAndNotNull(fields->alcohol)) {
      extras.alcohol = f->GetFieldAsInteger(fields->alcohol) != 0 ? kAlcoholYes : kAlcoholNo;
    }
    if (f->IsFieldSetAndNotNull(fields->subtype)) extras.subtype = f->GetFieldAsString(fields->subtype);
    if (f->IsFieldSetAndNotNull(fields->location)) extras.location = f->GetFieldAsString(fields->location);
    add_row(*batch, *f, point->getX(), point->getY(), utc_of(*f, fields->occurred),
            fields->precision, fields->category, fields->label, fields->row_key,
            fields->domestic, extras, row);
  }
  layer->SetIgnoredFields(nullptr);
  if (CPLGetLastErrorType() >= CE_Failure) return gdal_failure("reading incidents");
  return true;
}

}  // namespace

Expected<bool> read_rows(GDALDataset& ds, bool postgres,
                         const std::map<std::int64_t, RowBatch*>& batches) {
  RowSink sink(batches);
  return postgres ? read_rows_sql(ds, sink) : read_rows_layer(ds, sink);
}

Expected<bool> write_rows(GDALDataset& ds, std::int64_t source_id, const std::string& kind,
                          const IncidentTable& table, const std::vector<std::string>& keys,
                          const std::vector<bool>& keep) {
  OGRLayer* layer = ds.GetLayerByName(kIncidents);
  if (layer == nullptr) return gdal_failure("writing incidents", "no incident table");
  auto fields = IncidentFields::of(*layer->GetLayerDefn());
  if (!fields) return fields.error();
  // PostgreSQL: rows go by COPY rather than an INSERT each (84 s for 839k
  // rows by INSERT). Thread-local: other threads' GDAL use is unchanged.
  CPLSetThreadLocalConfigOption("PG_USE_COPY", "YES");
  struct Reset {
    ~Reset() { CPLSetThreadLocalConfigOption("PG_USE_COPY", nullptr); }
  } reset;
  Feature f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
  f->SetField(fields->source_id, static_cast<GIntBig>(source_id));
  f->SetField(fields->kind, kind.c_str());
  OGRPoint point;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (!keep[i]) continue;
    f->SetFID(OGRNullFID);
    f->SetField(fields->row_key, keys[i].c_str());
    f->SetField(fields->category, std::string(category_name(table.category[i])).c_str());
    f->SetField(fields->label, table.category_labels[table.category_label[i]].c_str());
    set_utc(*f, fields->occurred, table.instant[i]);
    f->SetField(fields->precision, std::string(time_precision_name(table.precision[i])).c_str());
    f->SetField(fields->domestic, table.domestic[i] != 0 ? 1 : 0);
    // The optional fields: NULL where the row has none.
    if (const std::int64_t to = table.occurred_to_of(i); to != kNoOccurredTo) {
      set_utc(*f, fields->occurred_to, to);
    } else {
      f->SetFieldNull(fields->occurred_to);
    }
    if (const std::uint8_t a = table.alcohol_of(i); a != kAlcoholUnknown) {
      f->SetField(fields->alcohol, a == kAlcoholYes ? 1 : 0);
    } else {
      f->SetFieldNull(fields->alcohol);
    }
    set_text_or_null(*f, fields->subtype, table.subtype_label(i));
    set_text_or_null(*f, fields->location, table.location_label(i));
    point.setX(table.x[i]);
    point.setY(table.y[i]);
    f->SetGeometry(&point);
    CPLErrorReset();
    if (layer->CreateFeature(f.get()) != OGRERR_NONE) return gdal_failure("writing incidents");
  }
  return true;
}

}  // namespace hotspot::data::store
