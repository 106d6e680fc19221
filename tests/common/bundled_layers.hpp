#pragma once
// The bundled ward, town-centre and group (2013 constituency) layers plus
// one incident file, loaded as the server loads them, for tests of any
// module above data.

#include "hotspot/data/snapshot.hpp"

#include <filesystem>
#include <memory>

namespace hotspot::testing {

inline std::shared_ptr<const data::Snapshot> load_with_bundled_layers(
    const std::filesystem::path& incidents) {
  data::LoadOptions load;
  load.wards.path = HOTSPOT_SOURCE_DIR "/geodata/wards-E06000047.json";
  load.wards.kind = "wards";
  load.town_centres.path = HOTSPOT_SOURCE_DIR "/geodata/town-centres.geojson";
  load.town_centres.kind = "town-centres";
  load.groups.path = HOTSPOT_SOURCE_DIR "/geodata/wpc-E06000047.json";
  load.groups.kind = "groups";
  data::IncidentSourceOptions source;
  source.path = incidents.string();
  load.incidents.push_back(source);
  load.threads = 1;
  return data::load_snapshot(load);
}

}  // namespace hotspot::testing
