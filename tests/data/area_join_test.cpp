// The fast joins (AreaGrid for wards, PolygonEdges for town centres) against
// brute force over every polygon, on the real layers, with many points on
// and next to boundaries, vertices and grid lines.

#include "hotspot/data/area_grid.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/polygon_edges.hpp"
#include "hotspot/data/snapshot.hpp"

#include "temp_files.hpp"

#include <geos_c.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace hotspot::data {
namespace {

using testing::source_path;

BoundaryLayer load(const std::string& path, const std::string& kind) {
  FileReport report;
  BoundaryOptions options;
  options.path = source_path(path);
  options.kind = kind;
  auto layer = load_boundaries(options, report);
  EXPECT_TRUE(layer) << path;
  return std::move(*layer);
}

std::vector<const GEOSGeom_t*> raw(const std::vector<geo::Geometry>& geometries) {
  std::vector<const GEOSGeom_t*> out;
  for (const auto& g : geometries) out.push_back(g.get());
  return out;
}

// locate_brute_force's rule (lowest index containing, else lowest index
// covering) over every polygon, with prepared geometries so that hundreds of
// thousands of points take seconds, not minutes; checked against
// locate_brute_force itself below.
class PreparedBruteForce {
 public:
  explicit PreparedBruteForce(const std::vector<const GEOSGeom_t*>& polygons) {
    for (const GEOSGeom_t* g : polygons) prepared_.emplace_back(GEOSPrepare_r(geo::thread_context(), g));
  }
  std::int32_t locate(geo::Point p) const {
    GEOSContextHandle_t ctx = geo::thread_context();
    geo::Geometry point = geo::make_point(p);
    for (std::size_t i = 0; i < prepared_.size(); ++i) {
      if (GEOSPreparedContains_r(ctx, prepared_[i].get(), point.get()) == 1) return static_cast<std::int32_t>(i);
    }
    for (std::size_t i = 0; i < prepared_.size(); ++i) {
      if (GEOSPreparedCovers_r(ctx, prepared_[i].get(), point.get()) == 1) return static_cast<std::int32_t>(i);
    }
    return geo::PolygonIndex::kNone;
  }

 private:
  std::vector<geo::PreparedGeometry> prepared_;
};

// locate_brute_force, sped up by skipping polygons whose envelope does not
// hold the point (they can neither contain nor cover it). The candidates
// keep their order, so the lowest-index rule is unchanged.
std::int32_t brute_force(const std::vector<const GEOSGeom_t*>& polygons,
                         const std::vector<geo::Box>& envelopes, geo::Point p) {
  std::vector<const GEOSGeom_t*> candidates;
  std::vector<std::int32_t> ids;
  for (std::size_t i = 0; i < polygons.size(); ++i) {
    if (envelopes[i].contains(p)) {
      candidates.push_back(polygons[i]);
      ids.push_back(static_cast<std::int32_t>(i));
    }
  }
  const std::int32_t found = geo::locate_brute_force(candidates, p);
  return found == geo::PolygonIndex::kNone ? found : ids[static_cast<std::size_t>(found)];
}

// Points on and next to every boundary: vertices, points along edges,
// and the same nudged by a few units in the last place.
std::vector<geo::Point> boundary_points(const std::vector<const GEOSGeom_t*>& polygons,
                                        std::mt19937_64& rng) {
  std::uniform_real_distribution<double> t(0.0, 1.0);
  std::vector<geo::Point> out;
  for (const GEOSGeom_t* g : polygons) {
    for (const auto& part : geo::polygon_rings(g)) {
      for (const auto& ring : part) {
        for (std::size_t i = 1; i < ring.size(); ++i) {
          const geo::Point a = ring[i - 1], b = ring[i];
          out.push_back(a);
          const double s = t(rng);
          out.push_back(geo::Point{a.x + s * (b.x - a.x), a.y + s * (b.y - a.y)});
          out.push_back(geo::Point{std::nextafter(a.x, 1e9), a.y});
          out.push_back(geo::Point{a.x, std::nextafter(a.y, -1e9)});
        }
      }
    }
  }
  return out;
}

TEST(AreaGrid, MatchesBruteForceOnRealWards) {
  const BoundaryLayer wards = load("geodata/wards-E06000047.json", "wards");
  const std::vector<const GEOSGeom_t*> polygons = raw(wards.geometries);
  const AreaGrid grid(polygons, *wards.index);
  ASSERT_GT(grid.columns() * grid.rows(), 100000u);
  EXPECT_LT(grid.mixed_fraction(), 0.1);

  std::mt19937_64 rng(2024);
  const geo::Box e = wards.extent;
  std::uniform_real_distribution<double> ux(e.min_x - 500, e.max_x + 500), uy(e.min_y - 500, e.max_y + 500);
  std::vector<geo::Point> points = boundary_points(polygons, rng);
  const std::size_t on_boundaries = points.size();
  for (int i = 0; i < 200000; ++i) points.push_back(geo::Point{ux(rng), uy(rng)});
  // Points on the grid's own cell lines (the grid starts one 50 m cell
  // before the extent).
  std::uniform_int_distribution<int> cx(0, static_cast<int>(grid.columns())), cy(0, static_cast<int>(grid.rows()));
  for (int i = 0; i < 20000; ++i) {
    points.push_back(geo::Point{e.min_x - 50 + 50.0 * cx(rng), uy(rng)});
    points.push_back(geo::Point{ux(rng), e.min_y - 50 + 50.0 * cy(rng)});
  }

  std::vector<double> xs, ys;
  for (const auto& p : points) {
    xs.push_back(p.x);
    ys.push_back(p.y);
  }
  std::vector<std::int32_t> got(points.size());
  grid.locate_all(xs, ys, got, 2);
  const PreparedBruteForce reference(polygons);
  std::size_t inside = 0, boundary_hits = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    ASSERT_EQ(got[i], reference.locate(points[i]))
        << "point " << i << " (" << points[i].x << ", " << points[i].y << ")";
    // locate_brute_force itself (slow) on a spread sample, boundary points included.
    if (i % 97 == 0) {
      ASSERT_EQ(got[i], brute_force(polygons, wards.envelopes, points[i])) << i;
    }
    inside += got[i] != geo::PolygonIndex::kNone;
    if (i < on_boundaries) boundary_hits += got[i] != geo::PolygonIndex::kNone;
  }
  EXPECT_GT(inside, points.size() / 2);
  EXPECT_LT(inside, points.size());
  EXPECT_GT(boundary_hits, on_boundaries / 2);
}

// Two squares sharing an edge, the right one with a hole; 1 m cells so
// that every boundary lies on cell lines:
//
//   10 +---------+---------+
//      |         |  +---+  |
//      |    0    | 1| h |  |
//      |         |  +---+  |
//    0 +---------+---------+
//      0        10        20
TEST(AreaGrid, BoundariesOnCellLines) {
  geo::Geometry left = geo::from_wkt("POLYGON((0 0,10 0,10 10,0 10,0 0))");
  geo::Geometry right = geo::from_wkt("POLYGON((10 0,20 0,20 10,10 10,10 0),(13 3,13 7,17 7,17 3,13 3))");
  const std::vector<const GEOSGeom_t*> polygons{left.get(), right.get()};
  const geo::PolygonIndex index(polygons);
  const AreaGrid grid(polygons, index, 1.0);
  const std::vector<geo::Box> envelopes{geo::envelope(left.get()), geo::envelope(right.get())};
  for (int i = -20; i <= 420; ++i) {
    for (int j = -20; j <= 220; ++j) {
      const geo::Point p{i * 0.05, j * 0.05};  // every cell line, edge and corner, and between
      ASSERT_EQ(grid.locate(p), brute_force(polygons, envelopes, p)) << p.x << ", " << p.y;
    }
  }
  EXPECT_EQ(grid.locate({10, 5}), 0);    // the shared edge: covered by both, lowest index
  EXPECT_EQ(grid.locate({15, 5}), -1);   // the hole
  EXPECT_EQ(grid.locate({13, 5}), 1);    // the hole's edge belongs to the polygon
}

TEST(PolygonEdges, MatchesBruteForceOnRealTownCentres) {
  const BoundaryLayer centres = load("geodata/town-centres.geojson", "town-centres");
  const std::vector<const GEOSGeom_t*> polygons = raw(centres.geometries);
  // Without and with the candidate grid (over most of the county: some
  // points fall outside it).
  const PolygonEdges plain(polygons, *centres.index);
  const PolygonEdges gridded(polygons, *centres.index, geo::Box{380000, 510000, 445000, 555000}, 1000);
  GEOSContextHandle_t ctx = geo::thread_context();

  std::mt19937_64 rng(7);
  std::vector<geo::Point> points = boundary_points(polygons, rng);
  // Around each centre (most points inside an envelope), and over the county.
  for (const geo::Box& b : centres.envelopes) {
    std::uniform_real_distribution<double> ux(b.min_x - 300, b.max_x + 300), uy(b.min_y - 300, b.max_y + 300);
    for (int i = 0; i < 4000; ++i) points.push_back(geo::Point{ux(rng), uy(rng)});
  }
  std::uniform_real_distribution<double> cx(370000, 455000), cy(500000, 565000);
  for (int i = 0; i < 20000; ++i) points.push_back(geo::Point{cx(rng), cy(rng)});

  std::size_t inside = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const geo::Point p = points[i];
    const PolygonEdges::Hit hit = plain.locate_with_distance(p);
    ASSERT_EQ(hit.polygon, brute_force(polygons, centres.envelopes, p)) << i;
    const PolygonEdges::Hit fast = gridded.locate_with_distance(p);
    ASSERT_EQ(fast.polygon, hit.polygon) << i;
    ASSERT_EQ(fast.distance, hit.distance) << i;
    geo::Geometry point = geo::make_point(p);
    double want = INFINITY;
    for (const GEOSGeom_t* c : polygons) {
      double d = 0;
      ASSERT_EQ(GEOSDistance_r(ctx, c, point.get(), &d), 1);
      want = std::min(want, d);
    }
    if (hit.polygon != geo::PolygonIndex::kNone) want = 0;  // on a boundary GEOS says 0 too
    ASSERT_NEAR(hit.distance, want, 1e-9 * (1 + want)) << i;
    inside += hit.polygon != geo::PolygonIndex::kNone;
  }
  EXPECT_GT(inside, points.size() / 10);
  EXPECT_LT(inside, points.size() / 2);
}

// join_areas on a table large enough to take the grid paths, against the
// PolygonIndex answers (which tests/geo checks against brute force).
TEST(JoinAreas, LargeTableMatchesPolygonIndex) {
  const BoundaryLayer wards = load("geodata/wards-E06000047.json", "wards");
  const BoundaryLayer centres = load("geodata/town-centres.geojson", "town-centres");
  std::mt19937_64 rng(11);
  std::vector<geo::Point> points = boundary_points(raw(wards.geometries), rng);
  for (const auto& p : boundary_points(raw(centres.geometries), rng)) points.push_back(p);
  const geo::Box e = wards.extent;
  std::uniform_real_distribution<double> ux(e.min_x, e.max_x), uy(e.min_y, e.max_y);
  for (int i = 0; i < 40000; ++i) points.push_back(geo::Point{ux(rng), uy(rng)});
  for (const geo::Box& b : centres.envelopes) {
    std::uniform_real_distribution<double> cx(b.min_x - 100, b.max_x + 100), cy(b.min_y - 100, b.max_y + 100);
    for (int i = 0; i < 2000; ++i) points.push_back(geo::Point{cx(rng), cy(rng)});
  }
  IncidentTable table;
  for (const auto& p : points) {
    table.x.push_back(p.x);
    table.y.push_back(p.y);
  }
  join_areas(table, wards, centres, 2);
  std::size_t in_centre = 0;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const geo::Point p = table.point(i);
    ASSERT_EQ(table.ward[i], wards.index->locate(p)) << i;
    ASSERT_EQ(table.town_centre[i], centres.index->locate(p)) << i;
    const double want = table.town_centre[i] != kNoArea ? 0.0 : centres.index->nearest(p).first;
    ASSERT_NEAR(table.town_centre_distance[i], want, 1e-3 + want * 1e-6) << i;
    in_centre += table.town_centre[i] != kNoArea;
  }
  EXPECT_GT(in_centre, 5000u);
}

}  // namespace
}  // namespace hotspot::data
