#include "answer_parts.hpp"

#include "hotspot/engine/projection.hpp"
#include "hotspot/render/json_writer.hpp"

#include <cmath>

namespace hotspot::render::detail {

std::string category_counts(const std::array<std::size_t, data::kCategoryCount>& counts) {
  JsonWriter w;
  w.begin_object();
  for (int k = 0; k < data::kCategoryCount; ++k) {
    w.key(data::category_name(static_cast<data::Category>(k)));
    w.integer(static_cast<std::int64_t>(counts[static_cast<std::size_t>(k)]));
  }
  w.end_object();
  return w.take();
}

std::string lonlat_text(geo::Point p) {
  auto transformer = engine::to_wgs84();
  if (!transformer) return "null";
  const geo::Point q = (*transformer)->transform(p);
  JsonWriter w;
  w.lonlat(q.x, q.y);
  return w.take();
}

nlohmann::json area_ref(const data::BoundaryLayer& layer, std::size_t index) {
  return {{"id", layer.ids[index]}, {"name", index < layer.names.size() ? layer.names[index] : ""}};
}

Geometry hull_or_point(const geo::MultiPolygonRings& hull, geo::Point centroid) {
  return hull.empty() ? Geometry::of_point(centroid) : Geometry::of_polygons(hull);
}

Geometry area_geometry(const data::BoundaryLayer& layer, std::size_t index) {
  return Geometry::of_polygons(geo::polygon_rings(layer.geometries[index].get()),
                               &layer.lonlat[index]);
}

FeatureTable area_table(std::string name) {
  FeatureTable table;
  table.name = std::move(name);
  table.add_field("id", FieldType::text);
  table.add_field("name", FieldType::text);
  return table;
}

Feature area_feature(const data::BoundaryLayer& layer, std::size_t index) {
  Feature f;
  f.id = layer.ids[index];
  f.geometry = area_geometry(layer, index);
  f.values = {layer.ids[index], index < layer.names.size() ? layer.names[index] : std::string()};
  return f;
}

nlohmann::json row_json(const std::vector<Field>& fields, const std::vector<Value>& values) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t k = 0; k < values.size() && k < fields.size(); ++k) {
    const Field& field = fields[k];
    nlohmann::json& slot = out[field.name];
    if (const auto* d = std::get_if<double>(&values[k])) {
      const double scale = field.decimals < 0 ? 0 : std::pow(10.0, field.decimals);
      slot = !std::isfinite(*d) ? nlohmann::json(nullptr)
             : scale > 0        ? nlohmann::json(std::round(*d * scale) / scale)
                                : nlohmann::json(*d);
    } else if (const auto* i = std::get_if<std::int64_t>(&values[k])) {
      slot = *i;
    } else if (const auto* b = std::get_if<bool>(&values[k])) {
      slot = *b;
    } else if (const auto* s = std::get_if<std::string>(&values[k])) {
      slot = *s;
    }
  }
  return out;
}

nlohmann::json grid_json(double origin_x, double origin_y, double cell, std::int32_t nx,
                         std::int32_t ny) {
  return {{"crs", geo::kWorkingCrs}, {"origin_x", origin_x}, {"origin_y", origin_y},
          {"cell", cell},            {"nx", nx},             {"ny", ny}};
}

}  // namespace hotspot::render::detail
