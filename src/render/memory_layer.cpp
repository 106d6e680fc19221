// Features to an OGR "Memory" layer: geometries from the engine's EPSG:27700
// coordinates as they are, typed fields, JSON-valued properties as text.
#include "vector_export_detail.hpp"

#include "hotspot/geo/types.hpp"

#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>
#include <variant>

namespace hotspot::render::detail {
namespace {

struct GeometryDeleter {
  void operator()(OGRGeometryH g) const { OGR_G_DestroyGeometry(g); }
};
using GeometryHandle = std::unique_ptr<void, GeometryDeleter>;

struct FeatureDeleter {
  void operator()(OGRFeatureH f) const { OGR_F_Destroy(f); }
};
using FeatureHandle = std::unique_ptr<void, FeatureDeleter>;

OGRGeometryH polygon(const std::vector<geo::Ring>& rings) {
  OGRGeometryH out = OGR_G_CreateGeometry(wkbPolygon);
  for (const auto& ring : rings) {
    OGRGeometryH r = OGR_G_CreateGeometry(wkbLinearRing);
    for (const auto& p : ring) OGR_G_AddPoint_2D(r, p.x, p.y);
    OGR_G_CloseRings(r);
    OGR_G_AddGeometryDirectly(out, r);
  }
  return out;
}

GeometryHandle make_geometry(const Geometry& g) {
  switch (g.kind) {
    case Geometry::Kind::none:
      return nullptr;
    case Geometry::Kind::point: {
      OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
      OGR_G_SetPoint_2D(p, 0, g.point.x, g.point.y);
      return GeometryHandle(p);
    }
    case Geometry::Kind::polygons:
      break;
  }
  if (g.parts.size() == 1) return GeometryHandle(polygon(g.parts.front()));
  OGRGeometryH multi = OGR_G_CreateGeometry(wkbMultiPolygon);
  for (const auto& part : g.parts) OGR_G_AddGeometryDirectly(multi, polygon(part));
  return GeometryHandle(multi);
}

OGRFieldType ogr_type(FieldType type) {
  switch (type) {
    case FieldType::integer: return OFTInteger64;
    case FieldType::real: return OFTReal;
    case FieldType::boolean: return OFTInteger;
    case FieldType::text:
    case FieldType::json: break;
  }
  return OFTString;
}

void set_value(OGRFeatureH feature, int index, const Value& value) {
  if (std::holds_alternative<Null>(value)) {
    OGR_F_SetFieldNull(feature, index);
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    OGR_F_SetFieldInteger64(feature, index, *i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    OGR_F_SetFieldDouble(feature, index, *d);
  } else if (const auto* b = std::get_if<bool>(&value)) {
    OGR_F_SetFieldInteger(feature, index, *b ? 1 : 0);
  } else {
    OGR_F_SetFieldString(feature, index, std::get<std::string>(value).c_str());
  }
}

// The layer's geometry type: one family gets its type (multi where any
// feature has several parts), so GIS clients see a typed layer.
OGRwkbGeometryType layer_type(const FeatureTable& table) {
  bool points = false, polygons = false, multi = false;
  for (const Feature& f : table.features) {
    points = points || f.geometry.kind == Geometry::Kind::point;
    polygons = polygons || f.geometry.kind == Geometry::Kind::polygons;
    multi = multi || f.geometry.parts.size() > 1;
  }
  if (points && !polygons) return wkbPoint;
  if (polygons && !points) return multi ? wkbMultiPolygon : wkbPolygon;
  return wkbUnknown;
}

}  // namespace

Expected<DatasetHandle> memory_layer(const FeatureTable& table, int epsg) {
  GDALDriverH driver = GDALGetDriverByName("Memory");
  if (!driver) return make_error(ErrorCode::internal, "GDAL has no Memory driver");
  DatasetHandle dataset(GDALCreate(driver, "", 0, 0, 0, GDT_Unknown, nullptr));
  if (!dataset) return make_error(ErrorCode::internal, "Cannot create an in-memory dataset");

  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  // Traditional GIS order: x = easting, y = northing, as the engine holds them.
  OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
  OSRImportFromEPSG(srs, epsg);
  OGRLayerH layer =
      GDALDatasetCreateLayer(dataset.get(), table.name.c_str(), srs, layer_type(table), nullptr);
  OSRRelease(srs);
  if (!layer) return make_error(ErrorCode::internal, "Cannot create an in-memory layer");

  // The feature id travels as a field "id" unless the table has one.
  bool has_id_field = false;
  for (const auto& field : table.fields) has_id_field = has_id_field || field.name == "id";
  const bool numeric_ids =
      !table.features.empty() && std::holds_alternative<std::int64_t>(table.features.front().id);
  std::vector<Field> fields;
  if (!has_id_field) {
    Field id;
    id.name = "id";
    id.type = numeric_ids ? FieldType::integer : FieldType::text;
    fields.push_back(std::move(id));
  }
  fields.insert(fields.end(), table.fields.begin(), table.fields.end());
  for (const auto& field : fields) {
    OGRFieldDefnH defn = OGR_Fld_Create(field.name.c_str(), ogr_type(field.type));
    if (field.type == FieldType::boolean) OGR_Fld_SetSubType(defn, OFSTBoolean);
    if (field.type == FieldType::json) OGR_Fld_SetSubType(defn, OFSTJSON);
    const OGRErr err = OGR_L_CreateField(layer, defn, TRUE);
    OGR_Fld_Destroy(defn);
    if (err != OGRERR_NONE) {
      return make_error(ErrorCode::internal, "Cannot create the field " + field.name);
    }
  }
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  const int offset = has_id_field ? 0 : 1;
  for (const Feature& f : table.features) {
    FeatureHandle feature(OGR_F_Create(defn));
    if (!has_id_field) {
      if (const auto* text = std::get_if<std::string>(&f.id)) {
        OGR_F_SetFieldString(feature.get(), 0, text->c_str());
      } else {
        OGR_F_SetFieldInteger64(feature.get(), 0, std::get<std::int64_t>(f.id));
      }
    }
    for (std::size_t k = 0; k < f.values.size() && k < table.fields.size(); ++k) {
      set_value(feature.get(), static_cast<int>(k) + offset, f.values[k]);
    }
    if (auto geometry = make_geometry(f.geometry)) {
      OGR_F_SetGeometryDirectly(feature.get(), static_cast<OGRGeometryH>(geometry.release()));
    }
    if (OGR_L_CreateFeature(layer, feature.get()) != OGRERR_NONE) {
      return make_error(ErrorCode::internal, "Cannot add a feature to the in-memory layer");
    }
  }
  return dataset;
}

}  // namespace hotspot::render::detail
