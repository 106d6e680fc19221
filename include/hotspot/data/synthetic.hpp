#pragma once
// A seeded generator of synthetic incidents for demonstrations and tests:
// night-time-economy clusters around town centres on Friday and Saturday
// nights, plus background incidents over the wards all week, over one year.
// Output is labelled synthetic (a `synthetic` column that is true) so it can
// never pass for real records.
//
// Reproducible: std::mt19937_64 plus distribution code of our own (the
// standard distributions are implementation-defined), so one seed gives the
// same file with any standard library.

#include "hotspot/common/error.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/category.hpp"
#include "hotspot/geo/polygon_index.hpp"
#include "hotspot/geo/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hotspot::data {

struct SyntheticOptions {
  std::uint64_t seed = 20240601;
  std::size_t count = 20000;
  int year = 2024;
  // Town-centre centroids and the study area, EPSG:27700.
  std::vector<geo::Point> town_centres;
  geo::Box area;
  // Background points are redrawn until they fall in a polygon of this index
  // (the wards); null: anywhere in `area`.
  const geo::PolygonIndex* within = nullptr;
  double cluster_fraction = 0.6;  // share of incidents around town centres
  double night_fraction = 0.75;   // of those, share on Friday/Saturday nights 20:00-04:00
  double sigma_m = 250;           // spread of a cluster (standard deviation, metres)

  // What is wrong with the options (invalid_parameter), or nullopt.
  std::optional<Error> validate() const;
};

struct SyntheticIncident {
  std::uint64_t id = 0;
  double x = 0, y = 0;      // EPSG:27700
  double lon = 0, lat = 0;  // WGS84
  Category category = Category::other;
  std::string label;        // police.uk crime type
  std::int64_t utc_seconds = 0;
};

// Generates options.count incidents, sorted by time (ids 1..count in that order).
Expected<std::vector<SyntheticIncident>> generate_incidents(const SyntheticOptions& options);

// CSV text with columns id,lon,lat,category,occurred_at,synthetic; times are
// Europe/London wall-clock with their offset, e.g. 2024-03-15T22:41:07+00:00.
std::string synthetic_csv(const std::vector<SyntheticIncident>& incidents);

// Options taking the centres (area-weighted centroids) and the area from layers.
SyntheticOptions synthetic_options_from_layers(const BoundaryLayer& wards,
                                               const BoundaryLayer& town_centres);

// Generates and writes the CSV to `path`; returns the row count.
Expected<std::size_t> write_synthetic_csv(const SyntheticOptions& options, const std::string& path);

// RFC 3339 text of an instant in Europe/London local time ("...+01:00").
std::string format_london_time(std::int64_t utc_seconds);

}  // namespace hotspot::data
