#pragma once
// Plain value types shared by every module. Coordinates are EPSG:27700
// (British National Grid) metres unless a name says lon/lat.

#include <algorithm>
#include <limits>

namespace hotspot::geo {

inline constexpr const char* kWorkingCrs = "EPSG:27700";
inline constexpr const char* kWgs84 = "EPSG:4326";

struct Point {
  double x = 0;
  double y = 0;
};

struct LonLat {
  double lon = 0;
  double lat = 0;
};

struct Box {
  double min_x = std::numeric_limits<double>::infinity();
  double min_y = std::numeric_limits<double>::infinity();
  double max_x = -std::numeric_limits<double>::infinity();
  double max_y = -std::numeric_limits<double>::infinity();

  bool empty() const { return min_x > max_x || min_y > max_y; }
  void expand(Point p) {
    min_x = std::min(min_x, p.x);
    min_y = std::min(min_y, p.y);
    max_x = std::max(max_x, p.x);
    max_y = std::max(max_y, p.y);
  }
  void expand(const Box& b) {
    if (b.empty()) return;
    expand(Point{b.min_x, b.min_y});
    expand(Point{b.max_x, b.max_y});
  }
  bool contains(Point p) const {
    return p.x >= min_x && p.x <= max_x && p.y >= min_y && p.y <= max_y;
  }
};

}  // namespace hotspot::geo
