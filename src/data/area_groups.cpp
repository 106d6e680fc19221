#include "hotspot/data/area_groups.hpp"

#include "hotspot/geo/parallel.hpp"

#include <algorithm>
#include <atomic>

namespace hotspot::data {
namespace {

// Boxes that share only an edge or a corner cannot overlap with any area,
// so they are skipped as disjoint ones are.
bool boxes_overlap(const geo::Box& a, const geo::Box& b) {
  return !a.empty() && !b.empty() && a.min_x < b.max_x && b.min_x < a.max_x &&
         a.min_y < b.max_y && b.min_y < a.max_y;
}

}  // namespace

std::vector<std::int32_t> AreaGroups::group_of_rows(std::span<const std::int32_t> ward_of_row) const {
  std::vector<std::int32_t> out(ward_of_row.size(), kNoArea);
  for (std::size_t i = 0; i < ward_of_row.size(); ++i) {
    const std::int32_t w = ward_of_row[i];
    if (w >= 0 && static_cast<std::size_t>(w) < of_ward.size()) {
      out[i] = of_ward[static_cast<std::size_t>(w)].group;
    }
  }
  return out;
}

AreaGroups assign_wards(const BoundaryLayer& wards, std::shared_ptr<const BoundaryLayer> groups,
                        unsigned threads) {
  AreaGroups out;
  if (groups) out.layer = std::move(groups);
  const BoundaryLayer& layer = *out.layer;
  const std::size_t ward_count = wards.geometries.size();
  out.of_ward.assign(ward_count, WardGroup{});
  out.wards_of.assign(layer.size(), {});
  std::atomic<std::size_t> failed{0};

  // One ward per item: the envelopes rule out most groups, an intersection
  // measures the rest. Wards are few (tens to thousands), so two wards per
  // worker is worth a thread (each intersection takes about a millisecond).
  geo::parallel_slices(ward_count, threads, 2, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t w = begin; w < end; ++w) {
      const GEOSGeom_t* ward = wards.geometries[w].get();
      const geo::Box ward_box = w < wards.envelopes.size() ? wards.envelopes[w] : geo::envelope(ward);
      const double ward_area = w < wards.area_m2.size() ? wards.area_m2[w] : geo::area(ward);
      WardGroup best;
      double best_area = 0;
      for (std::size_t g = 0; g < layer.geometries.size(); ++g) {
        const geo::Box group_box =
            g < layer.envelopes.size() ? layer.envelopes[g] : geo::envelope(layer.geometries[g].get());
        if (!boxes_overlap(ward_box, group_box)) continue;
        const std::optional<double> overlap =
            geo::intersection_area(ward, layer.geometries[g].get());
        if (!overlap) {
          ++failed;
          continue;
        }
        // Strictly larger: on a tie the earlier group keeps the ward.
        if (*overlap > best_area) {
          best_area = *overlap;
          best.group = static_cast<std::int32_t>(g);
        }
      }
      if (best.group != kNoArea && ward_area > 0) {
        // Generalised boundaries overlap by rounding: never more than all of it.
        best.share = std::min(1.0, best_area / ward_area);
      } else {
        best = WardGroup{};
      }
      out.of_ward[w] = best;
    }
  });

  // Then the lists, in ward order.
  for (std::size_t w = 0; w < ward_count; ++w) {
    const std::int32_t g = out.of_ward[w].group;
    if (g == kNoArea) {
      out.unassigned.push_back(static_cast<std::int32_t>(w));
    } else {
      out.wards_of[static_cast<std::size_t>(g)].push_back(static_cast<std::int32_t>(w));
    }
  }
  out.failed_overlaps = failed.load();
  return out;
}

}  // namespace hotspot::data
