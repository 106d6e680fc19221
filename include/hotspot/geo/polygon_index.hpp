#pragma once
// Point-in-polygon lookup over a fixed set of polygons: a GEOS STRtree over
// the polygons' envelopes plus one prepared geometry per polygon. Both are
// forced to build in the constructor (one query, one predicate each), so a
// const PolygonIndex may be shared by any number of threads.
//
// Assignment rule (and the brute-force definition the tests check against):
// the lowest-index polygon that contains the point (GEOSContains); if none
// contains it, the lowest-index polygon that covers it (the point lies on a
// boundary); otherwise none (-1).

#include "hotspot/geo/geos.hpp"
#include "hotspot/geo/types.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

struct GEOSSTRtree_t;

namespace hotspot::geo {

class PolygonIndex {
 public:
  static constexpr std::int32_t kNone = -1;

  // Borrows the geometries: they must outlive the index.
  explicit PolygonIndex(std::vector<const GEOSGeom_t*> polygons);
  ~PolygonIndex();
  PolygonIndex(const PolygonIndex&) = delete;
  PolygonIndex& operator=(const PolygonIndex&) = delete;

  std::int32_t locate(Point p) const;
  // Locates many points, split over `threads` threads (0 = hardware concurrency).
  void locate_all(std::span<const double> xs, std::span<const double> ys,
                  std::span<std::int32_t> out, unsigned threads = 0) const;
  // Distance in metres from p to the nearest polygon (0 inside), and its index.
  // {+inf, kNone} when the index is empty.
  std::pair<double, std::int32_t> nearest(Point p) const;

  std::size_t size() const { return polygons_.size(); }

 private:
  std::vector<const GEOSGeom_t*> polygons_;
  std::vector<PreparedGeometry> prepared_;
  std::vector<Box> envelopes_;
  GEOSSTRtree_t* tree_ = nullptr;
};

// The reference the index is tested against: every polygon, same rule.
std::int32_t locate_brute_force(std::span<const GEOSGeom_t* const> polygons, Point p);

}  // namespace hotspot::geo
