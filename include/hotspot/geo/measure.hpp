#pragma once
// Areas and centroids of polygons held as rings (EPSG:27700 metres).

#include "hotspot/geo/geos.hpp"
#include "hotspot/geo/types.hpp"

namespace hotspot::geo {

// The area of polygons, holes subtracted (square metres).
double polygons_area(const MultiPolygonRings& parts);

// The area-weighted centroid of polygons (holes subtract); the centre of
// `fallback` when the polygons have no area.
Point area_centroid(const MultiPolygonRings& parts, const Box& fallback);

}  // namespace hotspot::geo
