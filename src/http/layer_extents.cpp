#include "hotspot/http/layer_extents.hpp"

#include "hotspot/engine/projection.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace hotspot::http {

geo::Box lonlat_extent(const data::BoundaryLayer& layer) {
  geo::Box box;
  for (const auto& parts : layer.lonlat) {
    for (const auto& polygon : parts) {
      for (const auto& ring : polygon) {
        for (const auto& p : ring) box.expand(p);
      }
    }
  }
  return box;
}

geo::Box incidents_lonlat_extent(const data::Snapshot& snapshot, const engine::Disclosure& policy,
                                 const geo::Transformer& to_lonlat) {
  if (policy.public_mode) return lonlat_extent(*snapshot.wards);
  return engine::box_to_lonlat(snapshot.incidents->extent(), to_lonlat);
}

nlohmann::json bbox_json(const geo::Box& b) {
  if (b.empty()) return nullptr;
  auto round6 = [](double v) { return std::round(v * 1e6) / 1e6; };
  return {round6(b.min_x), round6(b.min_y), round6(b.max_x), round6(b.max_y)};
}

nlohmann::json licences_json(const data::Snapshot& snapshot) {
  auto licences = nlohmann::json::array();
  for (const auto& source : snapshot.sources) {
    if (!source.licence.empty() &&
        std::find(licences.begin(), licences.end(), source.licence) == licences.end()) {
      licences.push_back(source.licence);
    }
  }
  return licences;
}

}  // namespace hotspot::http
