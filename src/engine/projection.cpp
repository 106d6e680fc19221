#include "hotspot/engine/projection.hpp"

#include <cmath>
#include <optional>

namespace hotspot::engine {
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
  // Each edge is sampled: a lon/lat rectangle is curved on the national grid.
  const geo::Box out = geo::transform_box(
      geo::Box{box.min_lon, box.min_lat, box.max_lon, box.max_lat}, **transformer);
  if (out.empty()) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'bbox': the box cannot be projected to the British National "
                      "Grid; give a box over Great Britain");
  }
  return out;
}

geo::Box box_to_lonlat(const geo::Box& box, const geo::Transformer& to_lonlat) {
  if (box.empty()) return {};
  return geo::transform_box(box, to_lonlat);
}

}  // namespace hotspot::engine
