#include "hotspot/data/local_time.hpp"

#include <ctime>

#include <array>
#include <ctime>

namespace hotspot::data {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(int year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Day number of the last Sunday of a month.
std::int32_t last_sunday(int year, unsigned month) {
  std::int32_t last = days_from_civil(year, month, days_in_month(year, month));
  return last - (weekday_from_days(last) + 1) % 7;
}

// The UTC instants at which BST starts and ends in `year`.
struct SummerTime {
  std::int64_t start;  // last Sunday of March, 01:00 UTC
  std::int64_t end;    // last Sunday of October, 01:00 UTC
};

SummerTime compute_summer_time(int year) {
  return {last_sunday(year, 3) * kSecondsPerDay + 3600,
          last_sunday(year, 10) * kSecondsPerDay + 3600};
}

// The rule is evaluated for every row of every file, so the supported years
// are computed once; other years (rejected by the readers, but still valid
// input to these functions) are computed on demand.
const SummerTime& summer_time(int year, SummerTime& scratch) {
  static const auto table = [] {
    std::array<SummerTime, kLastSupportedYear - kFirstSupportedYear + 1> t{};
    for (int y = kFirstSupportedYear; y <= kLastSupportedYear; ++y)
      t[static_cast<std::size_t>(y - kFirstSupportedYear)] = compute_summer_time(y);
    return t;
  }();
  if (year >= kFirstSupportedYear && year <= kLastSupportedYear)
    return table[static_cast<std::size_t>(year - kFirstSupportedYear)];
  scratch = compute_summer_time(year);
  return scratch;
}

// Year of a day number, cheaper than a full civil_from_days when the day is
// inside the cached range.
int year_of_day(std::int32_t days) { return civil_from_days(days).year; }

// Reads exactly `width` ASCII digits at text[pos].
bool read_digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
  // At most 4 digits: no overflow; done by hand, as this runs several times
  // for every row of every file.
  if (pos + width > text.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

}  // namespace

std::int32_t days_from_civil(int year, unsigned month, unsigned day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

CivilDate civil_from_days(std::int32_t days) {
  const std::int32_t z = days + 719468;
  const std::int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

int weekday_from_days(std::int32_t days) {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return static_cast<int>(((static_cast<std::int64_t>(days) + 3) % 7 + 7) % 7);
}

std::string utc_iso8601(std::int64_t utc_seconds) {
  const auto seconds = static_cast<std::time_t>(utc_seconds);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string utc_now_iso8601() { return utc_iso8601(std::time(nullptr)); }

LondonTime to_london(std::int64_t utc_seconds) {
  const auto utc_day = static_cast<std::int32_t>(floor_div(utc_seconds, kSecondsPerDay));
  SummerTime scratch{};
  // The switches are in March and October, far from the new year, so the UTC
  // date's year is the local date's year for the purpose of the rule.
  const SummerTime& st = summer_time(year_of_day(utc_day), scratch);
  const int offset = (utc_seconds >= st.start && utc_seconds < st.end) ? 1 : 0;
  const std::int64_t local = utc_seconds + offset * 3600;
  const std::int64_t day = floor_div(local, kSecondsPerDay);
  LondonTime out;
  out.local_day = static_cast<std::int32_t>(day);
  out.minute_of_day = static_cast<std::uint16_t>((local - day * kSecondsPerDay) / 60);
  out.utc_offset_hours = static_cast<std::int8_t>(offset);
  return out;
}

std::int64_t london_to_utc(std::int32_t local_day, int seconds_of_day) {
  const std::int64_t local = local_day * kSecondsPerDay + seconds_of_day;
  SummerTime scratch{};
  const SummerTime& st = summer_time(year_of_day(local_day), scratch);
  // In local wall-clock terms BST runs from 02:00 on the March switch day
  // (01:00 GMT + 1h) to 02:00 on the October switch day (01:00 UTC + 1h).
  // The gap 01:00-02:00 in March is mapped as if GMT, i.e. an hour later in
  // BST; the repeated 01:00-02:00 in October falls in [start, end) and so is
  // read as BST, the first occurrence.
  const std::int64_t bst_from_local = st.start + 3600;
  const std::int64_t bst_to_local = st.end + 3600;
  if (local >= bst_from_local && local < bst_to_local) return local - 3600;
  return local;
}

std::optional<ParsedTime> parse_time(std::string_view text) {
  // Surrounding blanks are common in hand-made files; anything else is strict.
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);

  int year = 0, month = 0, day = 1;
  if (!read_digits(text, 0, 4, year) || text.size() < 7 || text[4] != '-' ||
      !read_digits(text, 5, 2, month))
    return std::nullopt;
  if (year < kFirstSupportedYear || year > kLastSupportedYear || month < 1 || month > 12)
    return std::nullopt;

  ParsedTime out;
  if (text.size() == 7) {
    out.precision = TimePrecision::month;
    out.utc_seconds = london_to_utc(days_from_civil(year, static_cast<unsigned>(month), 1), 0);
    return out;
  }
  if (text.size() < 10 || text[7] != '-' || !read_digits(text, 8, 2, day)) return std::nullopt;
  if (day < 1 || static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)))
    return std::nullopt;
  const std::int32_t days = days_from_civil(year, static_cast<unsigned>(month),
                                            static_cast<unsigned>(day));
  if (text.size() == 10) {
    out.precision = TimePrecision::day;
    out.utc_seconds = london_to_utc(days, 0);
    return out;
  }

  int hour = 0, minute = 0, second = 0;
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !read_digits(text, 11, 2, hour) || text.size() < 16 || text[13] != ':' ||
      !read_digits(text, 14, 2, minute))
    return std::nullopt;
  std::size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!read_digits(text, pos + 1, 2, second)) return std::nullopt;
    pos += 3;
    // Fractional seconds are accepted and dropped (minute precision is kept).
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      const std::size_t digits_from = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == digits_from) return std::nullopt;
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const int seconds_of_day = hour * 3600 + minute * 60 + second;
  out.precision = TimePrecision::minute;

  if (pos == text.size()) {
    out.utc_seconds = london_to_utc(days, seconds_of_day);
    return out;
  }
  if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) {
    out.utc_seconds = days * kSecondsPerDay + seconds_of_day;
    return out;
  }
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  const int sign = text[pos] == '-' ? -1 : 1;
  int off_h = 0, off_m = 0;
  if (text.size() != pos + 6 || !read_digits(text, pos + 1, 2, off_h) || text[pos + 3] != ':' ||
      !read_digits(text, pos + 4, 2, off_m) || off_h > 23 || off_m > 59)
    return std::nullopt;
  out.utc_seconds = days * kSecondsPerDay + seconds_of_day - sign * (off_h * 3600 + off_m * 60);
  return out;
}

std::string_view time_precision_name(TimePrecision p) {
  switch (p) {
    case TimePrecision::month: return "month";
    case TimePrecision::day: return "day";
    case TimePrecision::minute: break;
  }
  return "minute";
}

std::optional<TimePrecision> parse_time_precision(std::string_view name) {
  for (auto p : {TimePrecision::month, TimePrecision::day, TimePrecision::minute}) {
    if (time_precision_name(p) == name) return p;
  }
  return std::nullopt;
}

}  // namespace hotspot::data
