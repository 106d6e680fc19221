#pragma once
// One request's parameters in their one canonical form: every parameter the
// endpoint takes, in a fixed order, with its effective value ("" for an
// absent optional one). The same list is the echo in metadata.parameters,
// the cache key, and the query written into a download's description.

#include <string>
#include <utility>
#include <vector>

namespace hotspot::engine {

using Canonical = std::vector<std::pair<std::string, std::string>>;

// "name=value&..." over the non-empty values, in order; characters outside
// [A-Za-z0-9._~,:-] are percent-encoded so the text is a valid query.
std::string to_query(const Canonical& canonical);

}  // namespace hotspot::engine
