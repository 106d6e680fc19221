#include "hotspot/http/store_poller.hpp"

#include <cstdio>

namespace hotspot::http {

StorePoller::StorePoller(std::shared_ptr<const data::SourceStore> store, const data::Store& served,
                         std::chrono::milliseconds interval, std::function<void()> reload)
    : store_(std::move(store)),
      served_(served),
      interval_(interval),
      reload_(std::move(reload)),
      thread_([this] { run(); }) {}

StorePoller::~StorePoller() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void StorePoller::run() {
  bool reported = false;  // a store that cannot be read is logged once, not every poll
  std::int64_t tried = served_.current()->store_version;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
    lock.unlock();
    const auto version = store_->version();
    if (!version) {
      if (!reported) std::fprintf(stderr, "store: %s\n", version.error().message.c_str());
      reported = true;
    } else {
      reported = false;
      if (*version != served_.current()->store_version && *version != tried) {
        tried = *version;
        std::fprintf(stderr, "store: version %lld (serving %lld): reloading\n",
                     static_cast<long long>(*version),
                     static_cast<long long>(served_.current()->store_version));
        reload_();
      }
    }
    lock.lock();
  }
}

}  // namespace hotspot::http
