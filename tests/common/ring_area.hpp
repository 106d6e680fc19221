#pragma once
// The signed area of a GeoJSON ring (shoelace over lon/lat): positive when
// counter-clockwise, the winding RFC 7946 asks of exterior rings.

#include <nlohmann/json.hpp>

#include <cstddef>

namespace hotspot::testing {

inline double signed_area(const nlohmann::json& ring) {
  double a = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
         ring[i + 1][0].get<double>() * ring[i][1].get<double>();
  }
  return a / 2;
}

}  // namespace hotspot::testing
