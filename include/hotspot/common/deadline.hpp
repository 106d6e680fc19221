#pragma once
// When a request's work must stop: at its deadline, or earlier when it is
// cancelled (the client went away, the server is stopping). Long loops ask
// expired() every few thousand steps and stop early; whoever started the
// work then reports the timeout as an error value. Shared between the
// thread that cancels and the threads that work, so cancel() is atomic.

#include "hotspot/common/error.hpp"

#include <atomic>
#include <chrono>

namespace hotspot {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  // Never expires and cannot be cancelled: for work run outside a request.
  static const Deadline& none() {
    static const Deadline forever;
    return forever;
  }

  Deadline() = default;
  explicit Deadline(Clock::duration budget) : at_(Clock::now() + budget) {}
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }

  // A clock read (tens of nanoseconds): call it per row or per block of
  // items, not per item.
  bool expired() const noexcept {
    return cancelled() || (at_ != Clock::time_point::max() && Clock::now() >= at_);
  }

  Clock::time_point at() const noexcept { return at_; }

 private:
  Clock::time_point at_ = Clock::time_point::max();
  std::atomic<bool> cancelled_{false};
};

// What stopped work reports; the HTTP layer turns it into a 503 with
// Retry-After and its own wording (it knows the configured limit).
inline Error deadline_error() {
  return make_error(ErrorCode::deadline_exceeded,
                    "The work was stopped at its time limit or because it was cancelled");
}

}  // namespace hotspot
