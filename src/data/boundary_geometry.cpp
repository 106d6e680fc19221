// Boundary geometries: from OGR's polygons (in any CRS and axis order) to a
// valid GEOS polygon in EPSG:27700, repaired where needed, and back to WGS84
// rings for output.

#include "boundary_parts.hpp"

#include <cpl_conv.h>

#include <cmath>
#include <memory>
#include <utility>

namespace hotspot::data::detail {
namespace {

// Collects the polygons of a (possibly curved or nested) geometry; false if
// it holds anything else.
bool collect_polygons(const OGRGeometry& g, std::vector<const OGRPolygon*>& out) {
  switch (wkbFlatten(g.getGeometryType())) {
    case wkbPolygon:
      out.push_back(g.toPolygon());
      return true;
    case wkbMultiPolygon:
    case wkbGeometryCollection: {
      bool ok = true;
      for (const OGRGeometry* part : *g.toGeometryCollection()) ok = collect_polygons(*part, out) && ok;
      return ok;
    }
    default:
      return false;
  }
}

struct Projected {
  geo::MultiPolygonRings parts;
  std::size_t dropped_rings = 0;
  bool failed = false;
};

Projected project_polygons(const std::vector<const OGRPolygon*>& polygons, bool swap_axes,
                           const geo::Transformer& to_grid) {
  Projected out;
  std::vector<double> xs, ys;
  for (const OGRPolygon* polygon : polygons) {
    geo::PolygonRings rings;
    for (int r = 0; r < polygon->getNumInteriorRings() + 1; ++r) {
      const OGRLinearRing* ring = r == 0 ? polygon->getExteriorRing() : polygon->getInteriorRing(r - 1);
      const int n = ring == nullptr ? 0 : ring->getNumPoints();
      // Fewer than four points (three corners and the closing one) is no area.
      if (n < 4) {
        ++out.dropped_rings;
        if (r == 0) break;  // without an exterior the holes mean nothing
        continue;
      }
      xs.resize(n);
      ys.resize(n);
      ring->getPoints(xs.data(), sizeof(double), ys.data(), sizeof(double));
      if (swap_axes) std::swap(xs, ys);
      if (to_grid.transform(xs, ys) != 0) {
        out.failed = true;
        return out;
      }
      geo::Ring pts(n);
      for (int i = 0; i < n; ++i) pts[i] = geo::Point{xs[i], ys[i]};
      rings.push_back(std::move(pts));
    }
    if (!rings.empty()) out.parts.push_back(std::move(rings));
  }
  return out;
}

}  // namespace

bool stores_lat_first(const OGRSpatialReference& srs) {
  const bool crs_lat_first = srs.EPSGTreatsAsLatLong() || srs.EPSGTreatsAsNorthingEasting();
  const std::vector<int>& mapping = srs.GetDataAxisToSRSAxisMapping();
  if (mapping.empty()) return false;
  // Data axis 1 is CRS axis |mapping[0]|.
  return (std::abs(mapping[0]) == 1) == crs_lat_first;
}

std::string proj_definition(const OGRSpatialReference& srs) {
  const char* authority = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (authority != nullptr && code != nullptr) return std::string(authority) + ":" + code;
  char* wkt = nullptr;
  const char* const options[] = {"FORMAT=WKT2_2019", nullptr};
  if (srs.exportToWkt(&wkt, options) != OGRERR_NONE || wkt == nullptr) {
    CPLFree(wkt);
    return {};
  }
  std::string out(wkt);
  CPLFree(wkt);
  return out;
}

AreaGeometry area_geometry(const OGRGeometry* g, const std::string& label, bool swap_axes,
                           const geo::Transformer& to_grid) {
  AreaGeometry out;
  auto skip = [&](std::string why) {
    out.geometry.reset();
    out.skip = label + std::move(why);
    return std::move(out);
  };
  if (g == nullptr || g->IsEmpty()) return skip(" has no geometry");
  // Curved geometries (CurvePolygon, MultiSurface) are approximated by lines.
  std::unique_ptr<OGRGeometry> linear;
  if (g->hasCurveGeometry()) {
    linear.reset(g->getLinearGeometry());
    if (!linear) return skip(" has a curved geometry that cannot be linearised");
    g = linear.get();
  }
  std::vector<const OGRPolygon*> polygons;
  if (!collect_polygons(*g, polygons) || polygons.empty()) {
    return skip(std::string(" is a ") + OGRGeometryTypeToName(g->getGeometryType()) +
                ", not a Polygon or MultiPolygon");
  }

  Projected projected = project_polygons(polygons, swap_axes, to_grid);
  if (projected.failed) return skip(" has coordinates that cannot be projected to EPSG:27700");
  if (projected.dropped_rings > 0) {
    out.notes.push_back("feature " + label + ": " + std::to_string(projected.dropped_rings) +
                        " ring(s) with fewer than 4 points dropped");
  }
  if (projected.parts.empty()) return skip(" has no ring that encloses an area");
  out.geometry = geo::make_multipolygon(projected.parts);
  if (!out.geometry) return skip(" could not be built as a polygon");

  std::string reason;
  if (!geo::is_valid(out.geometry.get(), &reason)) {
    geo::Geometry repaired = geo::make_valid_polygonal(out.geometry.get());
    if (!repaired || geo::area(repaired.get()) <= 0) {
      return skip(" is invalid (" + reason + ") and has no area once repaired");
    }
    out.notes.push_back("feature " + label + " repaired with MakeValid: " + reason);
    out.geometry = std::move(repaired);
  }
  out.area_m2 = geo::area(out.geometry.get());
  if (!(out.area_m2 > 0)) return skip(" has no area");
  return out;
}

geo::MultiPolygonRings to_lonlat(const GEOSGeom_t* g, const geo::Transformer& to_wgs84) {
  geo::MultiPolygonRings parts = geo::polygon_rings(g);
  std::vector<double> xs, ys;
  for (geo::PolygonRings& rings : parts) {
    for (geo::Ring& ring : rings) {
      xs.resize(ring.size());
      ys.resize(ring.size());
      for (std::size_t i = 0; i < ring.size(); ++i) {
        xs[i] = ring[i].x;
        ys[i] = ring[i].y;
      }
      to_wgs84.transform(xs, ys);
      for (std::size_t i = 0; i < ring.size(); ++i) ring[i] = geo::Point{xs[i], ys[i]};
    }
  }
  geo::wind_rfc7946(parts);
  return parts;
}

}  // namespace hotspot::data::detail
