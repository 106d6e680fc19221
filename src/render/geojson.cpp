#include "hotspot/render/geojson.hpp"

#include "hotspot/engine/projection.hpp"
#include "hotspot/render/json_writer.hpp"

#include <nlohmann/json.hpp>

#include <variant>

namespace hotspot::render {
namespace {

void write_rings(JsonWriter& w, const geo::MultiPolygonRings& lonlat) {
  const bool single = lonlat.size() == 1;
  w.begin_object().key("type").string(single ? "Polygon" : "MultiPolygon");
  w.key("coordinates");
  if (!single) w.begin_array();
  for (const auto& polygon : lonlat) {
    w.begin_array();
    for (const auto& ring : polygon) {
      w.begin_array();
      for (const auto& p : ring) w.lonlat(p.x, p.y);
      w.end_array();
    }
    w.end_array();
  }
  if (!single) w.end_array();
  w.end_object();
}

void write_geometry(JsonWriter& w, const Geometry& g, const geo::Transformer& to_lonlat,
                    geo::Box& extent) {
  switch (g.kind) {
    case Geometry::Kind::none:
      w.null();
      return;
    case Geometry::Kind::point: {
      const geo::Point q = to_lonlat.transform(g.point);
      extent.expand(q);
      w.begin_object().key("type").string("Point").key("coordinates").lonlat(q.x, q.y).end_object();
      return;
    }
    case Geometry::Kind::polygons:
      break;
  }
  if (g.lonlat) {
    for (const auto& polygon : *g.lonlat) {
      for (const auto& p : polygon.empty() ? geo::Ring{} : polygon.front()) extent.expand(p);
    }
    write_rings(w, *g.lonlat);
    return;
  }
  geo::MultiPolygonRings lonlat = g.parts;
  for (auto& polygon : lonlat) {
    for (auto& ring : polygon) {
      for (auto& p : ring) p = to_lonlat.transform(p);
    }
    if (!polygon.empty()) {
      for (const auto& p : polygon.front()) extent.expand(p);
    }
  }
  // Winding is checked after projecting: it is what the reader sees.
  geo::wind_rfc7946(lonlat);
  write_rings(w, lonlat);
}

void write_value(JsonWriter& w, const Field& field, const Value& value) {
  if (std::holds_alternative<Null>(value)) {
    w.null();
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    w.integer(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    if (field.decimals < 0) {
      w.real(*d);
    } else {
      w.number(*d, field.decimals);
    }
  } else if (const auto* b = std::get_if<bool>(&value)) {
    w.boolean(*b);
  } else if (field.type == FieldType::json) {
    w.json(std::get<std::string>(value));
  } else {
    w.string(std::get<std::string>(value));
  }
}

}  // namespace

Expected<std::string> to_geojson(const FeatureTable& table, const nlohmann::json& metadata) {
  auto transformer = engine::to_wgs84();
  if (!transformer) return transformer.error();
  JsonWriter w;
  w.text().reserve(table.features.size() * 300 + 4096);
  // The bbox member follows the features: its extent is known only once
  // every geometry has been projected.
  w.begin_object().key("type").string("FeatureCollection");
  w.key("features").begin_array();
  geo::Box extent;
  for (const Feature& f : table.features) {
    w.begin_object().key("type").string("Feature").key("id");
    if (const auto* text = std::get_if<std::string>(&f.id)) {
      w.string(*text);
    } else {
      w.integer(std::get<std::int64_t>(f.id));
    }
    w.key("geometry");
    write_geometry(w, f.geometry, **transformer, extent);
    w.key("properties").begin_object();
    for (std::size_t k = 0; k < table.fields.size() && k < f.values.size(); ++k) {
      w.key(table.fields[k].name);
      write_value(w, table.fields[k], f.values[k]);
    }
    w.end_object().end_object();
  }
  w.end_array();
  if (table.bbox && !extent.empty()) {
    w.key("bbox").begin_array();
    for (double v : {extent.min_x, extent.min_y, extent.max_x, extent.max_y}) w.number(v, 6);
    w.end_array();
  }
  w.key("metadata").json(metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  w.end_object();
  return w.take();
}

}  // namespace hotspot::render
