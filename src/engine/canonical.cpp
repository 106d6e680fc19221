#include "hotspot/engine/canonical.hpp"

#include <cstdio>

namespace hotspot::engine {
namespace {

bool plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '~' || c == ',' || c == ':' || c == '-';
}

void append_encoded(std::string& out, const std::string& text) {
  for (char c : text) {
    if (plain(c)) {
      out.push_back(c);
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", static_cast<unsigned char>(c));
      out.append(buffer);
    }
  }
}

}  // namespace

std::string to_query(const Canonical& canonical) {
  std::string out;
  for (const auto& [name, value] : canonical) {
    if (value.empty()) continue;
    if (!out.empty()) out.push_back('&');
    append_encoded(out, name);
    out.push_back('=');
    append_encoded(out, value);
  }
  return out;
}

}  // namespace hotspot::engine
