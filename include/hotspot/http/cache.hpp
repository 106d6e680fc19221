#pragma once
// An LRU cache of rendered analysis answers, keyed by endpoint, normalised
// parameters and snapshot version (so a reload never serves stale answers).
// Bounded by entry count and total body bytes; safe to share between threads.

#include "hotspot/http/request.hpp"

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hotspot::http {

class ResponseCache {
 public:
  ResponseCache(std::size_t max_entries, std::size_t max_bytes)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  // The cached answer (and marks it most recently used), or nullptr.
  std::shared_ptr<const Response> get(const std::string& key);
  // Stores an answer; one larger than the whole budget is not kept.
  void put(const std::string& key, std::shared_ptr<const Response> response);

  std::size_t size() const;
  std::size_t bytes() const;

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const Response>>;
  void evict_locked();

  mutable std::mutex mutex_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
  std::size_t max_entries_;
  std::size_t max_bytes_;
};

}  // namespace hotspot::http
