#pragma once
// Per-thread coordinate transformers for the engine and its renderers. A geo::Transformer
// owns a PROJ context that one thread may use at a time, and server threads
// (HTTP workers) are long-lived, so each thread keeps its own pair.

#include "hotspot/common/error.hpp"
#include "hotspot/engine/query.hpp"
#include "hotspot/geo/crs.hpp"
#include "hotspot/geo/types.hpp"


namespace hotspot::engine {

// EPSG:27700 -> WGS84 lon/lat for this thread, or an Error if PROJ cannot build it.
Expected<const geo::Transformer*> to_wgs84();
// WGS84 lon/lat -> EPSG:27700 for this thread.
Expected<const geo::Transformer*> to_bng();

// A lon/lat box as an EPSG:27700 box that encloses it (corners and edge
// points projected, so the curved edges are covered). Only its part within
// EPSG:27700's area of use is projected (a whole-world box selects all of
// Great Britain); a box wholly outside that area is an invalid_parameter
// error naming bbox.
Expected<geo::Box> bbox_to_bng(const LonLatBox& box);
// An EPSG:27700 box inside the lon/lat box (its part within EPSG:27700's
// area of use), a metre in from its curved sides: points in it are in the
// lon/lat box without projecting them. Empty when there is none.
geo::Box bbox_inside_bng(const LonLatBox& box);
// An EPSG:27700 box as the lon/lat box that encloses it; empty when the box
// is empty or cannot be projected.
geo::Box box_to_lonlat(const geo::Box& box, const geo::Transformer& to_lonlat);

}  // namespace hotspot::engine
