#include "hotspot/analysis/clusters.hpp"

#include "hotspot/geo/polygon_index.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string_view>
#include <utility>

namespace hotspot::analysis {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

void fnv(std::uint64_t& h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
}

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

template <std::size_t N>
int busiest(const std::array<std::size_t, N>& counts) {
  const auto it = std::max_element(counts.begin(), counts.end());
  return *it == 0 ? -1 : static_cast<int>(it - counts.begin());
}

}  // namespace

std::optional<Error> ClusterSummaryParams::validate() const {
  if (!(concave_ratio >= 0 && concave_ratio <= 1)) {
    return make_error(ErrorCode::invalid_parameter, "concave_ratio must be between 0 and 1");
  }
  return std::nullopt;
}

std::string cluster_id(const data::IncidentTable& table, std::span<const std::uint32_t> members) {
  std::vector<std::pair<std::uint16_t, std::string_view>> keys;
  keys.reserve(members.size());
  for (std::uint32_t row : members) keys.emplace_back(table.source[row], table.source_id(row));
  std::sort(keys.begin(), keys.end());
  std::uint64_t h = kFnvOffset;
  for (const auto& [source, id] : keys) {
    const char s[3] = {static_cast<char>(source & 0xFF), static_cast<char>(source >> 8), '\x1f'};
    fnv(h, std::string_view(s, 3));
    fnv(h, id);
    fnv(h, std::string_view("\x1e", 1));
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

Expected<ClusterSummaries> summarise_clusters(const data::IncidentTable& table,
                                              std::span<const std::uint32_t> rows,
                                              const DbscanResult& result,
                                              const data::BoundaryLayer& town_centres,
                                              const ClusterSummaryParams& params) {
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
  std::vector<std::size_t> core_count(members.size(), 0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (result.core[i] && result.labels[i] != kNoise) ++core_count[static_cast<std::size_t>(result.labels[i])];
  }

  for (std::size_t c = 0; c < members.size(); ++c) {
    const auto& rows_in = members[c];
    ClusterSummary s;
    s.label = static_cast<std::int32_t>(c);
    s.members = rows_in.size();
    s.core = core_count[c];
    s.id = cluster_id(table, rows_in);
    std::array<std::size_t, 24> hours{};
    std::array<std::size_t, 7> weekdays{};
    double sx = 0, sy = 0;
    for (std::uint32_t row : rows_in) {
      ++s.by_category[static_cast<std::size_t>(table.category[row])];
      sx += table.x[row];
      sy += table.y[row];
      if (table.ward[row] != data::kNoArea) s.wards.push_back(table.ward[row]);
      if (table.precision[row] == data::TimePrecision::minute) ++hours[table.local_minute[row] / 60 % 24];
      if (table.precision[row] != data::TimePrecision::month) ++weekdays[static_cast<std::size_t>(table.local_weekday(row))];
    }
    std::sort(s.wards.begin(), s.wards.end());
    s.wards.erase(std::unique(s.wards.begin(), s.wards.end()), s.wards.end());
    s.busiest_hour = busiest(hours);
    s.busiest_weekday = busiest(weekdays);
    const double count = static_cast<double>(std::max<std::size_t>(s.members, 1));
    s.centroid = {sx / count, sy / count};
    s.share = rows.empty() ? 0 : static_cast<double>(s.members) / static_cast<double>(rows.size());

    geo::Geometry points = multipoint(table, rows_in);
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
