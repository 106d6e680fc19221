#pragma once
// Keeps a server's snapshot in step with a store that others change too
// (other replicas over one PostgreSQL, `hotspot sources` beside a running
// server): every interval it reads the store's version and reloads when it
// differs from the one served (once per version: a refused reload is not
// retried until the store changes again).

#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/source_store.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace hotspot::http {

class StorePoller {
 public:
  StorePoller(std::shared_ptr<const data::SourceStore> store, const data::Store& served,
              std::chrono::milliseconds interval, std::function<void()> reload);
  ~StorePoller();  // stops and joins
  StorePoller(const StorePoller&) = delete;
  StorePoller& operator=(const StorePoller&) = delete;

 private:
  void run();

  std::shared_ptr<const data::SourceStore> store_;
  const data::Store& served_;
  std::chrono::milliseconds interval_;
  std::function<void()> reload_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace hotspot::http
