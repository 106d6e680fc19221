#pragma once
// An append-only JSON text writer for the large arrays (features,
// coordinates, grid cells), where a DOM would cost more than the data.
// Numbers go through std::to_chars; non-finite numbers become null.
// Small objects (metadata, reports) use nlohmann::json instead.

#include "hotspot/geo/geos.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace hotspot::http {

class JsonWriter {
 public:
  std::string& text() { return out_; }
  std::string take() { return std::move(out_); }

  JsonWriter& raw(std::string_view text) {
    out_.append(text);
    return *this;
  }
  JsonWriter& string(std::string_view text);  // quoted and escaped
  JsonWriter& integer(std::int64_t value);
  // Fixed notation with at most `decimals` decimals, trailing zeros trimmed.
  JsonWriter& number(double value, int decimals);
  // Shortest text that reads back as the same double (for p-values and the like).
  JsonWriter& real(double value);
  JsonWriter& lonlat(double lon, double lat);  // [lon,lat], 6 decimals (~0.1 m)

 private:
  std::string out_;
};

// Writes a GeoJSON Polygon (one part) or MultiPolygon geometry object from
// lon/lat rings already wound for RFC 7946.
void write_polygon_geometry(JsonWriter& w, const geo::MultiPolygonRings& lonlat);

// Escapes text as a JSON string (with quotes), replacing invalid UTF-8 by U+FFFD.
std::string json_quote(std::string_view text);

}  // namespace hotspot::http
