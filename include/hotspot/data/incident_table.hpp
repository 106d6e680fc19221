#pragma once
// The immutable, columnar incident table: one vector per field, one row per
// accepted incident. Built once by the loader (IncidentTableBuilder), then
// shared read-only between threads behind std::shared_ptr<const IncidentTable>.
// About 50 bytes per row (see bytes_per_row()).
//
// The columns only some source kinds carry (occurred_to, alcohol, subtype,
// location) are either empty, when no loaded row has the field, or hold one
// value per row; read them through the *_of() accessors, which give the
// "none" value for an empty column. A table of police.uk or generic CSV rows
// thus costs nothing for fields it does not have.

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
inline constexpr std::int64_t kNoOccurredTo = INT64_MIN;  // occurred_to: no end time
inline constexpr std::uint16_t kNoSubtype = 0xffff;      // subtype: none
inline constexpr std::uint32_t kNoLocation = 0xffffffff; // location: none
// alcohol column values.
inline constexpr std::uint8_t kAlcoholNo = 0;
inline constexpr std::uint8_t kAlcoholYes = 1;
inline constexpr std::uint8_t kAlcoholUnknown = 2;

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
  // The end of the time the incident may have happened in (police extracts'
  // "committed to"), UTC seconds; kNoOccurredTo when the source gives none.
  // `instant` is the start, and selection uses the start.
  std::vector<std::int64_t> occurred_to;
  // Alcohol involved: kAlcoholNo, kAlcoholYes or kAlcoholUnknown.
  std::vector<std::uint8_t> alcohol;
  // The source's subtype (ASB type group, fire property type, A&E weapon):
  // index into subtype_labels, or kNoSubtype.
  std::vector<std::uint16_t> subtype;
  std::vector<std::string> subtype_labels;
  // Location text (police.uk "On or near ...", a matched A&E venue): index
  // into location_labels, which holds each distinct text once (police.uk
  // snaps many crimes to the same point), or kNoLocation.
  std::vector<std::uint32_t> location;
  std::vector<std::string> location_labels;
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
  std::int64_t occurred_to_of(std::size_t i) const {
    return i < occurred_to.size() ? occurred_to[i] : kNoOccurredTo;
  }
  std::uint8_t alcohol_of(std::size_t i) const {
    return i < alcohol.size() ? alcohol[i] : kAlcoholUnknown;
  }
  std::uint16_t subtype_of(std::size_t i) const { return i < subtype.size() ? subtype[i] : kNoSubtype; }
  std::uint32_t location_of(std::size_t i) const {
    return i < location.size() ? location[i] : kNoLocation;
  }
  // The subtype / location text of row i; empty when it has none.
  std::string_view subtype_label(std::size_t i) const {
    const std::uint16_t s = subtype_of(i);
    return s == kNoSubtype ? std::string_view() : std::string_view(subtype_labels[s]);
  }
  std::string_view location_label(std::size_t i) const {
    const std::uint32_t l = location_of(i);
    return l == kNoLocation ? std::string_view() : std::string_view(location_labels[l]);
  }
  int local_weekday(std::size_t i) const { return weekday_from_days(local_day[i]); }
  // Memory held by the columns, divided by the row count.
  double bytes_per_row() const;
  geo::Box extent() const;
};

}  // namespace hotspot::data
