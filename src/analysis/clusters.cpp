#include "hotspot/analysis/clusters.hpp"


#include "hotspot/data/fnv1a.hpp"
#include "hotspot/geo/distinct_points.hpp"
#include "hotspot/geo/polygon_index.hpp"

#include <geos_c.h>

#include <algorithm>
#include <limits>
#include <string_view>
#include <utility>

namespace hotspot::analysis {
namespace {

// A MULTIPOINT of the members, for the GEOS hull functions.
geo::Geometry multipoint(const data::IncidentTable& table, std::span<const std::uint32_t> members) {
  GEOSContextHandle_t ctx = geo::thread_context();
  std::vector<GEOSGeometry*> points;
  points.reserve(members.size());
  for (std::uint32_t row : members) {
    GEOSGeometry* p = GEOSGeom_createPointFromXY_r(ctx, table.x[row], table.y[row]);
    if (p == nullptr) {
      for (GEOSGeometry* q : points) GEOSGeom_destroy_r(ctx, q);
      return nullptr;
    }
    points.push_back(p);
  }
  // The collection takes ownership of the points.
  return geo::Geometry(GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOINT, points.data(),
                                                   static_cast<unsigned>(points.size())));
}

// Members that can be vertices of the convex hull (Akl-Toussaint): the
// extreme points in eight directions span an octagon inside the hull, and a
// member strictly inside it is not a hull vertex. Cuts the GEOS work for
// large clusters to the few members near their edge.
std::vector<std::uint32_t> hull_candidates(const data::IncidentTable& table,
                                           std::span<const std::uint32_t> members) {
  if (members.size() < 64) return {members.begin(), members.end()};
  // Extremes of x, x+y, y, y-x, -x, -x-y, -y, x-y: counter-clockwise.
  std::array<std::uint32_t, 8> extreme;
  extreme.fill(members[0]);
  std::array<double, 8> best;
  best.fill(-std::numeric_limits<double>::infinity());
  for (std::uint32_t row : members) {
    const double x = table.x[row], y = table.y[row];
    const double score[8] = {x, x + y, y, y - x, -x, -x - y, -y, x - y};
    for (std::size_t k = 0; k < 8; ++k) {
      if (score[k] > best[k]) {
        best[k] = score[k];
        extreme[k] = row;
      }
    }
  }
  std::vector<geo::Point> octagon;
  for (std::uint32_t row : extreme) {
    const geo::Point p{table.x[row], table.y[row]};
    if (octagon.empty() || p.x != octagon.back().x || p.y != octagon.back().y) octagon.push_back(p);
  }
  while (octagon.size() > 1 && octagon.front().x == octagon.back().x &&
         octagon.front().y == octagon.back().y) {
    octagon.pop_back();
  }
  if (octagon.size() < 3) return {members.begin(), members.end()};
  std::vector<std::uint32_t> out;
  for (std::uint32_t row : members) {
    const double x = table.x[row], y = table.y[row];
    bool strictly_inside = true;
    for (std::size_t i = 0; i < octagon.size() && strictly_inside; ++i) {
      const geo::Point a = octagon[i], b = octagon[(i + 1) % octagon.size()];
      strictly_inside = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) > 0;
    }
    if (!strictly_inside) out.push_back(row);
  }
  return out;
}

template <std::size_t N>
int busiest(const std::array<std::size_t, N>& counts) {
  const auto it = std::max_element(counts.begin(), counts.end());
  return *it == 0 ? -1 : static_cast<int>(it - counts.begin());
}

}  // namespace

std::optional<Error> ClusterSummaryParams::validate() const {
  if (!(concave_ratio >= 0 && concave_ratio <= 1)) {
    return make_error(ErrorCode::invalid_parameter, "Parameter 'concave_ratio': must be between 0 and 1");
  }
  return std::nullopt;
}

std::string cluster_id(const data::IncidentTable& table, std::span<const std::uint32_t> members) {
  // Sorted by (source, id). The first 8 bytes of the id, zero-padded and
  // read big-endian, order the same way as the id itself wherever they
  // differ, so most comparisons are one integer compare instead of a memcmp.
  struct Key {
    std::uint16_t source;
    std::uint64_t prefix;
    std::string_view id;
  };
  std::vector<Key> keys;
  keys.reserve(members.size());
  for (std::uint32_t row : members) {
    const std::string_view id = table.source_id(row);
    std::uint64_t prefix = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      prefix = (prefix << 8) | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0u);
    }
    keys.push_back({table.source[row], prefix, id});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.source != b.source) return a.source < b.source;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return a.id < b.id;
  });
  data::Fnv1a hash;
  for (const auto& [source, prefix, id] : keys) {
    const char s[3] = {static_cast<char>(source & 0xFF), static_cast<char>(source >> 8), '\x1f'};
    hash.add(std::string_view(s, 3));
    hash.add(id);
    hash.add(std::string_view("\x1e", 1));
  }
  return data::hex64(hash.h);
}

Expected<ClusterSummaries> summarise_clusters(const data::IncidentTable& table,
                                              std::span<const std::uint32_t> rows,
                                              const DbscanResult& result,
                                              const data::BoundaryLayer& town_centres,
                                              const ClusterSummaryParams& params,
                                              const Deadline& deadline) {
  if (auto error = params.validate()) return *error;
  if (result.labels.size() != rows.size() || result.core.size() != rows.size()) {
    return make_error(ErrorCode::internal, "DBSCAN labels do not match the selection");
  }
  ClusterSummaries out;
  out.selection_size = rows.size();
  out.noise = result.noise_count;
  // Members of each cluster, as table rows.
  std::vector<std::vector<std::uint32_t>> members(static_cast<std::size_t>(result.cluster_count));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] >= table.size()) {
      return make_error(ErrorCode::internal, "selection row outside the incident table");
    }
    const std::int32_t label = result.labels[i];
    if (label == kNoise) continue;
    if (label < 0 || label >= result.cluster_count) {
      return make_error(ErrorCode::internal, "DBSCAN label out of range");
    }
    members[static_cast<std::size_t>(label)].push_back(rows[i]);
  }
  const std::size_t clustered = rows.size() - result.noise_count;
  if (params.concave && clustered > ClusterSummaryParams::kMaxConcaveMembers) {
    return make_error(ErrorCode::payload_too_large,
                      "Concave hulls around " + std::to_string(clustered) +
                          " clustered incidents are over the limit of " +
                          std::to_string(ClusterSummaryParams::kMaxConcaveMembers) +
                          " for one request; use hull=convex, a larger 'min_points' or a "
                          "narrower selection");
  }
  std::vector<std::size_t> core_count(members.size(), 0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (result.core[i] && result.labels[i] != kNoise) ++core_count[static_cast<std::size_t>(result.labels[i])];
  }

  for (std::size_t c = 0; c < members.size(); ++c) {
    if (deadline.expired()) return deadline_error();
    const auto& rows_in = members[c];
    ClusterSummary s;
    s.label = static_cast<std::int32_t>(c);
    s.members = rows_in.size();
    s.core = core_count[c];
    s.id = cluster_id(table, rows_in);
    std::array<std::size_t, 24> hours{};
    std::array<std::size_t, 7> weekdays{};
    double sx = 0, sy = 0;
    std::vector<double> xs, ys;
    xs.reserve(rows_in.size());
    ys.reserve(rows_in.size());
    for (std::uint32_t row : rows_in) {
      xs.push_back(table.x[row]);
      ys.push_back(table.y[row]);
      ++s.by_category[static_cast<std::size_t>(table.category[row])];
      sx += table.x[row];
      sy += table.y[row];
      if (table.ward[row] != data::kNoArea) s.wards.push_back(table.ward[row]);
      if (table.precision[row] == data::TimePrecision::minute) ++hours[table.local_minute[row] / 60 % 24];
      if (table.precision[row] != data::TimePrecision::month) ++weekdays[static_cast<std::size_t>(table.local_weekday(row))];
    }
    std::sort(s.wards.begin(), s.wards.end());
    s.wards.erase(std::unique(s.wards.begin(), s.wards.end()), s.wards.end());
    s.distinct_locations = geo::distinct_points(xs, ys).points.size();
    s.busiest_hour = busiest(hours);
    s.busiest_weekday = busiest(weekdays);
    const double count = static_cast<double>(std::max<std::size_t>(s.members, 1));
    s.centroid = {sx / count, sy / count};
    s.share = rows.empty() ? 0 : static_cast<double>(s.members) / static_cast<double>(rows.size());

    // A concave hull needs every member; a convex one only those that can be vertices.
    geo::Geometry points =
        params.concave ? multipoint(table, rows_in) : multipoint(table, hull_candidates(table, rows_in));
    if (!points) return make_error(ErrorCode::internal, "could not build the cluster's points");
    geo::Geometry hull = params.concave ? geo::concave_hull(points.get(), params.concave_ratio)
                                        : geo::convex_hull(points.get());
    if (hull) s.hull = geo::polygon_rings(hull.get());  // lines and points give no rings
    if (!s.hull.empty()) s.area_m2 = geo::area(hull.get());
    s.density_per_km2 = s.area_m2 > 0 ? static_cast<double>(s.members) / (s.area_m2 / 1e6) : 0;

    s.town_centre_distance_m = std::numeric_limits<double>::infinity();
    if (town_centres.index) {
      const auto [distance, index] = town_centres.index->nearest(s.centroid);
      s.nearest_town_centre = index;
      s.town_centre_distance_m = distance;
    }
    out.clusters.push_back(std::move(s));
  }
  std::sort(out.clusters.begin(), out.clusters.end(), [](const auto& a, const auto& b) {
    return a.members != b.members ? a.members > b.members : a.id < b.id;
  });
  return out;
}

}  // namespace hotspot::analysis
