#include "hotspot/analysis/profile.hpp"

#include "hotspot/data/local_time.hpp"

#include <algorithm>

namespace hotspot::analysis {

namespace {

// Months since year 0, so a range of months is a range of integers.
std::int64_t month_index(std::int32_t local_day) {
  const data::CivilDate d = data::civil_from_days(local_day);
  return static_cast<std::int64_t>(d.year) * 12 + (d.month - 1);
}

}  // namespace

TemporalProfile temporal_profile(const data::IncidentTable& table, const Selection& selection) {
  TemporalProfile out;
  std::size_t month_only = 0;
  std::size_t day_only = 0;
  // Counts keyed by month index; consecutive rows of one day (the usual
  // order) share one civil-date conversion.
  std::map<std::int64_t, std::size_t> months;
  std::int32_t last_day = INT32_MIN;
  std::int64_t last_month = 0;
  for (const std::uint32_t row : selection.rows) {
    if (row >= table.local_day.size()) continue;
    const std::int32_t day = table.local_day[row];
    if (day != last_day) {
      last_day = day;
      last_month = month_index(day);
    }
    ++months[last_month];
    switch (table.precision[row]) {
      case data::TimePrecision::month: ++month_only; break;
      case data::TimePrecision::day: ++day_only; break;
      case data::TimePrecision::minute: {
        const int weekday = data::weekday_from_days(day);
        const int hour = std::min(23, table.local_minute[row] / 60);
        ++out.hour_of_week.counts[static_cast<std::size_t>(weekday)][static_cast<std::size_t>(hour)];
        ++out.hour_of_week.total;
        break;
      }
    }
  }
  if (month_only > 0) out.excluded[kProfileExcludedMonth] = month_only;
  if (day_only > 0) out.excluded[kProfileExcludedDay] = day_only;
  if (!months.empty()) {
    const std::int64_t first = months.begin()->first;
    const std::int64_t last = months.rbegin()->first;
    out.monthly.reserve(static_cast<std::size_t>(last - first + 1));
    for (std::int64_t m = first; m <= last; ++m) {
      const auto it = months.find(m);
      MonthCount mc;
      mc.year = static_cast<int>(m / 12);
      mc.month = static_cast<unsigned>(m % 12) + 1;
      mc.count = it == months.end() ? 0 : it->second;
      out.monthly.push_back(mc);
    }
  }
  return out;
}

std::vector<HourOfWeek> hour_of_week_by_group(const data::IncidentTable& table,
                                              const Selection& selection,
                                              std::span<const std::int32_t> group_of_row,
                                              std::size_t group_count) {
  std::vector<HourOfWeek> out(group_count);
  for (const std::uint32_t row : selection.rows) {
    if (row >= group_of_row.size() || row >= table.local_day.size()) continue;
    const std::int32_t g = group_of_row[row];
    if (g < 0 || static_cast<std::size_t>(g) >= group_count) continue;
    if (table.precision[row] != data::TimePrecision::minute) continue;
    const int weekday = data::weekday_from_days(table.local_day[row]);
    const int hour = std::min(23, table.local_minute[row] / 60);
    HourOfWeek& h = out[static_cast<std::size_t>(g)];
    ++h.counts[static_cast<std::size_t>(weekday)][static_cast<std::size_t>(hour)];
    ++h.total;
  }
  return out;
}

}  // namespace hotspot::analysis
