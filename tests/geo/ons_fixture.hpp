#pragma once
// Reads one of the shared ONS boundary files into EPSG:27700 GEOS geometries
// for the geo tests, using OGR only to parse the file (the data module's
// loader is not a dependency of the geo tests).

#include "hotspot/geo/crs.hpp"
#include "hotspot/geo/geos.hpp"

#include <gdal.h>
#include <ogr_api.h>

#include <string>
#include <vector>

namespace hotspot::geo::testing {

inline std::string shared_path(const std::string& relative) {
  return std::string(HOTSPOT_SHARED_DIR) + "/" + relative;
}

// Empty on failure; the caller asserts on the size.
inline std::vector<Geometry> read_ons_layer(const std::string& path) {
  std::vector<Geometry> out;
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (ds == nullptr) return out;
  auto to_bng = Transformer::create(kWgs84, kWorkingCrs);
  if (!to_bng) {
    GDALClose(ds);
    return out;
  }
  OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
  OGR_L_ResetReading(layer);
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    MultiPolygonRings parts;
    auto add_polygon = [&](OGRGeometryH poly) {
      PolygonRings rings;
      for (int r = 0; r < OGR_G_GetGeometryCount(poly); ++r) {
        OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
        Ring pts;
        for (int i = 0; i < OGR_G_GetPointCount(ring); ++i) {
          pts.push_back(to_bng->transform(Point{OGR_G_GetX(ring, i), OGR_G_GetY(ring, i)}));
        }
        rings.push_back(std::move(pts));
      }
      parts.push_back(std::move(rings));
    };
    if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPolygon) {
      add_polygon(g);
    } else {
      for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i) add_polygon(OGR_G_GetGeometryRef(g, i));
    }
    out.push_back(make_multipolygon(parts));
    OGR_F_Destroy(f);
  }
  GDALClose(ds);
  return out;
}

inline std::vector<const GEOSGeom_t*> raw(const std::vector<Geometry>& geoms) {
  std::vector<const GEOSGeom_t*> out;
  for (const Geometry& g : geoms) out.push_back(g.get());
  return out;
}

}  // namespace hotspot::geo::testing
