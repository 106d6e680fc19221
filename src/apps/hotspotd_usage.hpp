#pragma once
// hotspotd's --help text (hotspotd_usage.cpp): every option in one place.

#include <ostream>

namespace hotspot::apps {

void hotspotd_usage(std::ostream& out);

}  // namespace hotspot::apps
