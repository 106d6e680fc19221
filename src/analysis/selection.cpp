#include "hotspot/analysis/selection.hpp"

#include "hotspot/data/local_time.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>

namespace hotspot::analysis {

namespace {

Error invalid(std::string message) {
  return make_error(ErrorCode::invalid_parameter, std::move(message));
}

std::string format_day(std::int32_t day) {
  const data::CivilDate d = data::civil_from_days(day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year, d.month, d.day);
  return buf;
}

std::string format_minute(std::uint16_t minute) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
  return buf;
}

// Reasons are counted in a fixed array inside the loop and turned into the
// readable map once at the end, so the hot loop never touches a std::map.
enum Reason { month_partial, month_weekday, month_window, day_window, no_town_centres, kReasons };
constexpr std::array<const char*, kReasons> kReasonText = {
    kExcludedMonthPartial, kExcludedMonthWeekday, kExcludedMonthWindow, kExcludedDayWindow,
    kExcludedNoTownCentres};

// One flag per ward index, set for the listed wards (negative ones skipped).
std::vector<char> ward_flags(const std::vector<std::int32_t>& wards) {
  std::vector<char> flags;
  for (const std::int32_t w : wards) {
    if (w < 0) continue;
    if (static_cast<std::size_t>(w) >= flags.size()) flags.resize(static_cast<std::size_t>(w) + 1, 0);
    flags[static_cast<std::size_t>(w)] = 1;
  }
  return flags;
}

bool flagged(const std::vector<char>& flags, std::int32_t ward) {
  return ward >= 0 && static_cast<std::size_t>(ward) < flags.size() &&
         flags[static_cast<std::size_t>(ward)] != 0;
}

}  // namespace

bool TimeWindow::contains(std::uint16_t minute) const {
  if (start_minute < end_minute) return minute >= start_minute && minute < end_minute;
  if (start_minute > end_minute) return minute >= start_minute || minute < end_minute;
  return false;
}

std::int32_t night_day(std::int32_t local_day, std::uint16_t local_minute,
                       const std::optional<TimeWindow>& window) {
  if (window && window->crosses_midnight() && local_minute < window->end_minute) {
    return local_day - 1;
  }
  return local_day;
}

std::optional<Error> SelectionParams::validate() const {
  if ((categories & kAllCategories) == 0) {
    return invalid("Parameter 'category': choose at least one category");
  }
  if ((categories & ~kAllCategories) != 0) {
    return invalid("Parameter 'category': unknown category (only 5 categories exist)");
  }
  if (from_day && to_day && *from_day > *to_day) {
    return invalid("Parameter 'from' (" + format_day(*from_day) + ") is after 'to' (" +
                   format_day(*to_day) + "): give from on or before to");
  }
  if ((weekdays & kAllWeekdays) == 0) {
    return invalid("Parameter 'days': choose at least one day of the week");
  }
  if ((weekdays & ~kAllWeekdays) != 0) {
    return invalid("Parameter 'days': unknown day (bits 0-6 are Monday-Sunday)");
  }
  if (window) {
    if (window->start_minute >= kMinutesPerDay || window->end_minute >= kMinutesPerDay) {
      return invalid("Parameter 'window': times must lie between 00:00 and 23:59");
    }
    if (window->start_minute == window->end_minute) {
      return invalid("Parameter 'window': start and end are both " + format_minute(window->start_minute) +
                     "; give a window of non-zero length (omit it for the whole day)");
    }
  }
  for (const std::int32_t w : wards) {
    if (w < 0) return invalid("Parameter 'ward': ward index " + std::to_string(w) + " is negative");
  }
  for (const std::int32_t w : group_wards.value_or(std::vector<std::int32_t>{})) {
    if (w < 0) return invalid("Parameter 'group': ward index " + std::to_string(w) + " is negative");
  }
  if (static_cast<unsigned>(domestic) > static_cast<unsigned>(DomesticFilter::only)) {
    return invalid("Parameter 'domestic': use include, exclude or only");
  }
  if (!std::isfinite(buffer_m) || buffer_m < 0 || buffer_m > kMaxBufferM) {
    return invalid("Parameter 'buffer': must be between 0 and 5000 metres");
  }
  if (bbox) {
    const geo::Box& b = *bbox;
    if (!std::isfinite(b.min_x) || !std::isfinite(b.min_y) || !std::isfinite(b.max_x) ||
        !std::isfinite(b.max_y)) {
      return invalid("Parameter 'bbox': all four coordinates must be finite numbers");
    }
    if (!(b.min_x < b.max_x) || !(b.min_y < b.max_y)) {
      return invalid("Parameter 'bbox': the minimum must be less than the maximum on both axes");
    }
  }
  return std::nullopt;
}

SelectionParams SelectionParams::nte() {
  SelectionParams p;
  p.categories = (1u << static_cast<unsigned>(data::Category::violence)) |
                 (1u << static_cast<unsigned>(data::Category::criminal_damage));
  p.weekdays = (1u << 4) | (1u << 5);  // Friday and Saturday nights
  p.window = TimeWindow{20 * 60, 4 * 60};
  p.scope = Scope::buffer;
  p.buffer_m = 500;
  p.domestic = DomesticFilter::exclude;
  return p;
}

Selection select(const data::IncidentTable& table, const data::BoundaryLayer& town_centres,
                 const SelectionParams& params) {
  Selection out;
  out.considered = table.size();
  // A table whose columns disagree in length is a loader bug; read only the
  // rows every column holds rather than run off the end.
  std::size_t n = table.size();
  for (std::size_t len : {table.y.size(), table.local_day.size(), table.local_minute.size(),
                          table.precision.size(), table.category.size()}) {
    n = std::min(n, len);
  }
  const bool have_ward = table.ward.size() >= n;
  const bool have_tc = table.town_centre.size() >= n;
  const bool have_tc_distance = table.town_centre_distance.size() >= n;
  // No domestic column (no file had one): nothing is flagged. Public mode
  // (exclude_domestic) hides flagged rows before the funnel, and wins over
  // domestic=only: that then selects nothing.
  const bool have_domestic = table.domestic.size() >= n;
  const bool hide_domestic = params.exclude_domestic && have_domestic;
  const bool drop_domestic = params.domestic == DomesticFilter::exclude && have_domestic;
  const bool only_domestic = params.domestic == DomesticFilter::only;
  const bool domestic_possible = !params.exclude_domestic && have_domestic;
  // No alcohol column (no source had one): every row is unknown, and an
  // alcohol filter keeps none.
  const bool filter_alcohol = params.alcohol.has_value();
  const bool have_alcohol = table.alcohol.size() >= n && !table.alcohol.empty();
  const std::uint8_t wanted_alcohol = params.alcohol.value_or(false) ? data::kAlcoholYes
                                                                     : data::kAlcoholNo;

  const std::vector<char> ward_ok = ward_flags(params.wards);
  const bool filter_wards = !params.wards.empty();
  const std::vector<char> group_ok = ward_flags(params.group_wards.value_or(std::vector<std::int32_t>{}));
  const bool filter_group = params.group_wards.has_value();
  const bool filter_dates = params.filters_dates();
  const bool filter_weekdays = params.filters_weekdays();
  const bool scoped = params.scope != Scope::everywhere;
  const bool no_centres = scoped && town_centres.size() == 0;
  const std::int32_t from = params.from_day.value_or(INT32_MIN);
  const std::int32_t to = params.to_day.value_or(INT32_MAX);
  const float buffer = static_cast<float>(params.buffer_m);

  // Every row reaching the dates step needs its verdict (the funnel counts
  // rows the later filters remove too), so month bounds are kept for the
  // few months a table holds, by day number, rather than for the last row.
  struct MonthBounds {
    std::int32_t day = INT32_MIN;
    std::int32_t first = 0;
    std::int32_t last = 0;
  };
  std::array<MonthBounds, 64> months{};

  // Day-of-week lookups by day number modulo 7, anchored on the calendar's
  // own weekday of day 0, so the loop needs no call per row.
  std::array<std::uint8_t, 7> weekday_ok{};
  const int weekday_of_day0 = data::weekday_from_days(0);
  for (int r = 0; r < 7; ++r) weekday_ok[r] = (params.weekdays >> ((weekday_of_day0 + r) % 7)) & 1u;
  const auto weekday_kept = [&](std::int32_t d) {
    return weekday_ok[static_cast<std::size_t>(((d % 7) + 7) % 7)] != 0;
  };
  const bool has_window = params.window.has_value();
  const TimeWindow window = params.window.value_or(
      TimeWindow{0, std::numeric_limits<std::uint16_t>::max()});  // no window: every minute
  const bool crosses = has_window && window.crosses_midnight();
  const geo::Box bbox = params.bbox.value_or(geo::Box{});
  const bool filter_area = filter_wards || filter_group || params.bbox.has_value();

  // Each filter sets its step's bit when a row fails it (`coarse` too when
  // the row's time is too coarse to judge); the lowest bit set is the step
  // that removed the row, tallied once per row without a branch.
  const auto bit = [](FunnelStep s) { return 1u << static_cast<unsigned>(s); };
  constexpr std::uint32_t kKeptBit = 1u << FunnelTally::kKept;
  FunnelTally tally;

  // Selected row indices are written unconditionally and the cursor moves
  // only for kept rows: on mixed data this avoids a mispredicted branch per
  // filter, which is most of the cost of a pass over a million rows.
  out.rows.resize(n);
  std::uint32_t* cursor = out.rows.data();
  for (std::size_t i = 0; i < n; ++i) {
    // Filters every row can be judged by.
    const auto category = static_cast<unsigned>(table.category[i]);
    const bool category_ok = category < data::kCategoryCount && ((params.categories >> category) & 1u) != 0;
    std::uint32_t fail = category_ok ? 0u : bit(FunnelStep::category);
    bool domestic_ok = true;
    if (drop_domestic) domestic_ok &= table.domestic[i] == 0;
    if (only_domestic) domestic_ok &= domestic_possible && table.domestic[i] != 0;
    fail |= domestic_ok ? 0u : bit(FunnelStep::domestic);
    if (filter_alcohol && !(have_alcohol && table.alcohol[i] == wanted_alcohol)) {
      fail |= bit(FunnelStep::alcohol);
    }
    bool area_ok = true;
    if (filter_wards) area_ok &= flagged(ward_ok, have_ward ? table.ward[i] : data::kNoArea);
    if (filter_group) area_ok &= flagged(group_ok, have_ward ? table.ward[i] : data::kNoArea);
    if (params.bbox) {
      const double x = table.x[i];
      const double y = table.y[i];
      area_ok &= (x >= bbox.min_x) & (x <= bbox.max_x) & (y >= bbox.min_y) & (y <= bbox.max_y);
    }
    fail |= area_ok ? 0u : bit(FunnelStep::area);
    if (scoped) {
      bool in_scope = !no_centres;
      if (params.scope == Scope::town_centres) {
        in_scope &= have_tc && table.town_centre[i] != data::kNoArea;
      } else {
        in_scope &= have_tc_distance && table.town_centre_distance[i] <= buffer;
      }
      fail |= in_scope ? 0u : bit(FunnelStep::scope);
    }

    // Time filters, which depend on the record's precision.
    const std::int32_t day = table.local_day[i];
    const data::TimePrecision precision = table.precision[i];
    std::uint32_t coarse = 0;
    if (precision == data::TimePrecision::minute) [[likely]] {
      const std::uint16_t minute = table.local_minute[i];
      const bool small_hours = minute < window.end_minute;
      const bool in_window = crosses ? (minute >= window.start_minute) | small_hours
                                     : (minute >= window.start_minute) & small_hours;
      const std::int32_t night = day - static_cast<std::int32_t>(crosses & small_hours);
      fail |= (in_window ? 0u : bit(FunnelStep::window)) |
              (((night >= from) & (night <= to)) ? 0u : bit(FunnelStep::dates)) |
              (weekday_kept(night) ? 0u : bit(FunnelStep::days));
    } else if (precision == data::TimePrecision::day) {
      fail |= (day >= from && day <= to ? 0u : bit(FunnelStep::dates)) |
              (weekday_kept(day) ? 0u : bit(FunnelStep::days));
      if (has_window) coarse |= bit(FunnelStep::window);
    } else {
      // Month precision: inside a date range only when the whole month is.
      if (filter_dates) {
        MonthBounds& m = months[static_cast<std::uint32_t>(day) % months.size()];
        if (m.day != day) {
          const data::CivilDate d = data::civil_from_days(day);
          m.first = data::days_from_civil(d.year, d.month, 1);
          m.last = (d.month == 12 ? data::days_from_civil(d.year + 1, 1, 1)
                                  : data::days_from_civil(d.year, d.month + 1, 1)) - 1;
          m.day = day;
        }
        if (m.last < from || m.first > to) {
          fail |= bit(FunnelStep::dates);  // wholly outside
        } else if (m.first < from || m.last > to) {
          coarse |= bit(FunnelStep::dates);
        }
      }
      if (filter_weekdays) coarse |= bit(FunnelStep::days);
      if (has_window) coarse |= bit(FunnelStep::window);
    }
    fail |= coarse;
    const bool hidden = hide_domestic && table.domestic[i] != 0;
    const unsigned first = static_cast<unsigned>(std::countr_zero(fail | kKeptBit));
    const std::size_t slot = hidden ? FunnelTally::kHidden : first;
    ++tally.rows[slot][(coarse >> first) & 1u][static_cast<std::size_t>(precision)];
    *cursor = static_cast<std::uint32_t>(i);
    cursor += (fail == 0) & !hidden;
  }
  out.rows.resize(static_cast<std::size_t>(cursor - out.rows.data()));
  // Do not hold a full-table buffer for a small selection.
  if (out.rows.size() < n / 2) out.rows.shrink_to_fit();

  std::uint32_t active = bit(FunnelStep::category);
  if (params.domestic != DomesticFilter::include) active |= bit(FunnelStep::domestic);
  if (filter_alcohol) active |= bit(FunnelStep::alcohol);
  if (filter_dates) active |= bit(FunnelStep::dates);
  if (filter_weekdays) active |= bit(FunnelStep::days);
  if (has_window) active |= bit(FunnelStep::window);
  if (filter_area) active |= bit(FunnelStep::area);
  if (scoped) active |= bit(FunnelStep::scope);
  out.funnel = make_funnel(tally, active, no_centres);

  // The coarse-time reasons, as the funnel counted them.
  std::array<std::size_t, kReasons> excluded{};
  for (const FunnelCount& step : out.funnel) {
    switch (step.step) {
      case FunnelStep::dates: excluded[month_partial] = step.removed_month_only; break;
      case FunnelStep::days: excluded[month_weekday] = step.removed_month_only; break;
      case FunnelStep::window:
        excluded[month_window] = step.removed_month_only;
        excluded[day_window] = step.removed_day_only;
        break;
      case FunnelStep::scope: excluded[no_town_centres] = step.removed_unjudged; break;
      default: break;
    }
  }
  // Which precisions reached the time filters, for the rules below.
  bool saw_month = false;
  bool saw_day = false;
  for (std::size_t slot = static_cast<std::size_t>(FunnelStep::dates); slot <= FunnelTally::kKept; ++slot) {
    for (const bool c : {false, true}) {
      saw_month |= tally.count(slot, c, data::TimePrecision::month) > 0;
      saw_day |= tally.count(slot, c, data::TimePrecision::day) > 0;
    }
  }

  for (int r = 0; r < kReasons; ++r) {
    if (excluded[r] > 0) out.excluded[kReasonText[r]] = excluded[r];
  }
  if (params.window && params.window->crosses_midnight()) {
    out.rules.push_back("times before " + format_minute(params.window->end_minute) +
                        " belong to the night that began the evening before, for the date and "
                        "day-of-week filters");
  }
  if (saw_month && filter_dates) {
    out.rules.push_back("month-only records count in a date range only when their whole month "
                        "lies inside it");
  }
  if (saw_month && (params.window || filter_weekdays)) {
    out.rules.push_back("month-only records are excluded from day-of-week and time-of-day filters");
  }
  if (filter_alcohol) {
    out.rules.push_back("the alcohol filter keeps only rows whose source records alcohol as " +
                        std::string(*params.alcohol ? "involved" : "not involved") +
                        "; rows where it is unknown are left out");
  }
  if (saw_day && params.window) {
    out.rules.push_back("day-only records are excluded from time-of-day filters");
  }
  return out;
}

}  // namespace hotspot::analysis
