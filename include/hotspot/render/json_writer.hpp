#pragma once
// An append-only JSON text writer for the large arrays (features,
// coordinates, grid cells), where a DOM would cost more than the data. It
// places its own commas: callers open and close objects and arrays and
// write keys and values, never separators. Numbers go through
// std::to_chars; non-finite numbers become null.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::render {

class JsonWriter {
 public:
  std::string& text() { return out_; }
  std::string take() { return std::move(out_); }

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view text);  // quoted and escaped
  JsonWriter& integer(std::int64_t value);
  // Fixed notation with at most `decimals` decimals, trailing zeros trimmed.
  JsonWriter& number(double value, int decimals);
  // Shortest text that reads back as the same double (for p-values and the like).
  JsonWriter& real(double value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  // A value that is already JSON text (e.g. nlohmann::json::dump()).
  JsonWriter& json(std::string_view text);
  JsonWriter& lonlat(double lon, double lat);  // [lon,lat], 6 decimals (~0.1 m)

 private:
  void separate();  // the comma before a value or key, where one is due
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);

  std::string out_;
  std::vector<bool> empty_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

// Escapes text as a JSON string (with quotes), replacing invalid UTF-8 by U+FFFD.
std::string json_quote(std::string_view text);

}  // namespace hotspot::render
