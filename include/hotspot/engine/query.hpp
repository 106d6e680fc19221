#pragma once
// Strict parameter parsing, shared by the HTTP service and the command line.
// Every value must be consumed whole, be finite and lie in its documented
// range; every failure names the parameter and says what would be accepted.

#include "hotspot/common/error.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotspot::engine {

using NameValues = std::vector<std::pair<std::string, std::string>>;

// The parameters of one request, checked against the names its endpoint takes.
class Query {
 public:
  // Rejects a name the endpoint does not take (unknown_parameter, naming it
  // and listing the accepted ones) and a name given twice (invalid_parameter).
  static Expected<Query> parse(const NameValues& pairs, std::span<const std::string_view> allowed);

  // The value, or nullptr when absent.
  const std::string* get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name) != nullptr; }

  // The value of `name` read by `parse(name, text)`: nullopt when absent,
  // the parser's Error when malformed.
  template <typename T>
  Expected<std::optional<T>> parsed(std::string_view name,
                                    Expected<T> (*parse)(std::string_view, std::string_view)) const {
    const std::string* text = get(name);
    if (!text) return std::optional<T>();
    auto value = parse(name, *text);
    if (!value) return value.error();
    return std::optional<T>(std::move(*value));
  }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

Expected<std::int64_t> parse_int(std::string_view name, std::string_view text, std::int64_t min,
                                 std::int64_t max);
Expected<double> parse_double(std::string_view name, std::string_view text, double min,
                              double max);
// Any finite number (fixed notation) or any whole number, for values whose
// range the parameters' validate() checks, in one place.
Expected<double> parse_number(std::string_view name, std::string_view text);
Expected<std::int64_t> parse_whole(std::string_view name, std::string_view text);
// YYYY-MM-DD, a real calendar date in the supported years -> days since 1970-01-01.
Expected<std::int32_t> parse_date(std::string_view name, std::string_view text);
// parse_date of a parameter that must be given (a period's ends).
Expected<std::int32_t> required_date(const Query& query, std::string_view name);
// HH:MM, 00:00..23:59 -> minutes after midnight.
Expected<std::uint16_t> parse_clock(std::string_view name, std::string_view text);
// "a,b,c" -> {"a","b","c"}; empty items are refused.
Expected<std::vector<std::string_view>> parse_list(std::string_view name, std::string_view text);
// "1,5,10" -> {1, 5, 10}: parse_list, then parse_number on each item.
Expected<std::vector<double>> parse_numbers(std::string_view name, std::string_view text);
// {1, 5, 10} -> "1,5,10", each by format_number.
std::string format_numbers(const std::vector<double>& values);
// "true"/"false" only.
Expected<bool> parse_bool(std::string_view name, std::string_view text);

struct LonLatBox {
  double min_lon = 0;
  double min_lat = 0;
  double max_lon = 0;
  double max_lat = 0;
};
// minLon,minLat,maxLon,maxLat in WGS84 degrees, min < max on both axes.
Expected<LonLatBox> parse_bbox(std::string_view name, std::string_view text);
// Four comma-separated numbers min_x,min_y,max_x,max_y, each within `range`
// (its min_lon/max_lon bound x, min_lat/max_lat y), min < max on both axes;
// `shape` says in words what was expected. parse_bbox is this over WGS84.
Expected<LonLatBox> parse_box(std::string_view name, std::string_view text,
                              std::string_view shape, const LonLatBox& range);

// Formats a double for echoing back: the shortest fixed-notation form that
// reads back (parse_number) as the same value.
std::string format_number(double value);
// days since 1970-01-01 -> YYYY-MM-DD.
std::string format_date(std::int32_t days);
// minutes after midnight -> HH:MM.
std::string format_clock(unsigned minutes);

}  // namespace hotspot::engine
