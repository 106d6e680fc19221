// The PostgreSQL plumbing the incident store's PG back end stands on: a
// per-test PostGIS database (tests/common/postgis_fixture.hpp), GDAL's PG
// driver writing a point layer in British National Grid inside transactions,
// a rollback, and reading back on a new connection. Skipped without
// HOTSPOT_TEST_PG (scripts/test sets it; docs/testing.md#postgresql).

#include "../common/postgis_fixture.hpp"

#include <gtest/gtest.h>

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <map>
#include <string>
#include <utility>

namespace hotspot::data {
namespace {

class PostgisSmoke : public testing::PostgisTest {};

// One-value query through GDAL (first field of the first row), "" if none.
std::string query_string(GDALDataset& ds, const std::string& sql) {
  OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (!result) return {};
  std::string value;
  if (OGRFeatureUniquePtr row{result->GetNextFeature()}; row && row->GetFieldCount() > 0)
    value = row->GetFieldAsString(0);
  ds.ReleaseResultSet(result);
  return value;
}

void add_point(OGRLayer& layer, double x, double y, const char* category) {
  OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer.GetLayerDefn()));
  feature->SetField("category", category);
  OGRPoint point(x, y);
  ASSERT_EQ(feature->SetGeometry(&point), OGRERR_NONE);
  ASSERT_EQ(layer.CreateFeature(feature.get()), OGRERR_NONE);
}

// Exactly representable eastings and northings in County Durham.
const std::map<std::string, std::pair<double, double>> kCommitted = {
    {"violence", {427345.25, 542187.75}},
    {"criminal-damage", {425012.5, 551230.125}},
    {"public-order", {419876.0, 536543.0625}},
};

TEST_F(PostgisSmoke, WritesInTransactionsRollsBackAndReadsBackExactly) {
  {
    GDALDatasetUniquePtr ds = open_database();
    ASSERT_TRUE(ds) << connection();
    EXPECT_EQ(ds->GetLayerCount(), 0) << "the test's database is not empty";
    EXPECT_EQ(query_string(*ds, "SELECT current_database()"), database_name());
    EXPECT_EQ(query_string(*ds, "SELECT postgis_version()").substr(0, 2), "3.");

    OGRSpatialReference bng;
    ASSERT_EQ(bng.importFromEPSG(27700), OGRERR_NONE);
    char** options = CSLSetNameValue(nullptr, "GEOMETRY_NAME", "geom");
    OGRLayer* layer = ds->CreateLayer("incidents", &bng, wkbPoint, options);
    CSLDestroy(options);
    ASSERT_NE(layer, nullptr);
    OGRFieldDefn category("category", OFTString);
    ASSERT_EQ(layer->CreateField(&category), OGRERR_NONE);

    ASSERT_EQ(ds->StartTransaction(), OGRERR_NONE);
    for (const auto& [name, xy] : kCommitted) add_point(*layer, xy.first, xy.second, name.c_str());
    ASSERT_EQ(ds->CommitTransaction(), OGRERR_NONE);

    ASSERT_EQ(ds->StartTransaction(), OGRERR_NONE);
    add_point(*layer, 430000.5, 540000.5, "rolled-back");
    add_point(*layer, 431000.5, 541000.5, "rolled-back");
    EXPECT_EQ(layer->GetFeatureCount(), 5) << "the open transaction sees its own rows";
    ASSERT_EQ(ds->RollbackTransaction(), OGRERR_NONE);
    EXPECT_EQ(layer->GetFeatureCount(), 3);
  }

  // A new connection sees what was committed and nothing of the rollback.
  GDALDatasetUniquePtr ds = open_database();
  ASSERT_TRUE(ds);
  OGRLayer* layer = ds->GetLayerByName("incidents");
  ASSERT_NE(layer, nullptr);
  ASSERT_NE(layer->GetSpatialRef(), nullptr);
  EXPECT_STREQ(layer->GetSpatialRef()->GetAuthorityCode(nullptr), "27700");
  EXPECT_EQ(layer->GetGeomType(), wkbPoint);
  EXPECT_EQ(layer->GetFeatureCount(), 3);

  std::map<std::string, std::pair<double, double>> read;
  layer->ResetReading();
  for (auto& feature : *layer) {
    const auto* point = feature->GetGeometryRef();
    ASSERT_NE(point, nullptr);
    ASSERT_EQ(wkbFlatten(point->getGeometryType()), wkbPoint);
    const auto* p = point->toPoint();
    read[feature->GetFieldAsString("category")] = {p->getX(), p->getY()};
  }
  EXPECT_EQ(read, kCommitted);  // exact: no rounding on the way in or out

  // The server's own view: SRID, count and coordinates in SQL.
  EXPECT_EQ(query_string(*ds, "SELECT count(*) FROM incidents"), "3");
  EXPECT_EQ(query_string(*ds, "SELECT count(*) FROM incidents WHERE category = 'rolled-back'"),
            "0");
  EXPECT_EQ(query_string(*ds, "SELECT DISTINCT ST_SRID(geom) FROM incidents"), "27700");
  EXPECT_EQ(query_string(*ds, "SELECT ST_X(geom) = 427345.25 AND ST_Y(geom) = 542187.75 "
                              "FROM incidents WHERE category = 'violence'"),
            "1");  // GDAL's bool as a string
}

// Runs beside the test above (ctest runs each test in its own process, so
// possibly at the same time): same layer name, its own empty database.
TEST_F(PostgisSmoke, EachTestHasItsOwnEmptyDatabase) {
  GDALDatasetUniquePtr ds = open_database();
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->GetLayerCount(), 0);
  EXPECT_NE(database_name(), "hotspot_test");
  EXPECT_EQ(database_name().rfind("test_", 0), 0U);
  OGRSpatialReference bng;
  ASSERT_EQ(bng.importFromEPSG(27700), OGRERR_NONE);
  OGRLayer* layer = ds->CreateLayer("incidents", &bng, wkbPoint, nullptr);
  ASSERT_NE(layer, nullptr);
  OGRFieldDefn category("category", OFTString);
  ASSERT_EQ(layer->CreateField(&category), OGRERR_NONE);
  add_point(*layer, 1.0, 2.0, "x");
  EXPECT_EQ(layer->GetFeatureCount(), 1);
}

}  // namespace
}  // namespace hotspot::data
