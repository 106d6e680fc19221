#pragma once
// One answer's features as plain values in EPSG:27700: what every renderer
// (GeoJSON for the API, GDAL's drivers for downloads) writes from. Endpoint
// code builds a FeatureTable from its engine result once; the renderers know
// nothing of endpoints.

#include "hotspot/geo/geos.hpp"
#include "hotspot/geo/types.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace hotspot::render {

enum class FieldType {
  integer,
  real,
  text,
  boolean,
  json,  // a JSON object or array, held as its text (a GIS file gets the text)
};

struct Null {};
// One property value; Null where the value is unknown or does not apply.
using Value = std::variant<Null, std::int64_t, double, std::string, bool>;

// What a field's values tell about individual incidents, for public mode
// (render::disclose applies engine::Disclosure to each kind, once).
enum class Disclosive {
  none,     // nothing counted from incidents (ids, names, areas, labels)
  count,    // a count of incidents (integer or whole real): suppressed or rounded
  counts,   // a JSON object of counts ({"violence":3,...}): each member as a count
  derived,  // computed from the row's counts: recomputed by Field::derive
};

struct Field {
  std::string name;
  FieldType type = FieldType::text;
  // GeoJSON text of a real: fixed with at most this many decimals, trailing
  // zeros trimmed; -1 for the shortest text that reads back exactly. Files
  // always get the full double.
  int decimals = -1;
  Disclosive disclosive = Disclosive::none;
  // Derived fields: the value from the row as published (counts rounded,
  // suppressed ones Null); return Null when a count it needs is Null.
  std::function<Value(const std::vector<Value>& published)> derive;
  // Public mode: reals rounded to this many decimals (-1: as computed).
  int public_decimals = -1;
};

struct Geometry {
  enum class Kind { none, point, polygons };
  Kind kind = Kind::none;
  geo::Point point;             // EPSG:27700
  geo::MultiPolygonRings parts;  // EPSG:27700; one part: a Polygon, more: a MultiPolygon
  // The same polygons already in WGS84 with RFC 7946 winding (boundary
  // layers keep them), so GeoJSON need not project them again; may be null.
  const geo::MultiPolygonRings* lonlat = nullptr;

  static Geometry of_point(geo::Point p) { return {Kind::point, p, {}, nullptr}; }
  static Geometry of_polygons(geo::MultiPolygonRings parts,
                              const geo::MultiPolygonRings* lonlat = nullptr) {
    return {Kind::polygons, {}, std::move(parts), lonlat};
  }
};

struct Feature {
  std::variant<std::string, std::int64_t> id;
  Geometry geometry;
  std::vector<Value> values;  // one per FeatureTable::fields entry
};

struct FeatureTable {
  std::string name;  // layer name in files ("wards", "hotspots_dbscan", ...)
  std::vector<Field> fields;
  std::vector<Feature> features;
  bool bbox = false;  // write the features' WGS84 extent as the collection's bbox

  // Appends a field and returns its index.
  std::size_t add_field(std::string name, FieldType type, int decimals = -1) {
    fields.push_back({std::move(name), type, decimals, Disclosive::none, {}, -1});
    return fields.size() - 1;
  }
  // A count of incidents (see Disclosive::count).
  std::size_t add_count(std::string name, FieldType type = FieldType::integer, int decimals = -1) {
    const std::size_t k = add_field(std::move(name), type, decimals);
    fields[k].disclosive = Disclosive::count;
    return k;
  }
  // A value computed from the row's counts (see Disclosive::derived).
  std::size_t add_derived(std::string name, FieldType type, int decimals,
                          std::function<Value(const std::vector<Value>&)> derive) {
    const std::size_t k = add_field(std::move(name), type, decimals);
    fields[k].disclosive = Disclosive::derived;
    fields[k].derive = std::move(derive);
    return k;
  }
};

}  // namespace hotspot::render
