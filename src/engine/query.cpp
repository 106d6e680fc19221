#include "hotspot/engine/query.hpp"

#include "hotspot/data/local_time.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace hotspot::engine {
namespace {

Error bad(std::string_view name, std::string_view text, std::string_view expected) {
  return make_error(ErrorCode::invalid_parameter, "Parameter '" + std::string(name) + "': '" +
                                                      std::string(text) + "' is not " +
                                                      std::string(expected));
}

// Parses exactly `width` ASCII digits.
bool digits(std::string_view text, std::size_t width, int& out) {
  if (text.size() != width) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

Expected<Query> Query::parse(const NameValues& pairs, std::span<const std::string_view> allowed) {
  Query params;
  for (const auto& [name, value] : pairs) {
    bool known = false;
    for (auto a : allowed) known = known || a == name;
    if (!known) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return make_error(ErrorCode::unknown_parameter,
                        "Unknown parameter '" + name + "'; " +
                            (list.empty() ? std::string("this endpoint takes no parameters")
                                          : "this endpoint takes: " + list));
    }
    if (params.has(name)) {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter '" + name + "' is given more than once; give it once " +
                            "(lists are comma-separated)");
    }
    params.values_.emplace_back(name, value);
  }
  return params;
}

const std::string* Query::get(std::string_view name) const {
  for (const auto& [key, value] : values_) {
    if (key == name) return &value;
  }
  return nullptr;
}

Expected<std::int64_t> parse_int(std::string_view name, std::string_view text, std::int64_t min,
                                 std::int64_t max) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
    return bad(name, text, range);
  }
  if (value < min || value > max) return bad(name, text, range);
  return value;
}

Expected<double> parse_double(std::string_view name, std::string_view text, double min,
                              double max) {
  double value = 0;
  const std::string range = "a number from " + format_number(min) + " to " + format_number(max);
  // from_chars accepts "inf"/"nan": refused below by the finiteness check.
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value,
                                         std::chars_format::fixed);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return bad(name, text, range);
  }
  if (value < min || value > max) return bad(name, text, range);
  return value;
}

Expected<double> parse_number(std::string_view name, std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value,
                                         std::chars_format::fixed);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return bad(name, text, "a number");
  }
  return value;
}

Expected<std::int64_t> parse_whole(std::string_view name, std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
    return bad(name, text, "a whole number");
  }
  return value;
}

Expected<std::int32_t> parse_date(std::string_view name, std::string_view text) {
  int year = 0, month = 0, day = 0;
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      digits(text.substr(0, 4), 4, year) && digits(text.substr(5, 2), 2, month) &&
                      digits(text.substr(8, 2), 2, day);
  if (!shaped || month < 1 || month > 12 || day < 1 || day > 31) {
    return bad(name, text, "a date YYYY-MM-DD");
  }
  if (year < data::kFirstSupportedYear || year > data::kLastSupportedYear) {
    return bad(name, text,
               "a date in " + std::to_string(data::kFirstSupportedYear) + ".." +
                   std::to_string(data::kLastSupportedYear));
  }
  const std::int32_t days = data::days_from_civil(year, static_cast<unsigned>(month),
                                                  static_cast<unsigned>(day));
  // 2024-02-30 round-trips to a different date: not a real calendar day.
  const auto back = data::civil_from_days(days);
  if (back.year != year || back.month != static_cast<unsigned>(month) ||
      back.day != static_cast<unsigned>(day)) {
    return bad(name, text, "a real calendar date");
  }
  return days;
}

Expected<std::uint16_t> parse_clock(std::string_view name, std::string_view text) {
  int hours = 0, minutes = 0;
  if (text.size() != 5 || text[2] != ':' || !digits(text.substr(0, 2), 2, hours) ||
      !digits(text.substr(3, 2), 2, minutes) || hours > 23 || minutes > 59) {
    return bad(name, text, "a time HH:MM from 00:00 to 23:59");
  }
  return static_cast<std::uint16_t>(hours * 60 + minutes);
}

Expected<std::vector<std::string_view>> parse_list(std::string_view name, std::string_view text) {
  std::vector<std::string_view> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view item = text.substr(start, comma - start);
    if (item.empty()) return bad(name, text, "a comma-separated list without empty items");
    items.push_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

Expected<LonLatBox> parse_box(std::string_view name, std::string_view text,
                              std::string_view shape, const LonLatBox& range) {
  auto items = parse_list(name, text);
  if (!items || items->size() != 4) return bad(name, text, shape);
  const double lo[4] = {range.min_lon, range.min_lat, range.min_lon, range.min_lat};
  const double hi[4] = {range.max_lon, range.max_lat, range.max_lon, range.max_lat};
  double v[4];
  for (int i = 0; i < 4; ++i) {
    auto value = parse_double(name, (*items)[i], lo[i], hi[i]);
    if (!value) {
      return bad(name, text,
                 std::string(shape) + " (x " + format_number(range.min_lon) + ".." +
                     format_number(range.max_lon) + ", y " + format_number(range.min_lat) +
                     ".." + format_number(range.max_lat) + ")");
    }
    v[i] = *value;
  }
  if (!(v[0] < v[2]) || !(v[1] < v[3])) {
    return bad(name, text, std::string(shape) + " with min < max on both axes");
  }
  return LonLatBox{v[0], v[1], v[2], v[3]};
}

Expected<LonLatBox> parse_bbox(std::string_view name, std::string_view text) {
  return parse_box(name, text, "minLon,minLat,maxLon,maxLat in WGS84 degrees",
                   LonLatBox{-180, -90, 180, 90});
}

std::string format_number(double value) {
  // Fixed notation, as parse_number reads it: the shortest form may be
  // 9e-115, which an echoed canonical query could not be read back from.
  // The longest finite double in fixed notation has 309 digits before the
  // point, the smallest 324 after it.
  char buffer[340];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return ec == std::errc{} ? std::string(buffer, end) : std::string("0");
}

std::string format_date(std::int32_t days) {
  const auto date = data::civil_from_days(days);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", date.year, date.month, date.day);
  return buffer;
}

std::string format_clock(unsigned minutes) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02u:%02u", (minutes / 60) % 100, minutes % 60);
  return buffer;
}

Expected<bool> parse_bool(std::string_view name, std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return bad(name, text, "true or false");
}

Expected<std::int32_t> required_date(const Query& query, std::string_view name) {
  const auto* text = query.get(name);
  if (!text) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter '" + std::string(name) + "' is required (a date YYYY-MM-DD)");
  }
  return parse_date(name, *text);
}

Expected<std::vector<double>> parse_numbers(std::string_view name, std::string_view text) {
  auto items = parse_list(name, text);
  if (!items) return items.error();
  std::vector<double> values;
  for (auto item : *items) {
    auto v = parse_number(name, item);
    if (!v) return v.error();
    values.push_back(*v);
  }
  return values;
}

std::string format_numbers(const std::vector<double>& values) {
  std::string text;
  for (double v : values) text += (text.empty() ? "" : ",") + format_number(v);
  return text;
}

}  // namespace hotspot::engine
