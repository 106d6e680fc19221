#include "hotspot/geo/geos.hpp"

#include <geos_c.h>

#include <algorithm>
#include <utility>

namespace hotspot::geo {
namespace {

// GEOS reports problems through these callbacks; the messages are not needed
// because every caller checks the return value, and printing from library
// code would clutter the service log.
void ignore_message(const char*, void*) {}

// Owns one thread's context so it is finished when the thread exits.
struct ThreadContext {
  GEOSContextHandle_t handle = GEOS_init_r();
  ThreadContext() {
    GEOSContext_setNoticeMessageHandler_r(handle, ignore_message, nullptr);
    GEOSContext_setErrorMessageHandler_r(handle, ignore_message, nullptr);
  }
  ~ThreadContext() { GEOS_finish_r(handle); }
  ThreadContext(const ThreadContext&) = delete;
  ThreadContext& operator=(const ThreadContext&) = delete;
};

GEOSGeometry* make_ring(GEOSContextHandle_t ctx, const Ring& ring) {
  if (ring.empty()) return nullptr;
  const bool closed = ring.front().x == ring.back().x && ring.front().y == ring.back().y;
  const auto n = static_cast<unsigned>(ring.size() + (closed ? 0 : 1));
  // A ring needs three distinct corners plus the closing point; GEOS would
  // build a shorter one and only complain at validation.
  if (n < 4) return nullptr;
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, n, 2);
  if (seq == nullptr) return nullptr;
  for (unsigned i = 0; i < ring.size(); ++i) {
    GEOSCoordSeq_setXY_r(ctx, seq, i, ring[i].x, ring[i].y);
  }
  if (!closed) GEOSCoordSeq_setXY_r(ctx, seq, n - 1, ring.front().x, ring.front().y);
  return GEOSGeom_createLinearRing_r(ctx, seq);
}

GEOSGeometry* make_polygon(GEOSContextHandle_t ctx, const PolygonRings& rings) {
  if (rings.empty()) return GEOSGeom_createEmptyPolygon_r(ctx);
  GEOSGeometry* shell = make_ring(ctx, rings.front());
  if (shell == nullptr) return nullptr;
  std::vector<GEOSGeometry*> holes;
  for (std::size_t i = 1; i < rings.size(); ++i) {
    GEOSGeometry* hole = make_ring(ctx, rings[i]);
    if (hole == nullptr) {
      GEOSGeom_destroy_r(ctx, shell);
      for (GEOSGeometry* h : holes) GEOSGeom_destroy_r(ctx, h);
      return nullptr;
    }
    holes.push_back(hole);
  }
  return GEOSGeom_createPolygon_r(ctx, shell, holes.data(), static_cast<unsigned>(holes.size()));
}

Ring ring_points(GEOSContextHandle_t ctx, const GEOSGeometry* ring) {
  Ring out;
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
  unsigned n = 0;
  if (seq == nullptr || GEOSCoordSeq_getSize_r(ctx, seq, &n) == 0) return out;
  out.resize(n);
  for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(ctx, seq, i, &out[i].x, &out[i].y);
  return out;
}

void collect_polygons(GEOSContextHandle_t ctx, const GEOSGeometry* g, MultiPolygonRings& out) {
  switch (GEOSGeomTypeId_r(ctx, g)) {
    case GEOS_POLYGON: {
      if (GEOSisEmpty_r(ctx, g) == 1) return;
      PolygonRings rings;
      rings.push_back(ring_points(ctx, GEOSGetExteriorRing_r(ctx, g)));
      const int holes = GEOSGetNumInteriorRings_r(ctx, g);
      for (int i = 0; i < holes; ++i) rings.push_back(ring_points(ctx, GEOSGetInteriorRingN_r(ctx, g, i)));
      out.push_back(std::move(rings));
      return;
    }
    case GEOS_MULTIPOLYGON:
    case GEOS_GEOMETRYCOLLECTION: {
      const int n = GEOSGetNumGeometries_r(ctx, g);
      for (int i = 0; i < n; ++i) collect_polygons(ctx, GEOSGetGeometryN_r(ctx, g, i), out);
      return;
    }
    default:
      return;  // points and lines have no area
  }
}

}  // namespace

GEOSContextHandle_HS* thread_context() {
  thread_local ThreadContext context;
  return context.handle;
}

void GeometryDeleter::operator()(GEOSGeom_t* g) const {
  if (g != nullptr) GEOSGeom_destroy_r(thread_context(), g);
}

void PreparedDeleter::operator()(const GEOSPrepGeom_t* g) const {
  if (g != nullptr) GEOSPreparedGeom_destroy_r(thread_context(), g);
}

Geometry make_multipolygon(const MultiPolygonRings& parts) {
  GEOSContextHandle_t ctx = thread_context();
  std::vector<GEOSGeometry*> polygons;
  for (const PolygonRings& part : parts) {
    GEOSGeometry* p = make_polygon(ctx, part);
    if (p == nullptr) {
      for (GEOSGeometry* q : polygons) GEOSGeom_destroy_r(ctx, q);
      return nullptr;
    }
    polygons.push_back(p);
  }
  if (polygons.size() == 1) return Geometry(polygons.front());
  return Geometry(GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, polygons.data(),
                                              static_cast<unsigned>(polygons.size())));
}

MultiPolygonRings polygon_rings(const GEOSGeom_t* g) {
  MultiPolygonRings out;
  if (g != nullptr) collect_polygons(thread_context(), g, out);
  return out;
}

Geometry make_point(Point p) {
  return Geometry(GEOSGeom_createPointFromXY_r(thread_context(), p.x, p.y));
}

Box envelope(const GEOSGeom_t* g) {
  Box box;
  if (g == nullptr || GEOSisEmpty_r(thread_context(), g) != 0) return box;
  GEOSGeom_getXMin_r(thread_context(), g, &box.min_x);
  GEOSGeom_getYMin_r(thread_context(), g, &box.min_y);
  GEOSGeom_getXMax_r(thread_context(), g, &box.max_x);
  GEOSGeom_getYMax_r(thread_context(), g, &box.max_y);
  return box;
}

double area(const GEOSGeom_t* g) {
  double a = 0;
  if (g == nullptr || GEOSArea_r(thread_context(), g, &a) == 0) return 0;
  return a;
}

std::optional<double> intersection_area(const GEOSGeom_t* a, const GEOSGeom_t* b) {
  if (a == nullptr || b == nullptr) return std::nullopt;
  const Geometry overlap(GEOSIntersection_r(thread_context(), a, b));
  if (!overlap) return std::nullopt;
  return area(overlap.get());
}

bool intersects(const GEOSGeom_t* a, const GEOSGeom_t* b) {
  if (a == nullptr || b == nullptr) return false;
  return GEOSIntersects_r(thread_context(), a, b) == 1;
}

bool is_valid(const GEOSGeom_t* g, std::string* reason) {
  if (g == nullptr) {
    if (reason != nullptr) *reason = "no geometry";
    return false;
  }
  GEOSContextHandle_t ctx = thread_context();
  if (reason == nullptr) return GEOSisValid_r(ctx, g) == 1;
  char* text = GEOSisValidReason_r(ctx, g);
  if (text == nullptr) {
    *reason = "validity check failed";
    return false;
  }
  *reason = text;
  GEOSFree_r(ctx, text);
  // GEOS answers "Valid Geometry" for a valid input.
  const bool valid = *reason == "Valid Geometry";
  if (valid) reason->clear();
  return valid;
}

Geometry make_valid_polygonal(const GEOSGeom_t* g) {
  if (g == nullptr) return nullptr;
  Geometry repaired(GEOSMakeValid_r(thread_context(), g));
  if (!repaired) return nullptr;
  // MakeValid may return a collection mixing polygons with collapsed lines
  // or points; only the areal parts are meaningful for an area layer.
  MultiPolygonRings parts = polygon_rings(repaired.get());
  return make_multipolygon(parts);
}

Geometry convex_hull(const GEOSGeom_t* g) {
  return Geometry(g == nullptr ? nullptr : GEOSConvexHull_r(thread_context(), g));
}

Geometry concave_hull(const GEOSGeom_t* g, double ratio) {
  if (g == nullptr) return nullptr;
  return Geometry(GEOSConcaveHull_r(thread_context(), g, std::clamp(ratio, 0.0, 1.0), 0));
}

Geometry from_wkt(const std::string& wkt) {
  GEOSContextHandle_t ctx = thread_context();
  GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx);
  if (reader == nullptr) return nullptr;
  Geometry g(GEOSWKTReader_read_r(ctx, reader, wkt.c_str()));
  GEOSWKTReader_destroy_r(ctx, reader);
  return g;
}

std::string to_wkt(const GEOSGeom_t* g) {
  if (g == nullptr) return {};
  GEOSContextHandle_t ctx = thread_context();
  GEOSWKTWriter* writer = GEOSWKTWriter_create_r(ctx);
  if (writer == nullptr) return {};
  GEOSWKTWriter_setTrim_r(ctx, writer, 1);
  char* text = GEOSWKTWriter_write_r(ctx, writer, g);
  GEOSWKTWriter_destroy_r(ctx, writer);
  if (text == nullptr) return {};
  std::string out(text);
  GEOSFree_r(ctx, text);
  return out;
}

double signed_area(const Ring& ring) {
  // Shoelace formula relative to the first point, which keeps the products
  // small for projected coordinates in the hundreds of thousands.
  if (ring.size() < 3) return 0;
  const Point o = ring.front();
  double twice = 0;
  for (std::size_t i = 1; i + 1 < ring.size(); ++i) {
    const double ax = ring[i].x - o.x, ay = ring[i].y - o.y;
    const double bx = ring[i + 1].x - o.x, by = ring[i + 1].y - o.y;
    twice += ax * by - bx * ay;
  }
  return twice / 2;
}

void wind_rfc7946(MultiPolygonRings& parts) {
  for (PolygonRings& rings : parts) {
    for (std::size_t i = 0; i < rings.size(); ++i) {
      const double a = signed_area(rings[i]);
      const bool want_ccw = i == 0;  // exterior CCW, holes CW
      if ((want_ccw && a < 0) || (!want_ccw && a > 0)) std::reverse(rings[i].begin(), rings[i].end());
    }
  }
}

}  // namespace hotspot::geo
