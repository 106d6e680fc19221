#pragma once
// Shared by the two executables: where the bundled data and page live, and
// the "[FORMAT:]FILE" spelling of an incident source on the command line.

#include "hotspot/data/incident_readers.hpp"

#include <filesystem>
#include <optional>
#include <string_view>

namespace hotspot::http {

// The project root: the parent of the executable's directory when it holds
// geodata/ (build/hotspotd), else `compiled_source_dir`, else the working
// directory.
std::filesystem::path project_root(std::string_view compiled_source_dir);

// "police-uk:FILE", "csv:FILE", "geojson:FILE" or "FILE" (format detected);
// nullopt when no file is named.
std::optional<data::IncidentSourceOptions> parse_incident_source(std::string_view arg);

}  // namespace hotspot::http
