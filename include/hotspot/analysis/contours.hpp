#pragma once
// Filled contour bands of a grid (e.g. a kernel density surface), traced by
// GDAL's contour generator (GDALContourGenerateEx with POLYGONIZE=YES on an
// in-memory raster, into an in-memory OGR layer).

#include "hotspot/analysis/grid.hpp"
#include "hotspot/common/deadline.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/geo/geos.hpp"

#include <span>
#include <vector>

namespace hotspot::analysis {

struct ContourBand {
  double min_level = 0;  // values >= min_level ...
  double max_level = 0;  // ... and < max_level (the grid maximum for the top band)
  geo::MultiPolygonRings polygons;  // EPSG:27700
};

inline constexpr std::size_t kMaxContourLevels = 50;

// Bands from each level to the next, the last one up to the grid maximum.
// Levels must be finite and strictly ascending (1..kMaxContourLevels of
// them). Bands that hold no area are left out.
// GDAL's tracing stops (deadline_exceeded) when the deadline passes.
Expected<std::vector<ContourBand>> contour_bands(std::span<const double> values,
                                                 const GridGeometry& grid,
                                                 std::span<const double> levels,
                                                 const Deadline& deadline = Deadline::none());

// The work contour_bands would do, counted before it runs: over every level,
// the neighbouring cell pairs (across and up) whose values lie on either
// side of it. Each such pair is a contour vertex, so this bounds the size of
// the answer and the time GDAL spends tracing and polygonising it.
std::size_t contour_crossings(std::span<const double> values, const GridGeometry& grid,
                              std::span<const double> levels);

// Separate patches contour_bands would trace: over every level, the
// 8-connected groups of cells at or above it. GDAL's polygoniser slows with
// the number of rings far more than with their length.
std::size_t contour_patches(std::span<const double> values, const GridGeometry& grid,
                            std::span<const double> levels);

// Levels at the given quantiles (each in (0, 1)) of the grid's positive
// values, ascending, duplicates dropped; empty when no value is positive.
Expected<std::vector<double>> quantile_levels(std::span<const double> values,
                                              std::span<const double> quantiles);

}  // namespace hotspot::analysis
