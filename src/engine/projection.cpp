#include "hotspot/engine/projection.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

namespace hotspot::engine {
namespace {

Expected<const geo::Transformer*> cached(std::optional<Expected<geo::Transformer>>& slot,
                                         const char* source, const char* target) {
  if (!slot) slot.emplace(geo::Transformer::create(source, target));
  if (!slot->has_value()) return slot->error();
  return &slot->value();
}

// EPSG:27700's area of use in lon/lat degrees, read from PROJ once; EPSG's
// published bounds if PROJ does not say.
const geo::Box& bng_area_of_use() {
  static const geo::Box area =
      geo::area_of_use(geo::kWorkingCrs).value_or(geo::Box{-9.01, 49.75, 2.01, 61.01});
  return area;
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
  // Only the part inside the grid's area of use is projected: far outside
  // it the projection folds over (a world box would come back as a small,
  // wrong box), and no incident can lie there.
  const geo::Box& area = bng_area_of_use();
  const geo::Box clipped{std::max(box.min_lon, area.min_x), std::max(box.min_lat, area.min_y),
                         std::min(box.max_lon, area.max_x), std::min(box.max_lat, area.max_y)};
  if (!(clipped.min_x < clipped.max_x && clipped.min_y < clipped.max_y)) {
    char bounds[96];
    std::snprintf(bounds, sizeof bounds, "%.2f,%.2f,%.2f,%.2f", area.min_x, area.min_y,
                  area.max_x, area.max_y);
    return make_error(ErrorCode::invalid_parameter,
                      std::string("Parameter 'bbox': the box lies outside the British National "
                                  "Grid's area of use (") +
                          bounds + "); give a box over Great Britain");
  }
  // Each edge is sampled: a lon/lat rectangle is curved on the national grid.
  const geo::Box out = geo::transform_box(clipped, **transformer);
  if (out.empty()) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'bbox': the box cannot be projected to the British National "
                      "Grid; give a box over Great Britain");
  }
  return out;
}

geo::Box bbox_inside_bng(const LonLatBox& box) {
  auto transformer = to_bng();
  if (!transformer) return {};
  const geo::Box& area = bng_area_of_use();
  const geo::Box clipped{std::max(box.min_lon, area.min_x), std::max(box.min_lat, area.min_y),
                         std::min(box.max_lon, area.max_x), std::min(box.max_lat, area.max_y)};
  geo::Box inner = geo::inner_box(clipped, **transformer);
  // A metre in from each side covers what the edges bulge between samples
  // (a few millimetres over a county).
  constexpr double kMargin = 1.0;
  inner = {inner.min_x + kMargin, inner.min_y + kMargin, inner.max_x - kMargin,
           inner.max_y - kMargin};
  return inner.empty() ? geo::Box{} : inner;
}

geo::Box box_to_lonlat(const geo::Box& box, const geo::Transformer& to_lonlat) {
  if (box.empty()) return {};
  return geo::transform_box(box, to_lonlat);
}

}  // namespace hotspot::engine
