#include "hotspot/engine/tiles.hpp"

#include "hotspot/engine/projection.hpp"
#include "hotspot/geo/crs.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace hotspot::engine {
namespace {

constexpr double kEarthRadius = kMercatorHalfWidth / std::numbers::pi;

double tile_size(int z) { return 2 * kMercatorHalfWidth / std::ldexp(1.0, z); }

// Rows between deadline checks: a clock read per block, not per row.
constexpr std::size_t kRowsPerCheck = 65536;

}  // namespace

Expected<TileAddress> parse_tile_address(std::string_view z, std::string_view x,
                                         std::string_view y) {
  auto zoom = parse_int("{z}", z, 0, kMaxTileZoom);
  if (!zoom) return zoom.error();
  // x and y are checked against the zoom they were given with.
  const std::int64_t last = (std::int64_t{1} << *zoom) - 1;
  auto column = parse_int("{x}", x, 0, last);
  if (!column) return column.error();
  auto row = parse_int("{y}", y, 0, last);
  if (!row) return row.error();
  return TileAddress{static_cast<int>(*zoom), static_cast<int>(*column), static_cast<int>(*row)};
}

geo::Box tile_mercator_box(const TileAddress& tile, int margin) {
  const double size = tile_size(tile.z);
  const double grow = size * margin / kTileExtent;
  const double west = -kMercatorHalfWidth + tile.x * size;
  const double north = kMercatorHalfWidth - tile.y * size;
  return {west - grow, north - size - grow, west + size + grow, north + grow};
}

geo::Box tile_cell_box(const TileAddress& tile, int column, int row) {
  const geo::Box t = tile_mercator_box(tile);
  const double cell = (t.max_x - t.min_x) / kTileCellsPerSide;
  return {t.min_x + column * cell, t.max_y - (row + 1) * cell, t.min_x + (column + 1) * cell,
          t.max_y - row * cell};
}

geo::Point lonlat_to_mercator(double lon, double lat) {
  const double rad = std::numbers::pi / 180;
  return {kEarthRadius * lon * rad, kEarthRadius * std::log(std::tan(std::numbers::pi / 4 + lat * rad / 2))};
}

geo::LonLat mercator_to_lonlat(geo::Point p) {
  const double deg = 180 / std::numbers::pi;
  return {p.x / kEarthRadius * deg, (2 * std::atan(std::exp(p.y / kEarthRadius)) - std::numbers::pi / 2) * deg};
}

std::optional<geo::Box> tile_bng_box(const TileAddress& tile, int margin) {
  const geo::Box m = tile_mercator_box(tile, margin);
  // Clamped to the square's edges: a margin beyond the poles is no latitude.
  const geo::LonLat sw = mercator_to_lonlat({std::max(m.min_x, -kMercatorHalfWidth),
                                             std::max(m.min_y, -kMercatorHalfWidth)});
  const geo::LonLat ne = mercator_to_lonlat({std::min(m.max_x, kMercatorHalfWidth),
                                             std::min(m.max_y, kMercatorHalfWidth)});
  // bbox_to_bng projects only the part inside the grid's area of use and
  // refuses a box wholly outside it: such a tile holds nothing loaded.
  auto box = bbox_to_bng({sw.lon, sw.lat, ne.lon, ne.lat});
  if (!box) return std::nullopt;
  return *box;
}

Expected<IncidentTileParams> IncidentTileParams::parse(const Query& query,
                                                       const data::Snapshot& snapshot) {
  return validated(parse_selection_of<IncidentTileParams>(query, snapshot));
}

Canonical IncidentTileParams::canonical() const {
  Canonical out;
  selection.append_canonical(out);
  return out;
}

Expected<IncidentTile> run_incident_tile(const data::Snapshot& snapshot,
                                         const IncidentTileParams& params,
                                         const TileAddress& tile, bool points_allowed,
                                         const Deadline& deadline) {
  IncidentTile out;
  out.tile = tile;
  out.points = points_allowed && tile.z >= kIncidentPointsMinZoom;
  if (!out.points) out.cell_counts.assign(kTileCellsPerSide * kTileCellsPerSide, 0);
  out.selection = select(snapshot, params.selection);
  if (deadline.expired()) return deadline_error();
  const auto bng = tile_bng_box(tile);
  if (!bng) return out;

  // First the national grid's enclosing box (cheap), then the exact test in
  // Web Mercator on the rows it keeps.
  const data::IncidentTable& t = *snapshot.incidents;
  std::vector<std::uint32_t> candidates;
  std::vector<double> xs, ys;
  for (std::size_t k = 0; k < out.selection.rows.size(); ++k) {
    if (k % kRowsPerCheck == 0 && deadline.expired()) return deadline_error();
    const std::uint32_t i = out.selection.rows[k];
    if (!bng->contains({t.x[i], t.y[i]})) continue;
    candidates.push_back(i);
    xs.push_back(t.x[i]);
    ys.push_back(t.y[i]);
  }
  auto to_lonlat = to_wgs84();
  if (!to_lonlat) return to_lonlat.error();
  (*to_lonlat)->transform(xs, ys);  // failures become +inf and fall outside below

  const geo::Box m = tile_mercator_box(tile);
  const double cell = (m.max_x - m.min_x) / kTileCellsPerSide;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    if (!std::isfinite(xs[k]) || !std::isfinite(ys[k])) continue;
    const geo::Point p = lonlat_to_mercator(xs[k], ys[k]);
    // [west, east) x (south, north]: each point in exactly one tile and cell.
    if (!(p.x >= m.min_x && p.x < m.max_x && p.y > m.min_y && p.y <= m.max_y)) continue;
    if (out.points) {
      out.rows.push_back(candidates[k]);
      continue;
    }
    const int column = std::min(kTileCellsPerSide - 1, static_cast<int>((p.x - m.min_x) / cell));
    const int row = std::min(kTileCellsPerSide - 1, static_cast<int>((m.max_y - p.y) / cell));
    ++out.cell_counts[static_cast<std::size_t>(row * kTileCellsPerSide + column)];
  }
  return out;
}

}  // namespace hotspot::engine
