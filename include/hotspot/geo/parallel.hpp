#pragma once
// Fork-join on short-lived threads: the one way every module splits work
// (polygon lookups, loading, DBSCAN, kernel density). It lives in geo, the
// lowest module, so that all of them can use it.
//
// Threads are started per call rather than kept in a pool: the work split is
// large (thousands of items per worker), so starting a thread costs far less
// than the work, and nothing is left running between requests.

#include <algorithm>
#include <cstddef>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace hotspot::geo {

// The thread count to use for a requested one: 0 means one per hardware
// thread. Capped because callers size per-worker state (a transformer, a
// grid of partial sums) by it.
inline unsigned resolve_threads(unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  return std::min(threads, 64u);
}

// Calls fn(worker) for every worker in [0, workers) and returns when all have
// finished. The calling thread runs worker 0 itself; a worker whose thread
// cannot be started runs on the calling thread afterwards, so every worker
// runs exactly once whatever the system allows. Callers index per-worker
// state by the worker number.
template <typename Fn>
void fork_join(std::size_t workers, Fn&& fn) {
  if (workers <= 1) {
    if (workers == 1) fn(std::size_t{0});
    return;
  }
  // Joins on every way out, so that an exception from the calling thread's
  // share does not destroy joinable threads (which would terminate).
  struct Joiner {
    std::vector<std::thread> threads;
    ~Joiner() {
      for (std::thread& t : threads) t.join();
    }
  } pool;
  pool.threads.reserve(workers - 1);
  std::vector<std::size_t> inline_workers;
  for (std::size_t w = 1; w < workers; ++w) {
    try {
      pool.threads.emplace_back([&fn, w] { fn(w); });
    } catch (const std::system_error&) {
      inline_workers.push_back(w);
    }
  }
  fn(std::size_t{0});
  for (std::size_t w : inline_workers) fn(w);
}

// How many workers parallel_slices uses for n items: no more than the
// threads asked for, and none with fewer than min_per_worker items (below
// that a thread costs more than it saves). Size per-worker state with this.
inline std::size_t slice_count(std::size_t n, unsigned threads, std::size_t min_per_worker) {
  const std::size_t useful = std::max<std::size_t>(1, n / std::max<std::size_t>(1, min_per_worker));
  return std::min<std::size_t>(resolve_threads(threads), useful);
}

// The contiguous slice [begin, end) of [0, n) that worker w of `workers` gets;
// slices are in worker order, so per-worker results concatenate in item order.
inline std::pair<std::size_t, std::size_t> slice_range(std::size_t n, std::size_t workers,
                                                       std::size_t w) {
  const std::size_t chunk = (n + workers - 1) / std::max<std::size_t>(1, workers);
  return {std::min(n, w * chunk), std::min(n, (w + 1) * chunk)};
}

// Calls fn(worker, begin, end) for slice_count(n, threads, min_per_worker)
// contiguous slices of [0, n), one per worker, through fork_join.
template <typename Fn>
void parallel_slices(std::size_t n, unsigned threads, std::size_t min_per_worker, Fn&& fn) {
  const std::size_t workers = slice_count(n, threads, min_per_worker);
  fork_join(workers, [&fn, n, workers](std::size_t w) {
    const auto [begin, end] = slice_range(n, workers, w);
    fn(w, begin, end);
  });
}

}  // namespace hotspot::geo
