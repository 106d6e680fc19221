#pragma once
// The immutable, columnar incident table: one vector per field, one row per
// accepted incident. Built once by the loader (IncidentTableBuilder), then
// shared read-only between threads behind std::shared_ptr<const IncidentTable>.
// About 50 bytes per row (see bytes_per_row()).

#include "hotspot/data/category.hpp"
#include "hotspot/data/local_time.hpp"
#include "hotspot/geo/types.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::data {

inline constexpr std::int32_t kNoArea = -1;  // ward / town centre column: none

struct IncidentTable {
  // Coordinates in EPSG:27700 metres.
  std::vector<double> x;
  std::vector<double> y;
  // The instant, UTC seconds since 1970-01-01. For month- or day-precision
  // records: the local midnight that starts the month or day.
  std::vector<std::int64_t> instant;
  // Europe/London local date (days since 1970-01-01) and minute of the day.
  std::vector<std::int32_t> local_day;
  std::vector<std::uint16_t> local_minute;
  std::vector<TimePrecision> precision;
  std::vector<Category> category;
  // Index of the source label in category_labels (e.g. "Violence and sexual offences").
  std::vector<std::uint16_t> category_label;
  std::vector<std::string> category_labels;
  // Joins: index into the ward / town-centre layer, or kNoArea.
  std::vector<std::int32_t> ward;
  std::vector<std::int32_t> town_centre;
  // Distance in metres to the nearest town-centre polygon (0 inside one);
  // +inf when no town centres are loaded.
  std::vector<float> town_centre_distance;
  // 1 where the source flags the incident domestic (a `domestic` column or
  // property), else 0; public mode never selects flagged rows.
  std::vector<std::uint8_t> domestic;
  // Which input file the row came from (index into Snapshot::sources).
  std::vector<std::uint16_t> source;
  // The source's own id of the row, stored as one character buffer plus
  // offsets (row i is chars[id_offset[i] .. id_offset[i+1])).
  std::vector<std::uint32_t> id_offset{0};
  std::string id_chars;

  std::size_t size() const { return x.size(); }
  geo::Point point(std::size_t i) const { return {x[i], y[i]}; }
  std::string_view source_id(std::size_t i) const {
    return std::string_view(id_chars).substr(id_offset[i], id_offset[i + 1] - id_offset[i]);
  }
  int local_weekday(std::size_t i) const { return weekday_from_days(local_day[i]); }
  // Memory held by the columns, divided by the row count.
  double bytes_per_row() const;
  geo::Box extent() const;
};

}  // namespace hotspot::data
