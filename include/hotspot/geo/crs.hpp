#pragma once
// Coordinate transformation with PROJ. A Transformer owns its own PJ_CONTEXT,
// so one Transformer must not be used by two threads at once: give each thread
// its own (they are cheap to create from the same definitions).
// Axis order is always traditional GIS order: x = longitude/easting,
// y = latitude/northing, whatever the CRS definition says.

#include "hotspot/common/error.hpp"
#include "hotspot/geo/types.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace hotspot::geo {

class Transformer {
 public:
  // `source` and `target`: anything PROJ accepts ("EPSG:4326", "EPSG:27700",
  // a WKT string, a PROJ string).
  static Expected<Transformer> create(const std::string& source, const std::string& target);

  Transformer(Transformer&&) noexcept;
  Transformer& operator=(Transformer&&) noexcept;
  ~Transformer();

  // One point, or nullopt when PROJ cannot transform it.
  std::optional<Point> try_transform(Point p) const;
  Point transform(Point p) const;  // NaN coordinates on failure
  // Transforms arrays in place; returns how many points failed (set to +inf).
  std::size_t transform(std::span<double> xs, std::span<double> ys) const;

  const std::string& source() const { return source_; }
  const std::string& target() const { return target_; }

 private:
  struct Handles;
  Transformer(std::unique_ptr<Handles> handles, std::string source, std::string target);
  std::unique_ptr<Handles> handles_;
  std::string source_;
  std::string target_;
};

// The envelope, in the target CRS, of `box`'s outline densified with `steps`
// points per edge (a straight edge in one CRS is a curve in the other).
// Points that fail to transform are left out; empty when all fail.
Box transform_box(const Box& box, const Transformer& transformer, int steps = 8);
// The box, in the target CRS, bounded by the innermost of those points on
// each side (west edge: the largest x, ...): inside the curved outline up to
// what bulges between samples. Empty when any point fails to transform.
Box inner_box(const Box& box, const Transformer& transformer, int steps = 64);

// The CRS's area of use (west, south, east, north in degrees of longitude and
// latitude) as PROJ's database gives it; nullopt when PROJ does not know it.
std::optional<Box> area_of_use(const std::string& crs);

}  // namespace hotspot::geo
