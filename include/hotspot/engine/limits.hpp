#pragma once
// Bounds on the size of one answer, checked by the engine before the work
// that would produce it.

#include "hotspot/common/error.hpp"

#include <cstddef>

namespace hotspot::engine {

// Grid cells in one answer; beyond this the page could not draw it anyway.
inline constexpr std::size_t kMaxOutputCells = 100000;
// Clusters in one DBSCAN answer (each carries a hull and a summary).
inline constexpr std::size_t kMaxOutputClusters = 20000;

// Work a request may ask for, estimated from its parameters (and, for KDE
// contours, from the density grid, which is cheap) before the costly part
// runs: over these an answer takes seconds of a server core.
// Gi* on the grid: cells x cells in the band (about 4e8 per second).
inline constexpr std::size_t kMaxGiStarWork = 1'000'000'000;
// KDE contours: contour crossings over all levels (each a vertex of the
// answer) and separate patches (GDAL's polygoniser slows with their number:
// measured on the bundled data, 2,865 patches and 116,593 vertices take 3 s,
// 12,519 patches 18 s, 92,018 patches 114 s).
inline constexpr std::size_t kMaxContourCrossings = 200'000;
inline constexpr std::size_t kMaxContourPatches = 10'000;

// payload_too_large naming the count and what to change.
Error too_many_cells(std::size_t cells);

}  // namespace hotspot::engine
