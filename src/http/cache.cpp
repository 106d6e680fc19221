#include "hotspot/http/cache.hpp"

namespace hotspot::http {

std::shared_ptr<const Response> ResponseCache::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void ResponseCache::put(const std::string& key, std::shared_ptr<const Response> response) {
  if (!response || response->body.size() > max_bytes_ || max_entries_ == 0) return;
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->second->body.size();
    order_.erase(it->second);
    index_.erase(it);
  }
  bytes_ += response->body.size();
  order_.emplace_front(key, std::move(response));
  index_[key] = order_.begin();
  evict_locked();
}

void ResponseCache::evict_locked() {
  while (!order_.empty() && (order_.size() > max_entries_ || bytes_ > max_bytes_)) {
    bytes_ -= order_.back().second->body.size();
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
