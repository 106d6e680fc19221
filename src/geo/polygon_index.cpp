#include "hotspot/geo/polygon_index.hpp"
#include "hotspot/geo/parallel.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace hotspot::geo {
namespace {

// Below this many points a second thread costs more than it saves.
constexpr std::size_t kMinPointsPerThread = 4096;

// Items stored in the STRtree are polygon indices smuggled through void*.
void* as_item(std::size_t i) { return reinterpret_cast<void*>(static_cast<std::uintptr_t>(i)); }
std::int32_t from_item(void* item) {
  return static_cast<std::int32_t>(reinterpret_cast<std::uintptr_t>(item));
}

void collect_candidate(void* item, void* userdata) {
  static_cast<std::vector<std::int32_t>*>(userdata)->push_back(from_item(item));
}

double box_distance(const Box& b, Point p) {
  if (b.empty()) return std::numeric_limits<double>::infinity();
  const double dx = std::max({b.min_x - p.x, 0.0, p.x - b.max_x});
  const double dy = std::max({b.min_y - p.y, 0.0, p.y - b.max_y});
  return std::sqrt(dx * dx + dy * dy);  // hypot is needlessly slow here
}

}  // namespace

PolygonIndex::PolygonIndex(std::vector<const GEOSGeom_t*> polygons) : polygons_(std::move(polygons)) {
  GEOSContextHandle_t ctx = thread_context();
  prepared_.reserve(polygons_.size());
  envelopes_.reserve(polygons_.size());
  if (!polygons_.empty()) tree_ = GEOSSTRtree_create_r(ctx, 10);

  for (std::size_t i = 0; i < polygons_.size(); ++i) {
    const GEOSGeom_t* g = polygons_[i];
    envelopes_.push_back(envelope(g));
    prepared_.emplace_back(g == nullptr ? nullptr : GEOSPrepare_r(ctx, g));
    // Empty or missing geometries can never be located; keeping their slot
    // keeps indices aligned with the caller's vector.
    if (g != nullptr && !envelopes_.back().empty()) {
      GEOSSTRtree_insert_r(ctx, tree_, const_cast<GEOSGeom_t*>(g), as_item(i));
    }
  }

  // GEOS 3.11 builds the STRtree on its first query, and each prepared
  // geometry's point locator and facet-distance index on first use. None of
  // that is synchronised, so do it all now, while only this thread sees the
  // index; afterwards every operation is a read.
  if (tree_ != nullptr) {
    Geometry probe = make_point(Point{0, 0});
    std::vector<std::int32_t> ignored;
    GEOSSTRtree_query_r(ctx, tree_, probe.get(), collect_candidate, &ignored);
  }
  for (std::size_t i = 0; i < prepared_.size(); ++i) {
    if (!prepared_[i] || envelopes_[i].empty()) continue;
    // Different probes reach different lazy parts: a point on or outside the
    // boundary, a point inside (PreparedDistance then asks containsProperly,
    // which builds the segment intersection finder), and a line across.
    const Box& b = envelopes_[i];
    std::vector<Geometry> probes;
    probes.push_back(make_point(Point{b.min_x, b.min_y}));
    probes.emplace_back(GEOSPointOnSurface_r(ctx, polygons_[i]));
    probes.push_back(from_wkt("LINESTRING (" + std::to_string(b.min_x) + " " + std::to_string(b.min_y) + ", " +
                              std::to_string(b.max_x) + " " + std::to_string(b.max_y) + ")"));
    for (const Geometry& probe : probes) {
      if (!probe) continue;
      const GEOSPrepGeom_t* pg = prepared_[i].get();
      GEOSPreparedContains_r(ctx, pg, probe.get());
      GEOSPreparedContainsProperly_r(ctx, pg, probe.get());
      GEOSPreparedCovers_r(ctx, pg, probe.get());
      GEOSPreparedIntersects_r(ctx, pg, probe.get());
      double d = 0;
      GEOSPreparedDistance_r(ctx, pg, probe.get(), &d);
    }
  }
}

PolygonIndex::~PolygonIndex() {
  if (tree_ != nullptr) GEOSSTRtree_destroy_r(thread_context(), tree_);
}

std::int32_t PolygonIndex::locate(Point p) const {
  if (tree_ == nullptr || !std::isfinite(p.x) || !std::isfinite(p.y)) return kNone;
  GEOSContextHandle_t ctx = thread_context();
  Geometry point = make_point(p);
  if (!point) return kNone;

  // Candidates whose envelope holds the point, in index order so that the
  // first hit is the lowest index (the documented rule).
  thread_local std::vector<std::int32_t> candidates;
  candidates.clear();
  GEOSSTRtree_query_r(ctx, tree_, point.get(), collect_candidate, &candidates);
  if (candidates.empty()) return kNone;
  std::sort(candidates.begin(), candidates.end());

  // Pass 1: strictly inside. Pass 2: on a boundary (no polygon's interior).
  for (const std::int32_t c : candidates) {
    if (GEOSPreparedContains_r(ctx, prepared_[c].get(), point.get()) == 1) return c;
  }
  for (const std::int32_t c : candidates) {
    if (GEOSPreparedCovers_r(ctx, prepared_[c].get(), point.get()) == 1) return c;
  }
  return kNone;
}

void PolygonIndex::locate_all(std::span<const double> xs, std::span<const double> ys,
                              std::span<std::int32_t> out, unsigned threads) const {
  const std::size_t n = std::min({xs.size(), ys.size(), out.size()});
  // Contiguous slices: each worker writes its own part of `out`.
  parallel_slices(n, threads, kMinPointsPerThread,
                  [&](std::size_t, std::size_t begin, std::size_t end) {
                    for (std::size_t i = begin; i < end; ++i) out[i] = locate(Point{xs[i], ys[i]});
                  });
}

std::pair<double, std::int32_t> PolygonIndex::nearest(Point p) const {
  std::pair<double, std::int32_t> best{std::numeric_limits<double>::infinity(), kNone};
  if (polygons_.empty() || !std::isfinite(p.x) || !std::isfinite(p.y)) return best;
  GEOSContextHandle_t ctx = thread_context();
  Geometry point = make_point(p);
  if (!point) return best;

  // The envelope distance is a lower bound of the true distance. Measure the
  // polygon with the nearest envelope exactly; that distance is an upper
  // bound, so only polygons whose envelope is no farther need measuring, and
  // visiting those by envelope distance lets the search stop early.
  auto exact = [&](std::int32_t i) {
    double d = std::numeric_limits<double>::infinity();
    if (GEOSPreparedDistance_r(ctx, prepared_[i].get(), point.get(), &d) != 1) {
      d = std::numeric_limits<double>::infinity();
    }
    return d;
  };
  std::int32_t first = kNone;
  double first_bound = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < envelopes_.size(); ++i) {
    const double b = prepared_[i] ? box_distance(envelopes_[i], p) : std::numeric_limits<double>::infinity();
    if (b < first_bound) {
      first_bound = b;
      first = static_cast<std::int32_t>(i);
    }
  }
  if (first == kNone) return best;
  best = {exact(first), first};

  thread_local std::vector<std::pair<double, std::int32_t>> order;
  order.clear();
  for (std::size_t i = 0; i < envelopes_.size(); ++i) {
    const auto idx = static_cast<std::int32_t>(i);
    if (idx == first || !prepared_[i]) continue;
    const double b = box_distance(envelopes_[i], p);
    if (b <= best.first) order.emplace_back(b, idx);
  }
  std::sort(order.begin(), order.end());
  for (const auto& [lower_bound, i] : order) {
    if (lower_bound > best.first) break;
    // Equal distances go to the lowest index, like the containment rule.
    if (lower_bound == best.first && i > best.second) continue;
    const double d = exact(i);
    if (d < best.first || (d == best.first && i < best.second)) best = {d, i};
  }
  return best;
}

std::int32_t locate_brute_force(std::span<const GEOSGeom_t* const> polygons, Point p) {
  GEOSContextHandle_t ctx = thread_context();
  Geometry point = make_point(p);
  if (!point) return PolygonIndex::kNone;
  for (std::size_t i = 0; i < polygons.size(); ++i) {
    if (polygons[i] != nullptr && GEOSContains_r(ctx, polygons[i], point.get()) == 1) {
      return static_cast<std::int32_t>(i);
    }
  }
  for (std::size_t i = 0; i < polygons.size(); ++i) {
    if (polygons[i] != nullptr && GEOSCovers_r(ctx, polygons[i], point.get()) == 1) {
      return static_cast<std::int32_t>(i);
    }
  }
  return PolygonIndex::kNone;
}

}  // namespace hotspot::geo
