#pragma once
// The threads that run analyses: at most `workers` at once, and a bounded
// queue of waiting ones. A full queue refuses new work at once (the server
// answers 503 with Retry-After) rather than letting requests pile up; cheap
// answers never enter the pool, so they are not held up by it.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hotspot::http {

class AnalysisPool {
 public:
  using Job = std::function<void()>;

  // workers >= 1; capacity: jobs that may wait besides the running ones.
  AnalysisPool(unsigned workers, std::size_t capacity);
  ~AnalysisPool();  // stop()
  AnalysisPool(const AnalysisPool&) = delete;
  AnalysisPool& operator=(const AnalysisPool&) = delete;

  // Queues the job; false (and the job is not kept) when the queue is full
  // or the pool is stopping. Jobs must not throw.
  bool submit(Job job);

  // Refuses new jobs, runs the queued ones, joins the workers; idempotent.
  void stop();

  std::size_t running() const;
  std::size_t queued() const;
  unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

 private:
  void work();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> queue_;
  std::size_t capacity_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace hotspot::http
