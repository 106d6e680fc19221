#pragma once
// Pieces several answers share: JSON-valued properties and geometries.

#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/category.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/geo/types.hpp"
#include "hotspot/render/features.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <string>

namespace hotspot::render::detail {

// {"violence":n,...} over every category, in category order.
std::string category_counts(const std::array<std::size_t, data::kCategoryCount>& counts);
// [lon,lat] of an EPSG:27700 point, 6 decimals.
std::string lonlat_text(geo::Point p);
// {"id":..,"name":..} of a layer feature, as a JSON object.
nlohmann::json area_ref(const data::BoundaryLayer& layer, std::size_t index);
// A cluster's hull, or its centroid when the members lie on one spot or line.
Geometry hull_or_point(const geo::MultiPolygonRings& hull, geo::Point centroid);
// A boundary layer feature: its polygons, with the WGS84 copy the layer keeps.
Geometry area_geometry(const data::BoundaryLayer& layer, std::size_t index);
// The table of a boundary layer's features: id, name, then the caller's fields.
FeatureTable area_table(std::string name);
// A feature of that table with id and name filled in.
Feature area_feature(const data::BoundaryLayer& layer, std::size_t index);
// A row as a JSON object by field name, reals at each field's precision
// (the shape metadata.total takes).
nlohmann::json row_json(const std::vector<Field>& fields, const std::vector<Value>& values);
// The groups layer's extra: a `wards` property on each feature (a table in
// group order, fields already filled) and the assignment rule and the
// unassigned wards in `metadata`.
void add_group_wards(FeatureTable& table, nlohmann::json& metadata, const data::Snapshot& snapshot);
// {"grid": {crs, origin_x, origin_y, cell, nx, ny}}
nlohmann::json grid_json(double origin_x, double origin_y, double cell, std::int32_t nx,
                         std::int32_t ny);

}  // namespace hotspot::render::detail
