#pragma once
// Hand-filled incident tables for the selection, area, comparison and
// profile tests: every column is written directly, so these tests need
// nothing from the readers.

#include "hotspot/analysis/selection.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/incident_table.hpp"
#include "hotspot/data/local_time.hpp"

#include <cstdint>
#include <limits>
#include <random>
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

// `rows` random rows over 120 days from `first_day`, for the tests that check
// select() against a restatement of its rules: every precision (month rows
// dated the 1st), category, ward (-1 for none), town centre and distance.
inline data::IncidentTable random_table(std::mt19937& rng, int rows, std::int32_t first_day) {
  data::IncidentTable t;
  for (int i = 0; i < rows; ++i) {
    Row r;
    r.x = std::uniform_real_distribution<double>(0, 1000)(rng);
    r.y = std::uniform_real_distribution<double>(0, 1000)(rng);
    r.precision = static_cast<data::TimePrecision>(rng() % 3);
    r.day = first_day + static_cast<std::int32_t>(rng() % 120);
    if (r.precision == data::TimePrecision::month) {
      const auto c = data::civil_from_days(r.day);
      r.day = day(c.year, c.month, 1);
    }
    r.minute = r.precision == data::TimePrecision::minute ? static_cast<std::uint16_t>(rng() % 1440) : 0;
    r.category = static_cast<data::Category>(rng() % 5);
    r.ward = static_cast<std::int32_t>(rng() % 7) - 1;
    r.town_centre = rng() % 4 == 0 ? 0 : data::kNoArea;
    r.town_centre_distance = r.town_centre == 0 ? 0.0f : static_cast<float>(rng() % 2000);
    add_row(t, r);
  }
  return t;
}

// Random valid selection parameters over random_table()'s days: each filter
// set or not, every scope.
inline SelectionParams random_params(std::mt19937& rng, std::int32_t first_day) {
  SelectionParams p;
  if (rng() % 2) p.categories = static_cast<std::uint8_t>(1 + rng() % 31);
  if (rng() % 2) p.weekdays = static_cast<std::uint8_t>(1 + rng() % 127);
  if (rng() % 2) {
    p.from_day = first_day + static_cast<std::int32_t>(rng() % 120);
    p.to_day = *p.from_day + static_cast<std::int32_t>(rng() % 60);
  }
  if (rng() % 2) {
    TimeWindow w{static_cast<std::uint16_t>(rng() % 1440), static_cast<std::uint16_t>(rng() % 1440)};
    if (w.start_minute != w.end_minute) p.window = w;
  }
  if (rng() % 3 == 0) p.wards = {static_cast<std::int32_t>(rng() % 6), static_cast<std::int32_t>(rng() % 6)};
  if (rng() % 3 == 0) p.bbox = geo::Box{100, 100, 700, 900};
  p.scope = static_cast<Scope>(rng() % 3);
  p.buffer_m = static_cast<double>(rng() % 1500);
  return p;
}

}  // namespace hotspot::analysis::table_fixture
