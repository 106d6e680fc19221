// Requests whose work would hold a server core for seconds to minutes are
// refused from an estimate before the costly part runs (413 naming what to
// change); ordinary requests still answer. On the bundled data, unrefused,
// these took 147 s (Gi*, 31 m cells, 2 km band) and 114 s (KDE contours at
// 20 quantiles of a 100 m bandwidth).
#include "handler_fixture.hpp"

#include "hotspot/http/service.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hotspot::http {
namespace {

class WorkBounds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_.replace(fixture::load_with_bundled_layers(HOTSPOT_SOURCE_DIR
                                                     "/geodata/incidents-synthetic.csv"));
  }
  static Response get(const std::string& target, std::size_t max_geojson_bytes = 20u << 20) {
    Context context;
    context.store = &store_;
    context.limits.max_geojson_bytes = max_geojson_bytes;
    auto request = make_request("GET", target);
    EXPECT_TRUE(request);
    return handle(*request, context);
  }
  static void expect_refused(const std::string& target, const std::string& names) {
    const Response r = get(target);
    EXPECT_EQ(r.status, 413) << target << " " << r.body.substr(0, 200);
    EXPECT_NE(r.body.find(names), std::string::npos) << r.body;
  }
  static data::Store store_;
};
data::Store WorkBounds::store_;

TEST_F(WorkBounds, GiStarOnATinyCellWithAWideBandIsRefused) {
  expect_refused("/api/hotspots/gistar?cell=31&band=2000", "'cell'");
  expect_refused("/api/hotspots/gistar?cell=31&band=2000", "'band'");
  EXPECT_EQ(get("/api/hotspots/gistar").status, 200);
  EXPECT_EQ(get("/api/hotspots/gistar?cell=100").status, 200);
}

TEST_F(WorkBounds, KdeContoursWithThousandsOfPatchesAreRefused) {
  const std::string quantiles =
      "0.05,0.1,0.15,0.2,0.25,0.3,0.35,0.4,0.45,0.5,0.55,0.6,0.65,0.7,0.75,0.8,0.85,0.9,0.95,0.99";
  expect_refused("/api/hotspots/kde?output=contours&cell=100&bandwidth=100&quantiles=" + quantiles,
                 "'quantiles'");
  expect_refused("/api/hotspots/kde?output=contours&bandwidth=200", "'bandwidth'");
  EXPECT_EQ(get("/api/hotspots/kde?output=contours&cell=250").status, 200);
}

// A map layer too large to draw is refused with the way out (a larger cell
// or a file); the same request as a file is still served.
TEST_F(WorkBounds, GeoJsonAnswersAreBoundedFilesAreNot) {
  const Response big = get("/api/layers/wards", 100 * 1024);
  EXPECT_EQ(big.status, 413) << big.body.substr(0, 200);
  EXPECT_NE(big.body.find("'format'"), std::string::npos) << big.body;
  EXPECT_EQ(get("/api/layers/wards").status, 200);
  EXPECT_EQ(get("/api/layers/wards?format=gpkg", 100 * 1024).status, 200);
}

}  // namespace
}  // namespace hotspot::http
