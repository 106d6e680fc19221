#pragma once
// RAII for GEOS C API objects (reentrant _r API throughout).
//
// GEOS geometries may be read by many threads at once; a context handle may
// not be used by two threads at once, so each thread uses its own
// (thread_context()). Prepared geometries and STRtrees are built lazily by
// GEOS 3.11 on first use, which is not thread-safe: see PolygonIndex, which
// forces both to be built before it is shared.

#include "hotspot/common/error.hpp"
#include "hotspot/geo/types.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct GEOSContextHandle_HS;
struct GEOSGeom_t;
struct GEOSPrepGeom_t;

namespace hotspot::geo {

// This thread's GEOS context, created on first use and freed at thread exit.
GEOSContextHandle_HS* thread_context();

struct GeometryDeleter {
  void operator()(GEOSGeom_t* g) const;
};
using Geometry = std::unique_ptr<GEOSGeom_t, GeometryDeleter>;

struct PreparedDeleter {
  void operator()(const GEOSPrepGeom_t* g) const;
};
using PreparedGeometry = std::unique_ptr<const GEOSPrepGeom_t, PreparedDeleter>;

// Polygon coordinates as plain vectors: polygons -> rings (exterior first) -> points.
using Ring = std::vector<Point>;
using PolygonRings = std::vector<Ring>;
using MultiPolygonRings = std::vector<PolygonRings>;

// Builds a (Multi)Polygon geometry from rings; rings are closed if open.
Geometry make_multipolygon(const MultiPolygonRings& parts);
// Extracts the polygonal parts of a Polygon/MultiPolygon (or polygons of a
// GeometryCollection, as MakeValid may return) as rings.
MultiPolygonRings polygon_rings(const GEOSGeom_t* g);
Geometry make_point(Point p);
Box envelope(const GEOSGeom_t* g);
double area(const GEOSGeom_t* g);
// Area of the intersection of two polygonal geometries; nullopt when GEOS
// cannot compute it (a topology error on invalid input).
std::optional<double> intersection_area(const GEOSGeom_t* a, const GEOSGeom_t* b);
// Whether the two geometries share any point (boundaries included); false
// for a null geometry or a GEOS failure.
bool intersects(const GEOSGeom_t* a, const GEOSGeom_t* b);
bool is_valid(const GEOSGeom_t* g, std::string* reason = nullptr);
// GEOSMakeValid, keeping only the polygonal result (lines/points dropped).
Geometry make_valid_polygonal(const GEOSGeom_t* g);
Geometry convex_hull(const GEOSGeom_t* g);
// Concave hull of a point set (GEOSConcaveHull, ratio 0..1).
Geometry concave_hull(const GEOSGeom_t* g, double ratio);
Geometry from_wkt(const std::string& wkt);
std::string to_wkt(const GEOSGeom_t* g);

// Rewinds rings for RFC 7946 output: exterior counter-clockwise, holes clockwise.
void wind_rfc7946(MultiPolygonRings& parts);
// Signed area of a ring (positive when counter-clockwise).
double signed_area(const Ring& ring);

}  // namespace hotspot::geo
