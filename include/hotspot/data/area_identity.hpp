#pragma once
// What the loaded boundaries say about the place being mapped: its name (for
// the page's title and "the whole area") and the town centres that lie
// outside it. A server started on another area's wards with the bundled
// County Durham town centres must say so, not serve empty town-centre views.

#include "hotspot/data/boundary_layer.hpp"

#include <string>
#include <vector>

namespace hotspot::data {

struct AreaName {
  std::string name;
  // Where it came from: "option" (--area-name), "field LAD13NM" (the value
  // every ward shares in a local-authority name field), "bundled wards",
  // "file name".
  std::string source;
};

// `configured` when not empty; else the value every ward has in a
// local-authority name field (LAD13NM, LAD22NM, ... , any LAD*NM); else
// "County Durham" for the bundled wards (their file has no such field);
// else the ward file's name without directories and extension; else "".
AreaName area_name(const std::string& configured, const BoundaryLayer& wards,
                   const std::string& wards_path);

// Names of the town centres whose polygon shares no area with any ward, in
// layer order. None when there are no wards (nothing to compare with).
std::vector<std::string> town_centres_outside_wards(const BoundaryLayer& wards,
                                                    const BoundaryLayer& town_centres);

}  // namespace hotspot::data
