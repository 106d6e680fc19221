#pragma once
// Hand-filled incident tables for the selection, area, comparison and
// profile tests: every column is written directly, so these tests need
// nothing from the readers.

#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/incident_table.hpp"
#include "hotspot/data/local_time.hpp"

#include <cstdint>
#include <limits>
#include <string>

namespace hotspot::analysis::table_fixture {

struct Row {
  double x = 420000;
  double y = 540000;
  std::int32_t day = 0;          // local date
  std::uint16_t minute = 0;      // local minute of the day
  data::TimePrecision precision = data::TimePrecision::minute;
  data::Category category = data::Category::violence;
  std::int32_t ward = data::kNoArea;
  std::int32_t town_centre = data::kNoArea;
  float town_centre_distance = std::numeric_limits<float>::infinity();
};

inline void add_row(data::IncidentTable& t, const Row& r) {
  t.x.push_back(r.x);
  t.y.push_back(r.y);
  t.instant.push_back(data::london_to_utc(r.day, r.minute * 60));
  t.local_day.push_back(r.day);
  t.local_minute.push_back(r.minute);
  t.precision.push_back(r.precision);
  t.category.push_back(r.category);
  if (t.category_labels.empty()) t.category_labels.push_back("test");
  t.category_label.push_back(0);
  t.ward.push_back(r.ward);
  t.town_centre.push_back(r.town_centre);
  t.town_centre_distance.push_back(r.town_centre_distance);
  t.source.push_back(0);
  t.id_chars += "r" + std::to_string(t.x.size());
  t.id_offset.push_back(static_cast<std::uint32_t>(t.id_chars.size()));
}

// A minute-precision row at a UTC instant, with local columns from to_london.
inline void add_instant(data::IncidentTable& t, std::int64_t utc, Row r = {}) {
  const data::LondonTime lt = data::to_london(utc);
  r.day = lt.local_day;
  r.minute = lt.minute_of_day;
  r.precision = data::TimePrecision::minute;
  add_row(t, r);
  t.instant.back() = utc;
}

inline std::int32_t day(int y, unsigned m, unsigned d) { return data::days_from_civil(y, m, d); }
inline std::uint16_t hm(int h, int m) { return static_cast<std::uint16_t>(h * 60 + m); }

// A layer that only has ids (enough for select(), which asks only whether
// town centres exist).
inline data::BoundaryLayer ids_only_layer(int n, const std::string& kind = "town-centres") {
  data::BoundaryLayer layer;
  layer.kind = kind;
  for (int i = 0; i < n; ++i) {
    layer.ids.push_back("TC" + std::to_string(i));
    layer.names.push_back("Centre " + std::to_string(i));
    layer.area_m2.push_back(1e6);
  }
  return layer;
}

}  // namespace hotspot::analysis::table_fixture
