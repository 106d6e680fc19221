#pragma once
// When incidents happen: the 7 x 24 hour-of-week matrix and the monthly trend.
//
// The matrix uses the calendar: local weekday (Monday = 0) and local hour of
// the record itself, so Saturday 01:30 sits in Saturday's 01 column (the
// night attribution of selection.hpp applies to filtering, not to this
// picture). Only minute-precision rows have an hour; day- and month-precision
// rows are counted in `excluded`. Every row, whatever its precision, counts
// in the monthly trend under its local year and month.

#include "hotspot/analysis/selection.hpp"
#include "hotspot/data/incident_table.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace hotspot::analysis {

struct HourOfWeek {
  std::array<std::array<std::size_t, 24>, 7> counts{};  // [weekday][hour]
  std::size_t total = 0;
};

struct MonthCount {
  int year = 0;
  unsigned month = 0;  // 1..12
  std::size_t count = 0;
};

struct TemporalProfile {
  HourOfWeek hour_of_week;
  // Every month from the first to the last with data, zero-filled gaps.
  std::vector<MonthCount> monthly;
  std::map<std::string, std::size_t> excluded;  // rows left out of the matrix, by reason
};

inline constexpr const char* kProfileExcludedMonth = "month-only time: no hour of the week";
inline constexpr const char* kProfileExcludedDay = "day-only time: no hour of the week";

TemporalProfile temporal_profile(const data::IncidentTable& table, const Selection& selection);

// One matrix per group (group_of_row indexed by table row; negative or
// >= group_count: no group, not counted).
std::vector<HourOfWeek> hour_of_week_by_group(const data::IncidentTable& table,
                                              const Selection& selection,
                                              std::span<const std::int32_t> group_of_row,
                                              std::size_t group_count);

}  // namespace hotspot::analysis
