// Column layouts of the partnership source kinds (docs/sources.md has the
// same lists for people), and the column lookup the CSV readers share.

#include "csv_columns.hpp"

#include "hotspot/data/csv.hpp"

namespace hotspot::data::detail {

ColumnFinder::ColumnFinder(const std::vector<std::string_view>& raw) {
  header_.reserve(raw.size());
  for (auto name : raw) header_.push_back(normalise_name(name));
  for (std::size_t i = 0; i < raw.size() && i < 20; ++i) {
    if (i) listed_ += ", ";
    listed_ += std::string(raw[i].substr(0, 40));
  }
  if (listed_.empty()) listed_ = "(nothing)";
}

int ColumnFinder::find(std::initializer_list<std::string_view> names) const {
  for (std::string_view name : names) {
    for (std::size_t i = 0; i < header_.size(); ++i) {
      if (header_[i] == name) return static_cast<int>(i);
    }
  }
  return kMissing;
}

int ColumnFinder::named(const std::string& option, std::initializer_list<std::string_view> names) {
  if (option.empty()) return find(names);
  const std::string wanted = normalise_name(option);
  const int i = find({wanted});
  if (i == kMissing) missing_ += (missing_.empty() ? "'" : ", '") + option + "'";
  return i;
}

void find_flag_columns(const IncidentSourceOptions& options, ColumnFinder& finder, Columns& c) {
  c.domestic = finder.named(options.domestic_column,
                            {"domestic", "isdomestic", "domesticflag", "domesticabuse",
                             "domesticrelated"});
  c.alcohol = finder.named(options.alcohol_column,
                           {"alcohol", "alcoholflag", "alcoholrelated", "alcoholinvolved",
                            "alcoholsuspected", "alcoholinvolvement"});
  c.synthetic = finder.named(options.synthetic_column, {"synthetic"});
}

void find_coordinate_columns(ColumnFinder& finder, Columns& c) {
  c.x = finder.find({"easting", "eastings"});
  c.y = finder.find({"northing", "northings"});
  c.kind = Columns::Kind::grid;
  if (c.x == kMissing || c.y == kMissing) {
    c.x = finder.find({"longitude", "lon", "lng", "long"});
    c.y = finder.find({"latitude", "lat"});
    c.kind = Columns::Kind::lonlat;
  }
}

namespace {

// The kind's own names for id, category, start and end time, subtype,
// location and venue.
void find_kind_fields(const IncidentSourceOptions& o, IncidentFormat kind, ColumnFinder& f,
                      Columns& c) {
  switch (kind) {
    case IncidentFormat::police_extract:
      c.id = f.named(o.id_column, {"crimereference", "crimeref", "crimenumber", "crimeno",
                                   "reference", "urn", "id"});
      // A description says more than a code: it wins when both are there.
      c.category = f.named(o.category_column, {"offencedescription", "offence", "offencetype",
                                               "offencecode", "hooffencecode", "hocode"});
      c.time = f.named(o.time_column, {"committedfrom", "committedfromdatetime", "occurredfrom",
                                       "fromdatetime", "datefrom", "startdatetime"});
      c.occurred_to = f.named(o.to_column, {"committedto", "committedtodatetime", "occurredto",
                                            "todatetime", "dateto", "enddatetime"});
      c.location = f.named(o.location_column, {"location", "locationdescription", "street"});
      break;
    case IncidentFormat::council_asb:
      c.id = f.named(o.id_column, {"casereference", "caseref", "caseid", "casenumber", "reference", "id"});
      c.category = f.named(o.category_column, {"asbtype", "asbcategory", "incidenttype", "type", "category"});
      c.time = f.named(o.time_column, {"incidentdate", "incidentdatetime", "dateofincident",
                                       "occurredat", "datereported", "reporteddate"});
      c.location = f.named(o.location_column, {"location", "locationdescription", "street"});
      break;
    case IncidentFormat::fire:
      c.id = f.named(o.id_column, {"incidentnumber", "incidentid", "incidentref", "id"});
      c.category = f.named(o.category_column, {"incidenttype", "firetype", "type", "category"});
      c.time = f.named(o.time_column, {"calldatetime", "incidentdatetime", "timeofcall",
                                       "datetime", "date"});
      c.location = f.named(o.location_column, {"location", "locationdescription", "street"});
      break;
    case IncidentFormat::ae_assault:
      c.id = f.named(o.id_column, {"attendanceid", "attendanceref", "attendancereference",
                                   "reference", "id"});
      // Optional: every attendance is an assault.
      c.category = f.named(o.category_column, {"assaulttype"});
      c.time = f.named(o.time_column, {"assaultdatetime", "datetimeofassault", "assaultdate",
                                       "incidentdatetime", "datetime"});
      c.venue = f.named(o.venue_column, {"venue", "venuename", "premises", "premisesname",
                                         "locationname"});
      break;
    default:
      break;
  }
  // A&E weapon, or a subtype column any kind may have.
  c.subtype = f.named(o.subtype_column, {"weapon", "weaponused", "propertytype", "subtype"});
}

}  // namespace

Expected<Columns> resolve_kind_columns(const IncidentSourceOptions& options, IncidentFormat kind,
                                       ColumnFinder& finder) {
  Columns c;
  find_kind_fields(options, kind, finder, c);
  find_flag_columns(options, finder, c);
  if (!options.x_column.empty() || !options.y_column.empty()) {
    c.x = finder.named(options.x_column, {"easting"});
    c.y = finder.named(options.y_column, {"northing"});
    c.kind = Columns::Kind::ambiguous;  // the crs option or the values decide
  } else {
    find_coordinate_columns(finder, c);
  }
  const std::string what = "'" + options.path + "' is not a " + incident_format_name(kind) + " file: ";
  const std::string header = "; header: " + finder.listed();
  if (!finder.missing().empty())
    return make_error(ErrorCode::unreadable_input, "'" + options.path + "' has no column " +
                                                       finder.missing() + header);
  const bool located = (c.x != kMissing && c.y != kMissing) || c.venue != kMissing;
  if (!located)
    return make_error(ErrorCode::unreadable_input,
                      what + "it needs easting/northing or longitude/latitude columns" +
                          (kind == IncidentFormat::ae_assault ? " or a venue column" : "") + header);
  if (c.time == kMissing)
    return make_error(ErrorCode::unreadable_input,
                      what + "it has no date-time column (see docs/sources.md)" + header);
  if (c.category == kMissing && default_kind_label(kind).empty())
    return make_error(ErrorCode::unreadable_input,
                      what + "it has no category column (see docs/sources.md)" + header);
  return c;
}

}  // namespace hotspot::data::detail
