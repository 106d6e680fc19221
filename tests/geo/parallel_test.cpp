#include "hotspot/geo/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace hotspot::geo {
namespace {

TEST(Parallel, ResolveThreadsMeansHardwareForZeroAndIsCapped) {
  EXPECT_GE(resolve_threads(0), 1u);
  EXPECT_EQ(resolve_threads(3), 3u);
  EXPECT_EQ(resolve_threads(1000), 64u);
}

TEST(Parallel, SliceCountKeepsEnoughItemsPerWorker) {
  EXPECT_EQ(slice_count(0, 4, 100), 1u);
  EXPECT_EQ(slice_count(399, 4, 100), 3u);
  EXPECT_EQ(slice_count(400, 4, 100), 4u);
  EXPECT_EQ(slice_count(1'000'000, 4, 100), 4u);
  EXPECT_EQ(slice_count(10, 4, 0), 4u);  // 0 is taken as 1
}

TEST(Parallel, SlicesCoverTheRangeInOrderOncePerWorker) {
  for (std::size_t n : {0u, 1u, 7u, 4096u, 100'003u}) {
    for (unsigned threads : {1u, 2u, 3u, 8u}) {
      const std::size_t workers = slice_count(n, threads, 1000);
      std::vector<std::pair<std::size_t, std::size_t>> seen(workers, {1, 0});
      std::vector<int> calls(workers, 0);
      std::mutex m;
      parallel_slices(n, threads, 1000, [&](std::size_t w, std::size_t b, std::size_t e) {
        std::lock_guard lock(m);
        ASSERT_LT(w, workers);
        ++calls[w];
        seen[w] = {b, e};
        EXPECT_EQ(std::pair(b, e), slice_range(n, workers, w));
      });
      std::size_t next = 0;
      for (std::size_t w = 0; w < workers; ++w) {
        EXPECT_EQ(calls[w], 1) << "n " << n << " worker " << w;
        EXPECT_EQ(seen[w].first, next) << "n " << n << " worker " << w;
        next = seen[w].second;
      }
      EXPECT_EQ(next, n);
    }
  }
}

TEST(Parallel, CallingThreadRunsWorkerZero) {
  const auto caller = std::this_thread::get_id();
  std::atomic<int> ran{0};
  std::thread::id zero;
  fork_join(4, [&](std::size_t w) {
    if (w == 0) zero = std::this_thread::get_id();
    ++ran;
  });
  EXPECT_EQ(ran.load(), 4);
  EXPECT_EQ(zero, caller);
  fork_join(0, [&](std::size_t) { ++ran; });
  EXPECT_EQ(ran.load(), 4);
}

TEST(Parallel, WorkersAreJoinedWhenTheCallingThreadThrows) {
  std::atomic<int> finished{0};
  EXPECT_THROW(fork_join(3,
                         [&](std::size_t w) {
                           if (w == 0) throw std::runtime_error("worker 0");
                           ++finished;
                         }),
               std::runtime_error);
  EXPECT_EQ(finished.load(), 2);
}

}  // namespace
}  // namespace hotspot::geo
