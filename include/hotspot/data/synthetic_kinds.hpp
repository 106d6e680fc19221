#pragma once
// Small seeded fixture files, one per partnership source kind, for tests and
// demonstrations: each kind's own header names and category labels, a few
// rows of every fault the kind's reader must reject, rows outside County
// Durham, and (police-uk) month-only times. Every file has a `synthetic`
// column that is true and a name containing "synthetic"; none is real data.
//
// The same seed gives the same bytes (seeded_random.hpp; points are drawn
// in EPSG:27700 and, for police-uk, converted to lon/lat with PROJ and
// written to 6 decimals).

#include "hotspot/common/error.hpp"
#include "hotspot/data/source_kinds.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace hotspot::data {

inline constexpr std::uint64_t kKindFixtureSeed = 20240601;

// The kinds that have a fixture: police-uk, police-extract, council-asb,
// fire, ae-assault.
std::vector<IncidentFormat> fixture_kinds();

// "<kind>-synthetic.csv", e.g. "council-asb-synthetic.csv".
std::string kind_fixture_name(IncidentFormat kind);
inline constexpr const char* kVenuesFixtureName = "venues-synthetic.csv";

// The fixture's CSV text.
Expected<std::string> synthetic_kind_csv(IncidentFormat kind, std::uint64_t seed);
// The venue list the ae-assault fixture names (CSV: name, easting, northing,
// synthetic). Some ae-assault rows name venues in other spellings, one names
// a venue missing from the list.
std::string synthetic_venues_csv();

// Writes every fixture and the venue list into `directory`; returns the
// paths written.
Expected<std::vector<std::string>> write_kind_fixtures(const std::string& directory,
                                                       std::uint64_t seed);

}  // namespace hotspot::data
