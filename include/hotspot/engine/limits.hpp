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

// payload_too_large naming the count and what to change.
Error too_many_cells(std::size_t cells);

}  // namespace hotspot::engine
