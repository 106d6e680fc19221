#pragma once
// FNV-1a, private to the data module: a stable hash (std::hash may differ
// between builds) for the snapshot version that goes into cache keys.

#include <cstddef>
#include <cstdint>
#include <string>

namespace hotspot::data::detail {

struct Fnv1a {
  std::uint64_t h = 14695981039346656037ull;
  void add(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= p[i];
      h *= 1099511628211ull;
    }
  }
  void add(const std::string& s) { add(s.data(), s.size() + 1); }  // +1: the terminator separates
  void add(std::int64_t v) { add(&v, sizeof v); }
  void add(std::uint64_t v) { add(&v, sizeof v); }
};

}  // namespace hotspot::data::detail
