#pragma once
// What the three /api/hotspots/* handlers share: the study area grids cover,
// the bound on grid answers, and the closing of a FeatureCollection.

#include "hotspot/analysis/grid.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/http/json_writer.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>

namespace hotspot::http {

// Features written by one grid answer; beyond this the page could not draw it anyway.
inline constexpr std::size_t kMaxOutputCells = 100000;
// Clusters in one DBSCAN answer (each carries a hull and a summary).
inline constexpr std::size_t kMaxOutputFeatures = 20000;

// The area grids cover: the ward layer, or the incidents when no wards are loaded.
geo::Box study_extent(const data::Snapshot& snapshot);

// payload_too_large naming the count and what to change.
Error too_many_cells(std::size_t cells);

// {crs, origin_x, origin_y, cell, nx, ny}
nlohmann::json grid_json(const analysis::GridGeometry& grid);

// Opens `{"type":"FeatureCollection","features":[`.
void begin_feature_collection(JsonWriter& w);
// Closes the features array and adds the metadata member.
void end_feature_collection(JsonWriter& w, const nlohmann::json& metadata);

}  // namespace hotspot::http
