#include "hotspot/http/population.hpp"

namespace hotspot::http {

Expected<PopulationSource> parse_population_source(std::string_view text) {
  const auto colon = text.find(':');
  const std::string_view layer = colon == std::string_view::npos ? "" : text.substr(0, colon);
  if (layer != "wards" && layer != "town-centres") {
    return make_error(ErrorCode::invalid_parameter,
                      "--population: '" + std::string(text) +
                          "' is not wards:FILE or town-centres:FILE");
  }
  const std::string_view path = text.substr(colon + 1);
  if (path.empty()) {
    return make_error(ErrorCode::invalid_parameter,
                      "--population: no file after '" + std::string(layer) + ":'");
  }
  return PopulationSource{std::string(layer), std::string(path)};
}

Populations load_populations(const std::vector<PopulationSource>& sources) {
  Populations out;
  for (const auto& source : sources) {
    LayerPopulation layer;
    layer.path = source.path;
    auto table = analysis::read_population_csv(source.path);
    if (table) {
      layer.table = std::move(*table);
    } else {
      layer.error = table.error().message;
    }
    (source.layer == "wards" ? out.wards : out.town_centres) = std::move(layer);
  }
  return out;
}

}  // namespace hotspot::http
