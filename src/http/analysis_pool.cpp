#include "hotspot/http/analysis_pool.hpp"

#include <algorithm>
#include <malloc.h>

namespace hotspot::http {

AnalysisPool::AnalysisPool(unsigned workers, std::size_t capacity) : capacity_(capacity) {
  threads_.reserve(std::max(1u, workers));
  for (unsigned i = 0; i < std::max(1u, workers); ++i) threads_.emplace_back([this] { work(); });
}

AnalysisPool::~AnalysisPool() { stop(); }

void AnalysisPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
  }
}

bool AnalysisPool::submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    // Room for the queue's capacity plus a job per idle worker.
    const std::size_t idle = threads_.size() - std::min(running_, threads_.size());
    if (stopping_ || queue_.size() >= capacity_ + idle) return false;
    queue_.push_back(std::move(job));
  }
  ready_.notify_one();
  return true;
}

std::size_t AnalysisPool::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

std::size_t AnalysisPool::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void AnalysisPool::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Stopping still empties the queue: every queued job answers its client.
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    job();
    job = nullptr;  // its captures (snapshot, answer) go before the trim below
    bool idle = false;
    {
      std::lock_guard lock(mutex_);
      idle = --running_ == 0 && queue_.empty();
    }
    // Analyses allocate and free large grids and answers on several threads;
    // glibc keeps what they freed in per-thread arenas. When the pool goes
    // idle, that memory goes back to the system, so the resident size falls
    // back after a busy spell instead of staying at its peak.
    if (idle) malloc_trim(0);
  }
}

}  // namespace hotspot::http
