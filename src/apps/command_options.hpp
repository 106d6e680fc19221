#pragma once
// The command line's --NAME VALUE options, as the hotspot subcommands take them.

#include <map>
#include <string>

namespace hotspot::apps {

using Options = std::multimap<std::string, std::string>;

// The value of --name (removed from `options`, so that what is left over is
// unknown), or `fallback` when it was not given.
inline std::string take(Options& options, const std::string& name,
                        const std::string& fallback = "") {
  const auto it = options.find(name);
  if (it == options.end()) return fallback;
  std::string value = it->second;
  options.erase(it);
  return value;
}

}  // namespace hotspot::apps
