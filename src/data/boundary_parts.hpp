#pragma once
// Pieces of the boundary loader (private to the data module): which fields
// hold the ids and names (boundary_fields.cpp), and how a feature's geometry
// becomes a valid polygon in EPSG:27700 and back to lon/lat for output
// (boundary_geometry.cpp). boundary_layer.cpp reads the layer with them.

#include "hotspot/geo/crs.hpp"
#include "hotspot/geo/geos.hpp"
#include "hotspot/geo/types.hpp"

#include <ogr_feature.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <string>
#include <vector>

namespace hotspot::data::detail {

// --- Fields (boundary_fields.cpp) ---

std::string lower(std::string s);
// The field with this name, case-insensitively, or -1.
int field_index(const OGRFeatureDefn& defn, const std::string& name);
// The field names, comma-separated ("none" when there are none).
std::string field_list(const OGRFeatureDefn& defn);
// The id field by its name (known ONS codes, then code/id/fid), or -1.
int detect_id_field(const OGRFeatureDefn& defn);
// The name field matching the id field (XXnnCD -> XXnnNM), else a generic one, or -1.
int detect_name_field(const OGRFeatureDefn& defn, int id_field);
// A field's value as text; booleans as "true"/"false", unset or -1 as "".
std::string field_text(OGRFeature& f, int i);

// --- Geometry (boundary_geometry.cpp) ---

// How the layer's coordinates relate to the CRS definition the Transformer
// gets: true when the file stores latitude/northing first.
bool stores_lat_first(const OGRSpatialReference& srs);
// "AUTHORITY:CODE", else WKT2; empty when neither can be had.
std::string proj_definition(const OGRSpatialReference& srs);

// One feature's area in EPSG:27700, or why the feature is skipped.
struct AreaGeometry {
  geo::Geometry geometry;          // valid and polygonal when `skip` is empty
  double area_m2 = 0;
  std::vector<std::string> notes;  // what was dropped or repaired, in order
  std::string skip;                // empty: usable
};
// Linearises curves, keeps the polygons, projects them with `to_grid`
// (swapping axes first if asked), drops rings without area and repairs an
// invalid result with MakeValid. `label` names the feature in notes and reasons.
AreaGeometry area_geometry(const OGRGeometry* g, const std::string& label, bool swap_axes,
                           const geo::Transformer& to_grid);

// The geometry's rings in WGS84 with RFC 7946 winding.
geo::MultiPolygonRings to_lonlat(const GEOSGeom_t* g, const geo::Transformer& to_wgs84);

}  // namespace hotspot::data::detail
