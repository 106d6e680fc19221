#pragma once
// Choosing rows of the incident table: categories, dates, days of week, a
// time-of-night window that may cross midnight, wards, bounding box and a
// town-centre scope. Every analysis takes a Selection; with default params a
// selection holds every loaded incident.
//
// Time precision rules (also returned in Selection::rules when they apply):
//  - minute precision: every filter applies. With a window that crosses
//    midnight, a time before the window's end belongs to the night that began
//    the evening before, for the date filter and the day-of-week filter alike
//    (Saturday 01:30 under 20:00-04:00 is Friday night, dated Friday).
//  - day precision (a date without a time): date and day-of-week filters use
//    the date; the record is excluded whenever a time-of-day window is set.
//  - month precision (police.uk): a record is inside a date range only when
//    its whole month lies inside the range; a month only partly inside is
//    excluded. The record is excluded whenever a day-of-week filter or a
//    time-of-day window is set.
// Every row that leaves the selection is counted once, at the first filter
// it fails in the order category, domestic, alcohol, dates, days, window,
// area (ward, group, bbox), town-centre scope: Selection::funnel. The
// exclusions caused by coarse time are also in Selection::excluded by reason.

#include "hotspot/analysis/funnel.hpp"
#include "hotspot/analysis/point_pattern.hpp"
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
// Which rows the domestic flag lets through: all, the unflagged, or only the
// flagged. Public mode (exclude_domestic) overrides it: no flagged row is
// ever selected there.
enum class DomesticFilter : std::uint8_t { include, exclude, only };

inline constexpr std::uint8_t kAllCategories = 0x1F;  // bit per data::Category
inline constexpr std::uint8_t kAllWeekdays = 0x7F;    // bit 0 = Monday ... bit 6 = Sunday
inline constexpr std::uint16_t kMinutesPerDay = 1440;
inline constexpr double kMaxBufferM = 5000;

// Local time-of-day window [start, end) in minutes after local midnight.
// start > end crosses midnight: 20:00-04:00 belongs to the night that began
// at 20:00, so Saturday 01:30 counts as Friday night for the weekday filter.
struct TimeWindow {
  std::uint16_t start_minute = 0;
  std::uint16_t end_minute = 0;
  bool crosses_midnight() const { return start_minute > end_minute; }
  // start == end is an empty window (validate() rejects it).
  bool contains(std::uint16_t minute) const;
};

struct SelectionParams {
  std::uint8_t categories = kAllCategories;  // bit per data::Category; all by default
  std::optional<std::int32_t> from_day;      // local date, inclusive (days since epoch)
  std::optional<std::int32_t> to_day;        // local date, inclusive
  std::uint8_t weekdays = kAllWeekdays;      // bit 0 = Monday ... bit 6 = Sunday
  std::optional<TimeWindow> window;
  std::vector<std::int32_t> wards;           // ward indices; empty = all
  // The wards of one area group (group=): only rows in these wards. None:
  // no group filter; an empty list (a group no ward is assigned to) selects
  // nothing. Applies together with `wards`.
  std::optional<std::vector<std::int32_t>> group_wards;
  Scope scope = Scope::everywhere;
  double buffer_m = 0;                       // for Scope::buffer
  std::optional<geo::Box> bbox;              // EPSG:27700
  // Leave out rows flagged domestic (public mode). Not counted as excluded:
  // how many there are in a selection is itself not published.
  bool exclude_domestic = false;
  DomesticFilter domestic = DomesticFilter::include;
  // Alcohol involved: true keeps rows recorded as yes, false rows recorded
  // as no; rows whose source does not say (unknown) match neither. Absent:
  // any row.
  std::optional<bool> alcohol;

  // What is wrong, in words a user can act on; nullopt when valid. Messages
  // name the parameter as the HTTP API spells it ("Parameter 'days': ..."):
  // category, from, to, days, window, ward, group, buffer, bbox.
  std::optional<Error> validate() const;
  // The night-time-economy preset: violence and criminal damage, Friday and
  // Saturday nights 20:00-04:00, town centres plus 500 m, domestic incidents
  // excluded (they happen in homes, not in the night-time economy).
  static SelectionParams nte();

  bool filters_weekdays() const { return (weekdays & kAllWeekdays) != kAllWeekdays; }
  bool filters_dates() const { return from_day.has_value() || to_day.has_value(); }
};

struct Selection {
  std::vector<std::uint32_t> rows;           // ascending row indices
  std::size_t considered = 0;                // rows in the table
  // Rows left out because their time is too coarse for a filter, by reason
  // (e.g. "month-only time: excluded from time-of-day filter"), and rows a
  // scope cannot judge (no town centres loaded).
  std::map<std::string, std::size_t> excluded;
  // The precision rules that shaped this selection, in words, for results.
  std::vector<std::string> rules;
  // Each filter the request set, in the order applied: rows entering, rows
  // removed and why. Rows public mode hides never enter it.
  std::vector<FunnelCount> funnel;
  // Is it clustered at all: the Clark-Evans index of the selected rows in
  // the study area's window (engine::select fills it; point_pattern.hpp).
  std::optional<ClarkEvans> nni;
};

// Reason keys used in Selection::excluded.
inline constexpr const char* kExcludedMonthPartial =
    "month-only time: month only partly inside the date range";
inline constexpr const char* kExcludedMonthWeekday =
    "month-only time: excluded from day-of-week filter";
inline constexpr const char* kExcludedMonthWindow =
    "month-only time: excluded from time-of-day filter";
inline constexpr const char* kExcludedDayWindow =
    "day-only time: excluded from time-of-day filter";
inline constexpr const char* kExcludedNoTownCentres =
    "no town centres loaded: town-centre scope cannot be judged";

// The local date a minute-precision record counts under: the evening's date
// for the small hours of a window that crosses midnight, else its own date.
std::int32_t night_day(std::int32_t local_day, std::uint16_t local_minute,
                       const std::optional<TimeWindow>& window);

// One pass over the table's columns. Params are assumed valid (validate()
// first); the town-centre layer only tells whether any town centres exist,
// the table's own join columns decide membership.
Selection select(const data::IncidentTable& table, const data::BoundaryLayer& town_centres,
                 const SelectionParams& params);

}  // namespace hotspot::analysis
