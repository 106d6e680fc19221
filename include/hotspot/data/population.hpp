#pragma once
// Residents per area for the per-1,000 rates: read with the rest of the
// data by load_snapshot, so a reload re-reads them and the snapshot version
// (the response cache's key) changes with them.

#include "hotspot/common/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotspot::data {

// Residents per area id (e.g. ONS mid-year estimates by ward code).
struct PopulationTable {
  std::unordered_map<std::string, double> by_id;
};

// Reads "id,population" CSV text: a header row naming an id column (id, code,
// or a *CD column such as WD22CD) and a population column (population, pop,
// residents), then one row per area. Blank lines are skipped; any other
// malformed row, a negative or non-numeric population, or a repeated id is an
// Error naming the line. `name` labels messages (usually the path).
Expected<PopulationTable> parse_population_csv(std::string_view text, std::string_view name);
Expected<PopulationTable> read_population_csv(const std::string& path);

// One `--population LAYER:FILE` option.
struct PopulationSource {
  std::string layer;  // "wards" or "town-centres"
  std::string path;
};

// One layer's table, or why it is missing.
struct LayerPopulation {
  std::string path;
  std::optional<PopulationTable> table;  // none when the file failed
  std::string error;
  // content_hash() of the bytes the table was read from (0: unreadable), so
  // the snapshot version follows the content, not the file's timestamp.
  std::uint64_t content_hash = 0;
};

struct Populations {
  std::optional<LayerPopulation> wards;
  std::optional<LayerPopulation> town_centres;
};

// "wards:FILE" or "town-centres:FILE".
Expected<PopulationSource> parse_population_source(std::string_view text);

// Reads every source; a file that fails is kept with its error so it can be
// reported and the other layers still served.
Populations load_populations(const std::vector<PopulationSource>& sources);

}  // namespace hotspot::data
