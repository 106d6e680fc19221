// /api/incidents: the selected incidents as GeoJSON points, paged.
#include "hotspot/http/handlers.hpp"

#include "hotspot/analysis/selection.hpp"
#include "hotspot/data/category.hpp"
#include "hotspot/data/local_time.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/json_writer.hpp"
#include "hotspot/http/metadata.hpp"
#include "hotspot/http/params.hpp"
#include "hotspot/http/projection.hpp"
#include "hotspot/http/selection_params.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <limits>

namespace hotspot::http {
namespace {

constexpr std::string_view kIncidentsVersion = "incidents/1";

// Local time as text at the record's own precision: "2024-03", "2024-03-15",
// or "2024-03-15T22:41+00:00".
std::string occurred_at(const data::IncidentTable& t, std::size_t i) {
  const auto date = data::civil_from_days(t.local_day[i]);
  char buffer[32];
  switch (t.precision[i]) {
    case data::TimePrecision::month:
      std::snprintf(buffer, sizeof buffer, "%04d-%02u", date.year, date.month);
      break;
    case data::TimePrecision::day:
      std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", date.year, date.month, date.day);
      break;
    case data::TimePrecision::minute: {
      const int offset = data::to_london(t.instant[i]).utc_offset_hours;
      std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02u:%02u+%02d:00", date.year,
                    date.month, date.day, t.local_minute[i] / 60u, t.local_minute[i] % 60u,
                    offset);
      break;
    }
  }
  return buffer;
}

std::string_view precision_name(data::TimePrecision p) {
  switch (p) {
    case data::TimePrecision::month: return "month";
    case data::TimePrecision::day: return "day";
    case data::TimePrecision::minute: break;
  }
  return "minute";
}

void write_area(JsonWriter& w, std::string_view key, std::int32_t index,
                const data::BoundaryLayer& layer) {
  w.raw(",").string(key).raw(":");
  if (index == data::kNoArea || static_cast<std::size_t>(index) >= layer.size()) {
    w.raw("null");
  } else {
    w.string(layer.ids[static_cast<std::size_t>(index)]);
  }
}

}  // namespace

Response handle_incidents(const Request& request, const Context& context) {
  // Parse.
  static const std::vector<std::string_view> kNames = with_selection_params({"limit", "offset"});
  auto params = Params::parse(request, kNames);
  if (!params) return error_response(params.error());
  auto snapshot = current_snapshot(context);
  if (!snapshot) return error_response(snapshot.error());
  const data::Snapshot& s = **snapshot;
  auto selection_params = parse_selection(*params, s);
  if (!selection_params) return error_response(selection_params.error());

  std::int64_t limit = static_cast<std::int64_t>(context.limits.incidents_default_limit);
  if (const auto* text = params->get("limit")) {
    auto value = parse_int("limit", *text, 1,
                           static_cast<std::int64_t>(context.limits.incidents_max_limit));
    if (!value) return error_response(value.error());
    limit = *value;
  }
  std::int64_t offset = 0;
  if (const auto* text = params->get("offset")) {
    auto value = parse_int("offset", *text, 0, std::numeric_limits<std::int32_t>::max());
    if (!value) return error_response(value.error());
    offset = *value;
  }
  auto transformer = to_wgs84();
  if (!transformer) return error_response(transformer.error());

  // Compute.
  const data::IncidentTable& t = *s.incidents;
  const analysis::Selection selection = analysis::select(t, *s.town_centres, selection_params->params);
  const std::size_t total = selection.rows.size();
  const std::size_t begin = std::min(total, static_cast<std::size_t>(offset));
  const std::size_t end = std::min(total, begin + static_cast<std::size_t>(limit));

  // Render.
  JsonWriter w;
  w.text().reserve((end - begin) * 300 + 2048);
  w.raw(R"({"type":"FeatureCollection","features":[)");
  for (std::size_t k = begin; k < end; ++k) {
    const std::size_t i = selection.rows[k];
    double lon = t.x[i], lat = t.y[i];
    const bool projected = (*transformer)->transform(lon, lat);
    if (k != begin) w.raw(",");
    w.raw(R"({"type":"Feature","id":)").integer(static_cast<std::int64_t>(i));
    w.raw(R"(,"geometry":)");
    if (projected) {
      w.raw(R"({"type":"Point","coordinates":)").lonlat(lon, lat).raw("}");
    } else {
      w.raw("null");  // kept rather than dropped: the row exists, its position failed
    }
    w.raw(R"(,"properties":{"source_id":)").string(t.source_id(i));
    w.raw(R"(,"category":)").string(data::category_name(t.category[i]));
    const std::size_t label = t.category_label[i];
    w.raw(R"(,"label":)").string(label < t.category_labels.size() ? t.category_labels[label] : "");
    w.raw(R"(,"occurred_at":)").string(occurred_at(t, i));
    w.raw(R"(,"precision":)").string(precision_name(t.precision[i]));
    write_area(w, "ward", t.ward[i], *s.wards);
    write_area(w, "town_centre", t.town_centre[i], *s.town_centres);
    w.raw(R"(,"source":)").integer(t.source[i]);
    w.raw("}}");
  }
  w.raw(R"(],"metadata":)");

  auto parameters = selection_params->normalised;
  parameters.emplace_back("limit", std::to_string(limit));
  parameters.emplace_back("offset", std::to_string(offset));
  nlohmann::json metadata = base_metadata(s, "incidents", kIncidentsVersion, parameters);
  auto excluded = nlohmann::json::object();
  for (const auto& [reason, count] : selection.excluded) excluded[reason] = count;
  metadata["counts"] = {{"considered", selection.considered},
                        {"selected", total},
                        {"returned", end - begin},
                        {"excluded", std::move(excluded)}};
  metadata["paging"] = {{"total", total},
                        {"limit", limit},
                        {"offset", offset},
                        {"next_offset", end < total ? nlohmann::json(end) : nlohmann::json(nullptr)}};
  w.raw(metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  w.raw("}");
  return geojson_response(w.take());
}

}  // namespace hotspot::http
