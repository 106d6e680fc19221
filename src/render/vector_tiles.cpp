#include "hotspot/render/vector_tiles.hpp"

#include "hotspot/render/vector_export.hpp"

#include "vector_export_detail.hpp"

#include <cstdio>
#include <string>

namespace hotspot::render {
namespace {

// MVT's own limits are set above what a tile here may hold, so that GDAL
// never simplifies or drops features to fit them: a tile holds at most the
// export's kMaxExportFeatures (more is payload_too_large).
constexpr const char* kMaxTileBytes = "MAX_SIZE=268435456";
constexpr const char* kMaxTileFeatures = "MAX_FEATURES=1000000";

geo::Box envelope(const Geometry& g) {
  geo::Box box;
  if (g.kind == Geometry::Kind::point) box.expand(g.point);
  for (const auto& polygon : g.parts) {
    for (const auto& ring : polygon) {
      for (const auto& p : ring) box.expand(p);
    }
  }
  return box;
}

bool overlaps(const geo::Box& a, const geo::Box& b) {
  return !a.empty() && !b.empty() && a.min_x <= b.max_x && b.min_x <= a.max_x &&
         a.min_y <= b.max_y && b.min_y <= a.max_y;
}

std::string number(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

std::string option(const char* name, int value) {
  return std::string(name) + "=" + std::to_string(value);
}

}  // namespace

Expected<std::string> encode_tile(const FeatureTable& table, const engine::TileAddress& tile,
                                  int epsg) {
  // The tile grown by its buffer, where the clipped features may reach.
  const geo::Box drawn = engine::tile_mercator_box(tile, engine::kTileBuffer);
  std::optional<geo::Box> near = drawn;
  if (epsg != 3857) near = engine::tile_bng_box(tile, engine::kTileBuffer);
  if (!near) return std::string();
  // Only the features whose envelope meets the tile go to GDAL: its writer
  // would otherwise write every tile of the zoom level they cover.
  FeatureTable nearby;
  nearby.name = table.name;
  nearby.fields = table.fields;
  for (const Feature& f : table.features) {
    if (overlaps(envelope(f.geometry), *near)) nearby.features.push_back(f);
  }
  if (nearby.features.empty()) return std::string();
  if (nearby.features.size() > kMaxExportFeatures) {
    return make_error(ErrorCode::payload_too_large,
                      "The tile would hold " + std::to_string(nearby.features.size()) +
                          " features, over the limit of " + std::to_string(kMaxExportFeatures) +
                          "; zoom in, or narrow the selection");
  }

  detail::QuietErrors quiet;
  auto source = detail::memory_layer(nearby, epsg);
  if (!source) return source.error();
  const detail::MemDir dir;
  const std::string out = dir.file("tiles");
  const std::vector<std::string> args = {
      "-f", "MVT", "-t_srs", "EPSG:3857",
      "-clipdst", number(drawn.min_x), number(drawn.min_y), number(drawn.max_x), number(drawn.max_y),
      "-dsco", option("MINZOOM", tile.z), "-dsco", option("MAXZOOM", tile.z),
      "-dsco", option("EXTENT", engine::kTileExtent), "-dsco", option("BUFFER", engine::kTileBuffer),
      "-dsco", "COMPRESS=NO", "-dsco", kMaxTileBytes, "-dsco", kMaxTileFeatures,
      // Its scratch SQLite database stays in the private directory too.
      "-dsco", "TEMPORARY_DB=" + dir.file("scratch.db")};
  {
    auto written = detail::translate(source->get(), out, args);
    if (!written) return written.error();
  }  // closed here: the driver writes its tiles on close
  std::string bytes;
  // No file: the clipped features left nothing inside this tile.
  detail::read_mem_file(out + "/" + std::to_string(tile.z) + "/" + std::to_string(tile.x) + "/" +
                            std::to_string(tile.y) + ".pbf",
                        bytes);
  return bytes;
}

FeatureAnswer incident_cells_answer(const engine::IncidentTile& tile) {
  FeatureAnswer answer;
  FeatureTable& table = answer.table;
  table.name = "incident_cells";
  table.add_field("id", FieldType::text);
  table.add_count("count");
  for (int row = 0; row < engine::kTileCellsPerSide; ++row) {
    for (int column = 0; column < engine::kTileCellsPerSide; ++column) {
      const std::uint32_t n =
          tile.cell_counts[static_cast<std::size_t>(row * engine::kTileCellsPerSide + column)];
      if (n == 0) continue;
      const geo::Box b = engine::tile_cell_box(tile.tile, column, row);
      geo::Ring ring = {{b.min_x, b.min_y}, {b.max_x, b.min_y}, {b.max_x, b.max_y},
                        {b.min_x, b.max_y}, {b.min_x, b.min_y}};
      const std::string id = std::to_string(column) + "," + std::to_string(row);
      table.features.push_back(
          {id, Geometry::of_polygons({{std::move(ring)}}), {id, std::int64_t{n}}});
    }
  }
  answer.metadata = nlohmann::json::object();
  return answer;
}

FeatureAnswer incident_points_answer(const data::Snapshot& snapshot,
                                     const engine::IncidentTileParams& params,
                                     const engine::IncidentTile& tile) {
  engine::IncidentsParams page;
  page.selection = params.selection;
  engine::IncidentsResult result;
  result.selection = tile.selection;
  result.selection.rows = tile.rows;
  result.end = tile.rows.size();
  return incidents_answer(snapshot, page, result);
}

std::vector<std::pair<std::string, std::string>> tile_fields(const FeatureTable& table,
                                                             bool numeric_ids) {
  std::vector<std::pair<std::string, std::string>> out;
  bool has_id = false;
  for (const Field& f : table.fields) has_id = has_id || f.name == "id";
  if (!has_id) out.emplace_back("id", numeric_ids ? "Number" : "String");
  for (const Field& f : table.fields) {
    switch (f.type) {
      case FieldType::integer:
      case FieldType::real: out.emplace_back(f.name, "Number"); break;
      case FieldType::boolean: out.emplace_back(f.name, "Boolean"); break;
      case FieldType::text:
      case FieldType::json: out.emplace_back(f.name, "String"); break;
    }
  }
  return out;
}

}  // namespace hotspot::render
