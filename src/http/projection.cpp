#include "hotspot/http/projection.hpp"

#include <cmath>
#include <limits>
#include <optional>

namespace hotspot::http {
namespace {

Expected<const geo::Transformer*> cached(std::optional<Expected<geo::Transformer>>& slot,
                                         const char* source, const char* target) {
  if (!slot) slot.emplace(geo::Transformer::create(source, target));
  if (!slot->has_value()) return slot->error();
  return &slot->value();
}

}  // namespace

Expected<const geo::Transformer*> to_wgs84() {
  thread_local std::optional<Expected<geo::Transformer>> slot;
  return cached(slot, geo::kWorkingCrs, geo::kWgs84);
}

Expected<const geo::Transformer*> to_bng() {
  thread_local std::optional<Expected<geo::Transformer>> slot;
  return cached(slot, geo::kWgs84, geo::kWorkingCrs);
}

Expected<geo::Box> bbox_to_bng(const LonLatBox& box) {
  auto transformer = to_bng();
  if (!transformer) return transformer.error();
  // Sample each edge: a lon/lat rectangle is curved on the national grid.
  constexpr int kSteps = 8;
  geo::Box out;
  for (int i = 0; i <= kSteps; ++i) {
    const double t = static_cast<double>(i) / kSteps;
    const double lon = box.min_lon + t * (box.max_lon - box.min_lon);
    const double lat = box.min_lat + t * (box.max_lat - box.min_lat);
    for (geo::Point p : {geo::Point{lon, box.min_lat}, geo::Point{lon, box.max_lat},
                         geo::Point{box.min_lon, lat}, geo::Point{box.max_lon, lat}}) {
      const geo::Point q = (*transformer)->transform(p);
      if (std::isfinite(q.x) && std::isfinite(q.y)) out.expand(q);
    }
  }
  if (out.empty()) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'bbox': the box cannot be projected to the British National "
                      "Grid; give a box over Great Britain");
  }
  return out;
}

std::array<double, 4> box_to_lonlat(const geo::Box& box, const geo::Transformer& to_lonlat) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (box.empty()) return {kNaN, kNaN, kNaN, kNaN};
  constexpr int kSteps = 8;
  geo::Box out;
  for (int i = 0; i <= kSteps; ++i) {
    const double t = static_cast<double>(i) / kSteps;
    const double x = box.min_x + t * (box.max_x - box.min_x);
    const double y = box.min_y + t * (box.max_y - box.min_y);
    for (geo::Point p : {geo::Point{x, box.min_y}, geo::Point{x, box.max_y},
                         geo::Point{box.min_x, y}, geo::Point{box.max_x, y}}) {
      const geo::Point q = to_lonlat.transform(p);
      if (std::isfinite(q.x) && std::isfinite(q.y)) out.expand(q);
    }
  }
  if (out.empty()) return {kNaN, kNaN, kNaN, kNaN};
  return {out.min_x, out.min_y, out.max_x, out.max_y};
}

}  // namespace hotspot::http
