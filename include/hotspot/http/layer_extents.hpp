#pragma once
// What /api/layers and the TileJSON documents both say about a layer: its
// lon/lat extent and the licences of what is loaded.

#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/disclosure.hpp"
#include "hotspot/geo/crs.hpp"
#include "hotspot/geo/types.hpp"

#include <nlohmann/json_fwd.hpp>

namespace hotspot::http {

// Lon/lat extent of a boundary layer from its output rings; empty for no rings.
geo::Box lonlat_extent(const data::BoundaryLayer& layer);

// Lon/lat extent of the incidents as published: in public mode the wards'
// (the incidents' own extent is four incidents' exact coordinates).
geo::Box incidents_lonlat_extent(const data::Snapshot& snapshot, const engine::Disclosure& policy,
                                 const geo::Transformer& to_lonlat);

// [minLon,minLat,maxLon,maxLat] to the 0.1 m of the coordinates, or null.
nlohmann::json bbox_json(const geo::Box& b);

// Every source's licence text, once each, in source order.
nlohmann::json licences_json(const data::Snapshot& snapshot);

}  // namespace hotspot::http
