#pragma once
// Area layers (wards, town centres, LSOAs) read with OGR from any vector
// format in any CRS, reprojected to EPSG:27700, repaired where invalid, and
// indexed for point lookups.

#include "hotspot/common/error.hpp"
#include "hotspot/data/load_report.hpp"
#include "hotspot/geo/geos.hpp"
#include "hotspot/geo/polygon_index.hpp"
#include "hotspot/geo/types.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hotspot::data {

struct BoundaryOptions {
  std::string path;
  std::string kind = "wards";  // "wards", "town-centres", "lsoa", ... (for reports)
  // Empty: auto-detected. Ids: WD22CD, WD13CD, LSOA21CD, LSOA11CD, MSOA11CD,
  // code, id, ... ; names: the matching *NM field, name, ...
  std::string id_field;
  std::string name_field;
  // Empty: the layer's own CRS (GeoJSON without one is WGS84).
  std::string source_crs;
  std::string layer_name;  // empty: the first layer
  // Attribution to publish with the layer; empty: inferred (see snapshot.cpp).
  std::string licence;
};

struct BoundaryLayer {
  std::string kind;
  std::string source_path;
  std::vector<std::string> ids;
  std::vector<std::string> names;
  // Other attributes of each feature, as text (e.g. "illustrative" -> "true").
  std::vector<std::map<std::string, std::string>> properties;
  std::vector<geo::Geometry> geometries;      // EPSG:27700, valid, polygonal
  std::vector<geo::MultiPolygonRings> lonlat; // WGS84, RFC 7946 winding, for output
  std::vector<double> area_m2;
  std::vector<geo::Box> envelopes;
  geo::Box extent;                             // EPSG:27700
  std::unique_ptr<geo::PolygonIndex> index;    // built eagerly over `geometries`

  std::size_t size() const { return ids.size(); }
  // Index of the feature with this id, or -1.
  std::int32_t find(const std::string& id) const;
};

// Reads, reprojects, repairs and indexes a layer. Repairs and skipped
// features are noted in `report`; an unreadable or empty layer is an Error
// whose message names the file and the reason.
Expected<BoundaryLayer> load_boundaries(const BoundaryOptions& options, FileReport& report);

}  // namespace hotspot::data
