// /api/incidents (points, a page at a time) and /api/profile (when they happen).
#include "hotspot/render/answers.hpp"

#include "hotspot/data/category.hpp"
#include "hotspot/data/local_time.hpp"
#include "hotspot/data/synthetic.hpp"  // format_london_time
#include "hotspot/render/metadata.hpp"

#include <cstdio>

namespace hotspot::render {
namespace {

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

// The optional fields (source kinds that carry them, docs/sources.md):
// null where the row has none.
Value text_or_null(std::string_view text) {
  if (text.empty()) return Null{};
  return std::string(text);
}

Value occurred_to(const data::IncidentTable& t, std::size_t i) {
  const std::int64_t to = t.occurred_to_of(i);
  if (to == data::kNoOccurredTo) return Null{};
  return data::format_london_time(to);
}

Value alcohol(const data::IncidentTable& t, std::size_t i) {
  switch (t.alcohol_of(i)) {
    case data::kAlcoholYes: return std::string("yes");
    case data::kAlcoholNo: return std::string("no");
    default: return Null{};
  }
}

Value area_id(std::int32_t index, const data::BoundaryLayer& layer) {
  if (index == data::kNoArea || static_cast<std::size_t>(index) >= layer.size()) return Null{};
  return layer.ids[static_cast<std::size_t>(index)];
}

}  // namespace

FeatureAnswer incidents_answer(const data::Snapshot& snapshot,
                               const engine::IncidentsParams& params,
                               const engine::IncidentsResult& result) {
  const data::IncidentTable& t = *snapshot.incidents;
  FeatureAnswer answer;
  FeatureTable& table = answer.table;
  table.name = "incidents";
  for (const char* name : {"source_id", "category", "label", "occurred_at", "precision", "ward",
                           "town_centre"}) {
    table.add_field(name, FieldType::text);
  }
  table.add_field("source", FieldType::integer);
  for (const char* name : {"occurred_to", "alcohol", "subtype", "location"}) {
    table.add_field(name, FieldType::text);
  }
  table.features.reserve(result.end - result.begin);
  for (std::size_t k = result.begin; k < result.end; ++k) {
    const std::size_t i = result.selection.rows[k];
    const std::size_t label = t.category_label[i];
    table.features.push_back(
        {static_cast<std::int64_t>(i),
         Geometry::of_point({t.x[i], t.y[i]}),
         {std::string(t.source_id(i)), std::string(data::category_name(t.category[i])),
          label < t.category_labels.size() ? t.category_labels[label] : std::string(),
          occurred_at(t, i), std::string(data::time_precision_name(t.precision[i])),
          area_id(t.ward[i], *snapshot.wards), area_id(t.town_centre[i], *snapshot.town_centres),
          std::int64_t{t.source[i]}, occurred_to(t, i), alcohol(t, i),
          text_or_null(t.subtype_label(i)), text_or_null(t.location_label(i))}});
  }
  const std::size_t total = result.selection.rows.size();
  nlohmann::json& m = answer.metadata;
  m = analysis_metadata(snapshot, "incidents", kIncidentsVersion, params.canonical(),
                        result.selection);
  m["counts"]["returned"] = result.end - result.begin;
  m["paging"] = {{"total", total},
                 {"limit", params.limit},
                 {"offset", params.offset},
                 {"next_offset", result.end < total ? nlohmann::json(result.end) : nullptr}};
  m.erase("selection_rules");
  return answer;
}

nlohmann::json profile_answer(const data::Snapshot& snapshot, const engine::ProfileParams& params,
                              const engine::ProfileResult& result) {
  const analysis::TemporalProfile& profile = result.profile;
  auto matrix = nlohmann::json::array();
  for (const auto& day : profile.hour_of_week.counts) matrix.push_back(day);
  auto monthly = nlohmann::json::array();
  for (const auto& m : profile.monthly) {
    char month[16];
    std::snprintf(month, sizeof month, "%04d-%02u", m.year, m.month);
    monthly.push_back({{"month", month}, {"count", m.count}});
  }
  auto metadata = analysis_metadata(snapshot, "profile", kProfileVersion, params.canonical(),
                                    result.selection);
  if (!params.town_centre.empty()) {
    metadata["profile_of"] = {{"town_centre", params.town_centre},
                              {"selected_before", result.selected_before}};
  } else if (!params.cluster.empty()) {
    metadata["profile_of"] = {{"cluster", params.cluster},
                              {"selected_before", result.selected_before}};
  }
  return {{"hour_of_week", std::move(matrix)},
          {"hour_of_week_total", profile.hour_of_week.total},
          {"monthly", std::move(monthly)},
          {"excluded", profile.excluded},
          {"metadata", std::move(metadata)}};
}

}  // namespace hotspot::render
