// A GIS download holds the engine's EPSG:27700 coordinates exactly: no WGS84
// text in between, no reprojection there and back. Checked for the three
// hotspot layers by running the engine directly on the same snapshot and
// comparing every vertex of the GeoPackage with ==.
#include "hotspot/engine/clusters.hpp"
#include "hotspot/engine/gistar.hpp"
#include "hotspot/engine/kde.hpp"
#include "hotspot/http/request.hpp"
#include "hotspot/http/service.hpp"
#include "hotspot/render/answers.hpp"

#include "handler_fixture.hpp"

#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace hotspot::http {
namespace {

// The bundled layers and synthetic incidents: enough for clusters, bands and hot cells.
const std::shared_ptr<const data::Snapshot>& bundled() {
  static const std::shared_ptr<const data::Snapshot> snapshot =
      fixture::load_with_bundled_layers(HOTSPOT_SOURCE_DIR "/geodata/incidents-synthetic.csv");
  return snapshot;
}

using Vertices = std::vector<geo::Point>;

// Every vertex of a feature's polygons, in order.
Vertices vertices_of(const render::Geometry& g) {
  Vertices out;
  if (g.kind == render::Geometry::Kind::point) out.push_back(g.point);
  for (const auto& polygon : g.parts) {
    for (const auto& ring : polygon) out.insert(out.end(), ring.begin(), ring.end());
  }
  return out;
}

void collect(OGRGeometryH g, Vertices& out) {
  const int parts = OGR_G_GetGeometryCount(g);
  if (parts == 0) {
    for (int i = 0; i < OGR_G_GetPointCount(g); ++i) out.push_back({OGR_G_GetX(g, i), OGR_G_GetY(g, i)});
    return;
  }
  for (int k = 0; k < parts; ++k) collect(OGR_G_GetGeometryRef(g, k), out);
}

// The GeoPackage's features by their "id" field.
std::map<std::string, Vertices> geopackage_vertices(const std::string& bytes) {
  const std::string path = "/vsimem/download-test-" + std::to_string(bytes.size()) + ".gpkg";
  VSILFILE* f = VSIFileFromMemBuffer(path.c_str(),
                                     reinterpret_cast<GByte*>(const_cast<char*>(bytes.data())),
                                     static_cast<vsi_l_offset>(bytes.size()), FALSE);
  VSIFCloseL(f);
  std::map<std::string, Vertices> out;
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  EXPECT_NE(ds, nullptr);
  if (!ds) return out;
  OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
  while (OGRFeatureH feature = OGR_L_GetNextFeature(layer)) {
    Vertices v;
    if (OGRGeometryH g = OGR_F_GetGeometryRef(feature)) collect(g, v);
    out[OGR_F_GetFieldAsString(feature, OGR_F_GetFieldIndex(feature, "id"))] = std::move(v);
    OGR_F_Destroy(feature);
  }
  GDALClose(ds);
  VSIUnlink(path.c_str());
  return out;
}

std::string id_text(const render::Feature& f) {
  if (const auto* s = std::get_if<std::string>(&f.id)) return *s;
  return std::to_string(std::get<std::int64_t>(f.id));
}

template <typename Params, typename Result>
void expect_exact_download(const std::string& endpoint, const engine::NameValues& pairs,
                           render::FeatureAnswer (*render_answer)(const data::Snapshot&,
                                                                  const Params&, const Result&)) {
  const data::Snapshot& snapshot = *bundled();
  auto query = engine::Query::parse(pairs, Params::names());
  ASSERT_TRUE(query);
  auto params = Params::parse(*query, snapshot);
  ASSERT_TRUE(params) << params.error().message;
  auto result = engine::run(snapshot, *params);
  ASSERT_TRUE(result) << result.error().message;
  const render::FeatureAnswer expected = render_answer(snapshot, *params, *result);
  ASSERT_GT(expected.table.features.size(), 0u) << endpoint;

  data::Store store;
  store.replace(bundled());
  Context context;
  context.store = &store;
  Request request;
  request.path = "/api/" + endpoint;
  request.query = pairs;
  request.query.emplace_back("format", "gpkg");
  const Response response = handle(request, context);
  ASSERT_EQ(response.status, 200) << response.body.substr(0, 300);
  const auto got = geopackage_vertices(response.body);
  ASSERT_EQ(got.size(), expected.table.features.size()) << endpoint;
  std::size_t compared = 0;
  for (const render::Feature& f : expected.table.features) {
    const auto found = got.find(id_text(f));
    ASSERT_NE(found, got.end()) << endpoint << " " << id_text(f);
    const Vertices want = vertices_of(f.geometry);
    ASSERT_EQ(found->second.size(), want.size()) << endpoint << " " << id_text(f);
    for (std::size_t i = 0; i < want.size(); ++i) {
      // Exact: the same doubles the engine computed.
      EXPECT_EQ(found->second[i].x, want[i].x) << endpoint << " " << id_text(f) << " " << i;
      EXPECT_EQ(found->second[i].y, want[i].y) << endpoint << " " << id_text(f) << " " << i;
      ++compared;
    }
  }
  EXPECT_GT(compared, 3 * expected.table.features.size()) << endpoint;
}

TEST(Download, ClustersHoldTheEngineCoordinatesExactly) {
  expect_exact_download("hotspots/dbscan", {{"preset", "nte"}}, &render::dbscan_answer);
}

TEST(Download, KdeContoursHoldTheEngineCoordinatesExactly) {
  expect_exact_download("hotspots/kde", {{"output", "contours"}, {"cell", "250"}}, &render::kde_answer);
}

TEST(Download, GiStarCellsHoldTheEngineCoordinatesExactly) {
  expect_exact_download("hotspots/gistar", {{"cell", "500"}, {"band", "1500"}},
                        &render::gistar_answer);
}

}  // namespace
}  // namespace hotspot::http
