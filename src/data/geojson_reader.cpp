// GeoJSON incident files: a FeatureCollection of Point features.

#include "hotspot/data/csv.hpp"
#include "hotspot/data/incident_readers.hpp"

#include "reader_common.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>

namespace hotspot::data::detail {

namespace {

using nlohmann::json;

// The property whose normalised name is `wanted` (if set) or, failing that,
// the first of `names` present.
const json* find_property(const json& properties, const std::string& wanted,
                          std::initializer_list<std::string_view> names) {
  if (!properties.is_object()) return nullptr;
  if (!wanted.empty()) {
    const std::string w = normalise_name(wanted);
    for (auto it = properties.begin(); it != properties.end(); ++it)
      if (normalise_name(it.key()) == w) return &it.value();
    return nullptr;
  }
  for (std::string_view name : names) {
    for (auto it = properties.begin(); it != properties.end(); ++it)
      if (normalise_name(it.key()) == name) return &it.value();
  }
  return nullptr;
}

// Text of a string or number value (ids may be either); empty otherwise.
std::string_view text_of(const json* value, std::string& scratch) {
  if (value == nullptr) return {};
  if (value->is_string()) return value->get_ref<const std::string&>();
  if (value->is_number_integer()) {
    scratch = std::to_string(value->get<std::int64_t>());
    return scratch;
  }
  if (value->is_number()) {
    scratch = value->dump();
    return scratch;
  }
  return {};
}

// The legacy (pre-RFC 7946) "crs" member, e.g. urn:ogc:def:crs:EPSG::27700.
std::string legacy_crs(const json& root) {
  auto crs = root.find("crs");
  if (crs == root.end() || !crs->is_object()) return {};
  auto props = crs->find("properties");
  if (props == crs->end() || !props->is_object()) return {};
  auto name = props->find("name");
  if (name == props->end() || !name->is_string()) return {};
  const std::string& n = name->get_ref<const std::string&>();
  const auto colon = n.rfind(':');
  if (n.find("EPSG") == std::string::npos || colon == std::string::npos) return {};
  const std::string code = n.substr(colon + 1);
  if (code == "4326" || code.empty()) return {};
  if (n.find("CRS84") != std::string::npos) return {};
  return "EPSG:" + code;
}

}  // namespace

Expected<std::size_t> read_geojson_incidents(const IncidentSourceOptions& options,
                                             FileBuffer& file, IncidentTableBuilder& builder,
                                             FileReport& report) {
  const std::span<char> text = strip_bom(std::span<char>(file.data(), file.size));
  json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    return make_error(ErrorCode::unreadable_input, "'" + options.path + "' is not valid JSON");
  }
  auto type = root.is_object() ? root.find("type") : root.end();
  auto features = root.is_object() ? root.find("features") : root.end();
  if (!root.is_object() || type == root.end() || *type != "FeatureCollection" ||
      features == root.end() || !features->is_array()) {
    return make_error(ErrorCode::unreadable_input,
                      "'" + options.path + "' is not a GeoJSON FeatureCollection");
  }

  std::string crs = options.crs;
  if (crs.empty()) crs = legacy_crs(root);
  if (crs.empty()) crs = geo::kWgs84;  // RFC 7946: always WGS84 lon/lat

  RowBatch batch;
  batch.kind = IncidentFormat::geojson;
  batch.reserve(features->size(), features->size() * 8);
  std::size_t synthetic_rows = 0;
  std::string id_scratch, time_scratch;
  std::size_t number = 0;
  for (const json& feature : *features) {
    ++number;  // features are numbered from 1 in the report
    ++report.rows_read;
    if (!feature.is_object() || feature.value("type", json()) != "Feature") {
      note_issue(report, RowIssue::malformed_row, number, [] { return "not a GeoJSON Feature"; });
      ++report.rows_rejected;
      continue;
    }
    RowFields row;
    row.have_numbers = true;
    auto geometry = feature.find("geometry");
    if (geometry == feature.end() || geometry->is_null()) {
      row.coordinates_present = false;
    } else {
      auto gtype = geometry->is_object() ? geometry->find("type") : geometry->end();
      if (!geometry->is_object() || gtype == geometry->end() || *gtype != "Point") {
        note_issue(report, RowIssue::malformed_row, number, [&] {
          return gtype != geometry->end() && gtype->is_string()
                     ? "geometry is a " + gtype->get<std::string>() + ", not a Point"
                     : std::string("geometry has no type");
        });
        ++report.rows_rejected;
        continue;
      }
      auto coords = geometry->find("coordinates");
      if (coords == geometry->end() || !coords->is_array() || coords->size() < 2 ||
          !(*coords)[0].is_number() || !(*coords)[1].is_number()) {
        note_issue(report, RowIssue::bad_coordinates, number,
                   [] { return "Point coordinates are not two numbers"; });
        ++report.rows_rejected;
        continue;
      }
      row.x = (*coords)[0].get<double>();
      row.y = (*coords)[1].get<double>();
    }

    static const json kNoProperties = json::object();
    auto props_it = feature.find("properties");
    const json& properties =
        props_it != feature.end() && props_it->is_object() ? *props_it : kNoProperties;
    const json* category = find_property(
        properties, options.category_column,
        {"category", "crimetype", "crimecategory", "offence", "offencetype", "incidenttype", "type"});
    const json* time = find_property(
        properties, options.time_column,
        {"occurredat", "datetime", "timestamp", "occurred", "dateoccurred", "reportedat", "date",
         "time", "month"});
    const json* synthetic = find_property(properties, options.synthetic_column, {"synthetic"});
    const json* domestic = find_property(properties, options.domestic_column,
                                         {"domestic", "isdomestic", "domesticflag"});
    auto fid = feature.find("id");
    const json* id = fid != feature.end() ? &*fid
                                          : find_property(properties, options.id_column, {"id"});
    std::string category_scratch;
    row.category = text_of(category, category_scratch);
    // A feature without a category is kept as "other" with a warning.
    row.have_category_column = true;
    row.time = text_of(time, time_scratch);
    row.id = text_of(id, id_scratch);
    // A feature without the property is not domestic (unless the property
    // was named with ?domestic=); one with it must say which.
    std::string domestic_scratch;
    row.have_domestic_column = domestic != nullptr || !options.domestic_column.empty();
    if (domestic != nullptr && domestic->is_boolean()) {
      row.domestic = domestic->get<bool>() ? "true" : "false";
    } else {
      row.domestic = text_of(domestic, domestic_scratch);
    }
    // Alcohol, when the property is there: yes/no/unknown or a boolean.
    const json* alcohol = find_property(properties, options.alcohol_column,
                                        {"alcohol", "alcoholflag", "alcoholrelated", "alcoholinvolved"});
    std::string alcohol_scratch;
    row.have_alcohol_column = alcohol != nullptr;
    if (alcohol != nullptr && alcohol->is_boolean()) {
      row.alcohol = alcohol->get<bool>() ? "true" : "false";
    } else {
      row.alcohol = text_of(alcohol, alcohol_scratch);
    }
    if (accept_row(row, number, batch, report) && synthetic != nullptr &&
        ((synthetic->is_boolean() && synthetic->get<bool>()) ||
         (synthetic->is_string() && is_true(synthetic->get_ref<const std::string&>()))))
      ++synthetic_rows;
  }

  builder.set_crs(crs);
  if (synthetic_rows > 0) report.synthetic = true;
  if (report.rows_read == 0) report.notes.push_back("the FeatureCollection has no features");
  const std::size_t accepted = batch.size();
  builder.add_batch(std::move(batch));
  return accepted;
}

}  // namespace hotspot::data::detail
