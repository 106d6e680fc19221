#pragma once
// Civil calendar arithmetic and Europe/London local time.
//
// The UK rule since 1996 (EU summer time): BST (UTC+1) from 01:00 UTC on the
// last Sunday of March to 01:00 UTC on the last Sunday of October; GMT
// otherwise. Instants before 1996 are rejected by the readers as "bad time".

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotspot::data {

inline constexpr int kFirstSupportedYear = 1996;
inline constexpr int kLastSupportedYear = 2099;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int32_t days_from_civil(int year, unsigned month, unsigned day);
struct CivilDate {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};
CivilDate civil_from_days(std::int32_t days);
// 0 = Monday ... 6 = Sunday.
int weekday_from_days(std::int32_t days);

// The API's day names in weekday_from_days order, so that every module
// spells a weekday the same way: kWeekdayNames[weekday_from_days(d)].
inline constexpr std::array<std::string_view, 7> kWeekdayNames{"mon", "tue", "wed", "thu",
                                                               "fri", "sat", "sun"};
// 0 = Monday ... 6 = Sunday for one of kWeekdayNames (exact, lower case, as
// the API takes them); nullopt for anything else.
constexpr std::optional<int> parse_weekday(std::string_view name) {
  for (std::size_t d = 0; d < kWeekdayNames.size(); ++d) {
    if (kWeekdayNames[d] == name) return static_cast<int>(d);
  }
  return std::nullopt;
}

// The current time as ISO 8601 UTC to the second, "2024-06-01T12:34:56Z":
// the stamp on a load report and on generated responses.
std::string utc_now_iso8601();
// The same for an instant, UTC seconds since the epoch.
std::string utc_iso8601(std::int64_t utc_seconds);

struct LondonTime {
  std::int32_t local_day = 0;         // days since 1970-01-01 of the local date
  std::uint16_t minute_of_day = 0;    // 0..1439, local
  std::int8_t utc_offset_hours = 0;   // 0 (GMT) or 1 (BST)
};
// UTC seconds since the epoch -> Europe/London local date and minute.
LondonTime to_london(std::int64_t utc_seconds);

// Local wall-clock time -> UTC seconds. A wall time in the spring-forward gap
// (01:00-02:00 on the last Sunday of March) does not exist: it is moved one
// hour later, as clocks do. A wall time in the repeated hour of October is
// ambiguous: the first occurrence (BST) is taken.
std::int64_t london_to_utc(std::int32_t local_day, int seconds_of_day);

// Parses ISO 8601 / RFC 3339 date-times as found in incident files:
//   "2024-03-15T22:41:07+00:00", "2024-03-15 22:41", "2024-03-15T22:41:07Z",
//   "2024-03-15" (day precision), "2024-03" (month precision, police.uk).
// Without an offset the time is Europe/London wall-clock time.
enum class TimePrecision : std::uint8_t { month = 0, day = 1, minute = 2 };
// "month", "day", "minute": the API's and the store's spelling.
std::string_view time_precision_name(TimePrecision p);
std::optional<TimePrecision> parse_time_precision(std::string_view name);
struct ParsedTime {
  std::int64_t utc_seconds = 0;  // for month/day precision: local midnight starting it
  TimePrecision precision = TimePrecision::minute;
};
std::optional<ParsedTime> parse_time(std::string_view text);

}  // namespace hotspot::data
