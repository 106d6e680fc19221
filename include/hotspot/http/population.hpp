#pragma once
// Residents per area for the area statistics' per-1,000 rates: which file
// each layer's table came from, loaded at start and again on every reload.

#include "hotspot/analysis/area_stats.hpp"
#include "hotspot/common/error.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::http {

// One `--population LAYER:FILE` option.
struct PopulationSource {
  std::string layer;  // "wards" or "town-centres"
  std::string path;
};

// One layer's table, or why it is missing.
struct LayerPopulation {
  std::string path;
  std::optional<analysis::PopulationTable> table;  // none when the file failed
  std::string error;
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

// Shared by the request threads; replaced whole on reload.
class PopulationStore {
 public:
  std::shared_ptr<const Populations> current() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void replace(Populations populations) {
    auto next = std::make_shared<const Populations>(std::move(populations));
    std::lock_guard lock(mutex_);
    current_ = std::move(next);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Populations> current_ = std::make_shared<const Populations>();
};

}  // namespace hotspot::http
