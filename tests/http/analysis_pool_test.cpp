// The analysis pool: every queued job runs, no more than `workers` at once,
// a full queue refuses at once, and stop() still runs what was queued.

#include "hotspot/http/analysis_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace hotspot::http {
namespace {

// Jobs that wait until released, counting how many run at once.
struct Gate {
  std::mutex mutex;
  std::condition_variable opened;
  bool open = false;
  std::atomic<int> running{0}, most{0}, done{0};

  AnalysisPool::Job job() {
    return [this] {
      const int now = ++running;
      for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      std::unique_lock lock(mutex);
      opened.wait(lock, [this] { return open; });
      --running;
      ++done;
    };
  }
  void release() {
    {
      std::lock_guard lock(mutex);
      open = true;
    }
    opened.notify_all();
  }
};

void wait_until(const std::function<bool()>& condition) {
  for (int i = 0; i < 500 && !condition(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST(AnalysisPool, RunsAtMostWorkersAtOnceAndRefusesBeyondTheQueue) {
  Gate gate;
  AnalysisPool pool(2, 3);
  int accepted = 0;
  for (int i = 0; i < 5; ++i) accepted += pool.submit(gate.job());
  EXPECT_EQ(accepted, 5);  // two running, three waiting
  wait_until([&] { return pool.running() == 2; });
  EXPECT_EQ(pool.running(), 2u);
  EXPECT_EQ(pool.queued(), 3u);
  EXPECT_FALSE(pool.submit(gate.job())) << "a sixth job is one too many";
  gate.release();
  wait_until([&] { return gate.done == 5; });
  EXPECT_EQ(gate.done, 5);
  EXPECT_EQ(gate.most, 2);
  EXPECT_TRUE(pool.submit([] {}));  // room again
}

TEST(AnalysisPool, StopRunsWhatWasQueuedThenRefuses) {
  std::atomic<int> done{0};
  AnalysisPool pool(1, 10);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(pool.submit([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      ++done;
    }));
  }
  pool.stop();
  EXPECT_EQ(done, 5);
  EXPECT_FALSE(pool.submit([] {}));
}

}  // namespace
}  // namespace hotspot::http
