#pragma once
// Shared by the two executables: where the bundled data and page live, and
// the "[FORMAT:]FILE" spelling of an incident source on the command line.

#include "hotspot/common/error.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/incident_readers.hpp"
#include "hotspot/data/source_kinds.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <string_view>

namespace hotspot::data {

// The project root: the parent of the executable's directory when it holds
// geodata/ (build/hotspotd), else the source directory this was built from,
// else the working directory.
std::filesystem::path project_root();

// A data file named on the command line, with options after a '?':
//   [FORMAT:]FILE[?key=value&key=value...]
// Incident files: FORMAT is a source kind (police-uk, police-extract,
// council-asb, fire, ae-assault, csv or geojson; default: detected); keys id,
// x, y, category, time, to, domestic, alcohol, subtype, location, venue
// (column names), crs (of x/y) and licence (attribution to publish; none
// is printed for a file given without one).
// Boundary files: keys id, name (field names), crs (when the file has
// none), layer and licence (attribution to publish). A name that exists as
// a file is taken whole, '?' and all.
// An Error names the argument and what is wrong with it.
Expected<IncidentSourceOptions> parse_incident_source(std::string_view arg);
// The reader options of an incident file given as key/value pairs (the
// command line's "?key=value", the API's query parameters): id, x, y,
// category, time, domestic, to, alcohol, subtype, location, venue, crs (the
// kinds' columns, docs/sources.md) and licence. An unknown key is an Error naming `what`.
Expected<IncidentSourceOptions> incident_source_options(
    std::string path, const std::vector<std::pair<std::string, std::string>>& options,
    std::string_view what);
Expected<BoundaryOptions> parse_boundary_source(std::string_view arg, std::string kind);

}  // namespace hotspot::data
