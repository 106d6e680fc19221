#include "hotspot/render/geojson.hpp"

#include "hotspot/engine/projection.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hotspot::render {
namespace {

nlohmann::json render(const FeatureTable& table) {
  auto text = to_geojson(table, nlohmann::json{{"k", 1}});
  EXPECT_TRUE(text);
  return text ? nlohmann::json::parse(*text) : nlohmann::json();
}

double twice_signed_area(const nlohmann::json& ring) {
  double twice = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    twice += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
             ring[i + 1][0].get<double>() * ring[i][1].get<double>();
  }
  return twice;
}

TEST(GeoJson, ProjectsAndWindsPolygonsForRfc7946) {
  auto to_lonlat = engine::to_wgs84();
  ASSERT_TRUE(to_lonlat);
  // A clockwise 1 km square near Durham comes out counter-clockwise.
  const geo::MultiPolygonRings cw{{{{427000, 542000}, {427000, 543000}, {428000, 543000},
                                    {428000, 542000}, {427000, 542000}}}};
  FeatureTable t;
  t.features.push_back({"a", Geometry::of_polygons(cw), {}});
  geo::MultiPolygonRings two = cw;
  two.push_back({{{430000, 542000}, {431000, 542000}, {431000, 543000}, {430000, 542000}}});
  t.features.push_back({std::int64_t{7}, Geometry::of_polygons(two), {}});
  const auto fc = render(t);
  EXPECT_EQ(fc["type"], "FeatureCollection");
  EXPECT_EQ(fc["metadata"]["k"], 1);
  const auto& polygon = fc["features"][0]["geometry"];
  EXPECT_EQ(polygon["type"], "Polygon");
  const auto& ring = polygon["coordinates"][0];
  ASSERT_EQ(ring.size(), 5u);
  EXPECT_GT(twice_signed_area(ring), 0) << "exterior ring must be counter-clockwise";
  const geo::Point sw = (*to_lonlat)->transform(geo::Point{427000, 542000});
  EXPECT_NEAR(ring[0][0].get<double>(), sw.x, 1e-6);
  EXPECT_NEAR(ring[0][1].get<double>(), sw.y, 1e-6);
  EXPECT_EQ(fc["features"][0]["id"], "a");
  EXPECT_EQ(fc["features"][1]["id"], 7);
  EXPECT_EQ(fc["features"][1]["geometry"]["type"], "MultiPolygon");
  EXPECT_FALSE(fc.contains("bbox"));
}

TEST(GeoJson, PropertiesKeepTheirTypesAndPrecision) {
  // One field a row, with its value in each of the two features.
  struct Column {
    const char* name;
    FieldType type;
    int decimals;  // -1: as many as needed
    Value at_point, at_none;
  };
  const Column columns[] = {
      {"n", FieldType::integer, -1, std::int64_t{3}, std::int64_t{4}},
      {"x", FieldType::real, 2, 1.23456, 2.0},
      {"p", FieldType::real, -1, 1e-9, 0.5},
      {"s", FieldType::text, -1, std::string("caf\xC3\xA9"), std::string()},
      {"b", FieldType::boolean, -1, true, false},
      {"j", FieldType::json, -1, std::string(R"({"violence":2})"), std::string("[]")},
      {"missing", FieldType::real, -1, Null{}, 1.5},
  };
  FeatureTable t;
  t.bbox = true;
  std::vector<Value> at_point, at_none;
  for (const Column& c : columns) {
    t.add_field(c.name, c.type, c.decimals);
    at_point.push_back(c.at_point);
    at_none.push_back(c.at_none);
  }
  t.features.push_back({"pt", Geometry::of_point({427000, 542000}), at_point});
  t.features.push_back({"none", Geometry{}, at_none});
  const auto fc = render(t);
  const auto& p = fc["features"][0]["properties"];
  EXPECT_EQ(p["n"], 3);
  EXPECT_DOUBLE_EQ(p["x"].get<double>(), 1.23);
  EXPECT_DOUBLE_EQ(p["p"].get<double>(), 1e-9);
  EXPECT_EQ(p["s"], "caf\xC3\xA9");
  EXPECT_EQ(p["b"], true);
  EXPECT_EQ(p["j"]["violence"], 2);
  EXPECT_TRUE(p["missing"].is_null());
  EXPECT_EQ(fc["features"][0]["geometry"]["type"], "Point");
  EXPECT_TRUE(fc["features"][1]["geometry"].is_null());
  // The bbox is the extent of what was drawn: one point.
  ASSERT_EQ(fc["bbox"].size(), 4u);
  EXPECT_DOUBLE_EQ(fc["bbox"][0].get<double>(), fc["bbox"][2].get<double>());
  EXPECT_DOUBLE_EQ(fc["bbox"][0].get<double>(),
                   fc["features"][0]["geometry"]["coordinates"][0].get<double>());
}

}  // namespace
}  // namespace hotspot::render
