#pragma once
// Choosing rows of the incident table: categories, dates, days of week, a
// time-of-night window that may cross midnight, wards, bounding box and a
// town-centre scope. Every analysis takes a Selection; with default params a
// selection holds every loaded incident.

#include "hotspot/common/error.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/incident_table.hpp"
#include "hotspot/geo/types.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotspot::analysis {

enum class Scope { everywhere, town_centres, buffer };

// Local time-of-day window [start, end) in minutes after local midnight.
// start > end crosses midnight: 20:00-04:00 belongs to the night that began
// at 20:00, so Saturday 01:30 counts as Friday night for the weekday filter.
struct TimeWindow {
  std::uint16_t start_minute = 0;
  std::uint16_t end_minute = 0;
  bool crosses_midnight() const { return start_minute > end_minute; }
  bool contains(std::uint16_t minute) const;
};

struct SelectionParams {
  std::uint8_t categories = 0x1F;            // bit per data::Category; all by default
  std::optional<std::int32_t> from_day;      // local date, inclusive (days since epoch)
  std::optional<std::int32_t> to_day;        // local date, inclusive
  std::uint8_t weekdays = 0x7F;              // bit 0 = Monday ... bit 6 = Sunday
  std::optional<TimeWindow> window;
  std::vector<std::int32_t> wards;           // ward indices; empty = all
  Scope scope = Scope::everywhere;
  double buffer_m = 0;                       // for Scope::buffer
  std::optional<geo::Box> bbox;              // EPSG:27700

  // What is wrong, in words a user can act on; nullopt when valid.
  std::optional<Error> validate() const;
  // The night-time-economy preset: violence and criminal damage, Friday and
  // Saturday nights 20:00-04:00, town centres plus 500 m.
  static SelectionParams nte();
};

struct Selection {
  std::vector<std::uint32_t> rows;           // ascending row indices
  std::size_t considered = 0;                // rows in the table
  // Rows left out because their time is too coarse for a filter, by reason
  // (e.g. "month-only time: excluded from time-of-day filter").
  std::map<std::string, std::size_t> excluded;
};

Selection select(const data::IncidentTable& table, const data::BoundaryLayer& town_centres,
                 const SelectionParams& params);

}  // namespace hotspot::analysis
