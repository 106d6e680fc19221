#include "hotspot/render/geojson.hpp"

#include "hotspot/engine/projection.hpp"
#include "hotspot/render/json_writer.hpp"

#include <nlohmann/json.hpp>

#include <variant>

namespace hotspot::render {
namespace {

template <typename WriteCoordinates>
void write_rings(JsonWriter& w, const geo::MultiPolygonRings& lonlat,
                 const WriteCoordinates& coordinates) {
  const bool single = lonlat.size() == 1;
  w.begin_object().key("type").string(single ? "Polygon" : "MultiPolygon");
  w.key("coordinates");
  if (!single) w.begin_array();
  for (const auto& polygon : lonlat) {
    w.begin_array();
    for (const auto& ring : polygon) {
      w.begin_array();
      for (const auto& p : ring) coordinates(p);
      w.end_array();
    }
    w.end_array();
  }
  if (!single) w.end_array();
  w.end_object();
}

// `to_lonlat` null: the grid coordinates as they are, to the millimetre.
void write_geometry(JsonWriter& w, const Geometry& g, const geo::Transformer* to_lonlat,
                    geo::Box& extent) {
  const auto coordinates = [&](geo::Point p) -> JsonWriter& {
    if (to_lonlat) return w.lonlat(p.x, p.y);
    return w.begin_array().number(p.x, 3).number(p.y, 3).end_array();
  };
  switch (g.kind) {
    case Geometry::Kind::none:
      w.null();
      return;
    case Geometry::Kind::point: {
      const geo::Point q = to_lonlat ? to_lonlat->transform(g.point) : g.point;
      extent.expand(q);
      w.begin_object().key("type").string("Point").key("coordinates");
      coordinates(q).end_object();
      return;
    }
    case Geometry::Kind::polygons:
      break;
  }
  if (g.lonlat && to_lonlat) {
    for (const auto& polygon : *g.lonlat) {
      for (const auto& p : polygon.empty() ? geo::Ring{} : polygon.front()) extent.expand(p);
    }
    write_rings(w, *g.lonlat, coordinates);
    return;
  }
  geo::MultiPolygonRings rings = g.parts;
  for (auto& polygon : rings) {
    if (to_lonlat) {
      for (auto& ring : polygon) {
        for (auto& p : ring) p = to_lonlat->transform(p);
      }
    }
    if (!polygon.empty()) {
      for (const auto& p : polygon.front()) extent.expand(p);
    }
  }
  // Winding is checked after projecting: it is what the reader sees.
  geo::wind_rfc7946(rings);
  write_rings(w, rings, coordinates);
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

// A Feature, left open after its properties for any foreign members.
void write_feature(JsonWriter& w, const FeatureTable& table, const Feature& f,
                   const geo::Transformer* to_lonlat, geo::Box& extent) {
  w.begin_object().key("type").string("Feature").key("id");
  if (const auto* text = std::get_if<std::string>(&f.id)) {
    w.string(*text);
  } else {
    w.integer(std::get<std::int64_t>(f.id));
  }
  w.key("geometry");
  write_geometry(w, f.geometry, to_lonlat, extent);
  w.key("properties").begin_object();
  for (std::size_t k = 0; k < table.fields.size() && k < f.values.size(); ++k) {
    w.key(table.fields[k].name);
    write_value(w, table.fields[k], f.values[k]);
  }
  w.end_object();
}

// The foreign members, then metadata, then the closing brace.
void write_members(JsonWriter& w, const nlohmann::json& metadata, const GeoJsonOptions& options) {
  if (options.members) {
    for (const auto& [name, value] : options.members->items()) {
      w.key(name).json(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  }
  w.key("metadata").json(metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  w.end_object();
}

}  // namespace

Expected<std::string> to_geojson(const FeatureTable& table, const nlohmann::json& metadata,
                                 const GeoJsonOptions& options) {
  auto transformer = engine::to_wgs84();
  if (!transformer) return transformer.error();
  const geo::Transformer* to_lonlat = options.grid ? nullptr : *transformer;
  JsonWriter w;
  w.text().reserve(table.features.size() * 300 + 4096);
  // The bbox member follows the features: its extent is known only once
  // every geometry has been projected.
  w.begin_object().key("type").string("FeatureCollection");
  w.key("features").begin_array();
  geo::Box extent;
  for (const Feature& f : table.features) {
    write_feature(w, table, f, to_lonlat, extent);
    w.end_object();
  }
  w.end_array();
  if (table.bbox && !extent.empty()) {
    w.key("bbox").begin_array();
    for (double v : {extent.min_x, extent.min_y, extent.max_x, extent.max_y}) {
      w.number(v, options.grid ? 3 : 6);
    }
    w.end_array();
  }
  write_members(w, metadata, options);
  return w.take();
}

Expected<std::string> to_geojson_feature(const FeatureTable& table, std::size_t index,
                                         const nlohmann::json& metadata,
                                         const GeoJsonOptions& options) {
  auto transformer = engine::to_wgs84();
  if (!transformer) return transformer.error();
  JsonWriter w;
  geo::Box extent;
  write_feature(w, table, table.features.at(index), options.grid ? nullptr : *transformer,
                extent);
  // write_feature left the Feature open for its foreign members.
  write_members(w, metadata, options);
  return w.take();
}

}  // namespace hotspot::render
