#include "hotspot/http/cache.hpp"

#include "hotspot/http/representation.hpp"

namespace hotspot::http {
namespace {

// What an entry holds: its body, or its representation's forms.
std::size_t stored_bytes(const Response& response) {
  const Representation* r = response.representation.get();
  return response.body.size() + (r ? r->identity.size() + r->gzip.size() : 0);
}

}  // namespace

std::shared_ptr<const Response> ResponseCache::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void ResponseCache::put(const std::string& key, std::shared_ptr<const Response> response) {
  if (!response || stored_bytes(*response) > max_bytes_ || max_entries_ == 0) return;
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    bytes_ -= stored_bytes(*it->second->second);
    order_.erase(it->second);
    index_.erase(it);
  }
  bytes_ += stored_bytes(*response);
  order_.emplace_front(key, std::move(response));
  index_[key] = order_.begin();
  evict_locked();
}

void ResponseCache::evict_locked() {
  while (!order_.empty() && (order_.size() > max_entries_ || bytes_ > max_bytes_)) {
    bytes_ -= stored_bytes(*order_.back().second);
    index_.erase(order_.back().first);
    order_.pop_back();
  }
}

std::size_t ResponseCache::size() const {
  std::lock_guard lock(mutex_);
  return order_.size();
}

std::size_t ResponseCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace hotspot::http
