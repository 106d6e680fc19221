#pragma once
// The peers' incidents-10000.csv for the tests that check against it: the
// shared copy when it is there, else generated with the peers' deterministic
// generator (CI's ../shared holds the generator but not its output).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace hotspot::peers {

// incidents-10000.csv, from ../shared/peers/data or generated into `dir` by
// ../shared/peers/gen_incidents.py. Empty if neither works; `why` then says
// what is missing.
inline std::filesystem::path ten_thousand(const std::filesystem::path& dir, std::string& why) {
  namespace fs = std::filesystem;
  const fs::path shared = fs::path(HOTSPOT_SHARED_DIR) / "peers";
  const fs::path published = shared / "data/incidents-10000.csv";
  if (fs::exists(published)) return published;
  const fs::path generator = shared / "gen_incidents.py";
  if (!fs::exists(generator)) {
    why = generator.string() + " is missing";
    return {};
  }
  if (std::system("/usr/bin/python3 -c 'import numpy, pyproj' >/dev/null 2>&1") != 0) {
    why = "/usr/bin/python3 with numpy and pyproj is needed to generate " + published.string() +
          " (apt install python3-numpy python3-pyproj, as scripts/setup does)";
    return {};
  }
  const fs::path out = dir / "incidents-10000.csv";
  const std::string cmd = "/usr/bin/python3 '" + generator.string() + "' 10000 --out '" +
                          out.string() + "' >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0 || !fs::exists(out)) {
    why = "generating the data failed: " + cmd;
    return {};
  }
  return out;
}

// The easting and northing (EPSG:27700) of every row, from the file's second
// and third columns (id,easting,northing,...) after its header.
struct Coordinates {
  std::vector<double> x, y;
};

inline Coordinates read_coordinates(const std::filesystem::path& csv) {
  Coordinates out;
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string id, e, n;
    std::getline(fields, id, ',');
    std::getline(fields, e, ',');
    std::getline(fields, n, ',');
    out.x.push_back(std::stod(e));
    out.y.push_back(std::stod(n));
  }
  return out;
}

}  // namespace hotspot::peers
