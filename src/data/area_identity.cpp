#include "hotspot/data/area_identity.hpp"

#include "hotspot/geo/geos.hpp"

#include "bundled_files.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace hotspot::data {
namespace {

// LAD13NM, LAD22NM, LADNM, lad23nm: ONS local-authority district names.
bool is_local_authority_name_field(const std::string& key) {
  if (key.size() < 5) return false;
  std::string upper(key);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (upper.rfind("LAD", 0) != 0 || upper.substr(upper.size() - 2) != "NM") return false;
  const std::string middle = upper.substr(3, upper.size() - 5);
  return std::all_of(middle.begin(), middle.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool boxes_meet(const geo::Box& a, const geo::Box& b) {
  return !(a.max_x < b.min_x || b.max_x < a.min_x || a.max_y < b.min_y || b.max_y < a.min_y);
}

}  // namespace

AreaName area_name(const std::string& configured, const BoundaryLayer& wards,
                   const std::string& wards_path) {
  if (!configured.empty()) return {configured, "option"};
  if (wards.size() > 0) {
    for (const auto& field : wards.properties[0]) {
      // Named, not structured bindings: clang 14 cannot capture those.
      const auto& key = field.first;
      const auto& value = field.second;
      if (!is_local_authority_name_field(key) || value.empty()) continue;
      const bool shared = std::all_of(wards.properties.begin(), wards.properties.end(),
                                      [&](const auto& p) {
                                        const auto it = p.find(key);
                                        return it != p.end() && it->second == value;
                                      });
      if (shared) return {value, "field " + key};
    }
  }
  if (wards_path.empty()) return {};
  if (detail::bundled_county_durham_file(wards_path)) return {"County Durham", "bundled wards"};
  return {std::filesystem::path(wards_path).stem().string(), "file name"};
}

std::vector<std::string> town_centres_outside_wards(const BoundaryLayer& wards,
                                                    const BoundaryLayer& town_centres) {
  std::vector<std::string> outside;
  if (wards.size() == 0) return outside;
  for (std::size_t c = 0; c < town_centres.size(); ++c) {
    const geo::Box centre_box = geo::envelope(town_centres.geometries[c].get());
    bool overlaps = false;
    for (std::size_t w = 0; w < wards.size() && !overlaps; ++w) {
      const geo::Box ward_box =
          w < wards.envelopes.size() ? wards.envelopes[w] : geo::envelope(wards.geometries[w].get());
      if (!boxes_meet(centre_box, ward_box)) continue;
      const auto shared = geo::intersection_area(town_centres.geometries[c].get(),
                                                 wards.geometries[w].get());
      overlaps = shared.value_or(0) > 0;
    }
    if (!overlaps) outside.push_back(town_centres.names[c]);
  }
  return outside;
}

}  // namespace hotspot::data
