#pragma once
// The County Durham files bundled in geodata/ (wards and constituencies),
// whose place and attribution are known, recognised by file name.

#include <filesystem>
#include <string>

namespace hotspot::data::detail {

inline bool bundled_county_durham_file(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  return name == "wards-E06000047.json" || name == "wpc-E06000047.json";
}

}  // namespace hotspot::data::detail
