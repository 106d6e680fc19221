#pragma once
// Licensed premises with names and coordinates (--venues FILE), which A&E
// assault records that give a venue name instead of coordinates are matched
// against. Names match ignoring case, spaces and punctuation: "The Kings
// Head", "the king's head" and "THE KINGS-HEAD" are one venue (venue_key()).

#include "hotspot/common/error.hpp"
#include "hotspot/geo/types.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotspot::data {

struct Venue {
  std::string name;         // as the venue list spells it
  geo::Point grid;          // EPSG:27700
  geo::Point lonlat;        // EPSG:4326, longitude first
};

// The matching form of a name: lower-case ASCII letters and digits only.
std::string venue_key(std::string_view name);

class VenueList {
 public:
  // Reads a CSV with a name column (name, venue, premises_name or
  // premises) and easting/northing (EPSG:27700) or longitude/latitude
  // (lon/lat, EPSG:4326). An Error names the file and what is wrong: no such
  // columns, a row without a name or usable coordinates, or two venues whose
  // names match the same key (a venue name must pick one place).
  static Expected<VenueList> load(const std::string& path);
  // Builds a list from venues already in memory (tests); same checks.
  static Expected<VenueList> from(std::vector<Venue> venues);

  // The venue whose venue_key() equals that of `name`, or null.
  const Venue* find(std::string_view name) const;
  std::size_t size() const { return venues_.size(); }
  std::uint64_t content_hash() const { return content_hash_; }

 private:
  std::vector<Venue> venues_;
  std::unordered_map<std::string, std::size_t> by_key_;
  std::uint64_t content_hash_ = 0;
};

}  // namespace hotspot::data
