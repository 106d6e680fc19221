#pragma once
// A minimal fork-join over contiguous index ranges, private to the data module.

#include <algorithm>
#include <cstddef>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace hotspot::data::detail {

inline unsigned resolve_threads(unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  return std::min(threads, 64u);
}

// Calls fn(worker, begin, end) for `workers` contiguous slices of [0, n); the
// calling thread takes slice 0. Fewer workers are used when n is small, and a
// slice whose thread cannot be started runs on the calling thread.
template <typename Fn>
void parallel_slices(std::size_t n, unsigned threads, std::size_t min_per_worker, Fn&& fn) {
  const std::size_t useful = std::max<std::size_t>(1, n / std::max<std::size_t>(1, min_per_worker));
  const std::size_t workers = std::min<std::size_t>(resolve_threads(threads), useful);
  const std::size_t chunk = (n + workers - 1) / std::max<std::size_t>(1, workers);
  std::vector<std::thread> pool;
  std::vector<std::size_t> inline_slices;
  for (std::size_t w = 1; w < workers; ++w) {
    const std::size_t begin = std::min(n, w * chunk), end = std::min(n, (w + 1) * chunk);
    try {
      pool.emplace_back([&fn, w, begin, end] { fn(w, begin, end); });
    } catch (const std::system_error&) {
      inline_slices.push_back(w);
    }
  }
  fn(std::size_t{0}, std::size_t{0}, std::min(n, chunk));
  for (std::size_t w : inline_slices) fn(w, std::min(n, w * chunk), std::min(n, (w + 1) * chunk));
  for (std::thread& t : pool) t.join();
}

// The slice [begin, end) that worker `w` of `workers` gets from parallel_slices.
inline std::pair<std::size_t, std::size_t> slice_range(std::size_t n, std::size_t workers, std::size_t w) {
  const std::size_t chunk = (n + workers - 1) / std::max<std::size_t>(1, workers);
  return {std::min(n, w * chunk), std::min(n, (w + 1) * chunk)};
}

// How many workers parallel_slices will use (to size per-worker state).
inline std::size_t slice_count(std::size_t n, unsigned threads, std::size_t min_per_worker) {
  const std::size_t useful = std::max<std::size_t>(1, n / std::max<std::size_t>(1, min_per_worker));
  return std::min<std::size_t>(resolve_threads(threads), useful);
}

}  // namespace hotspot::data::detail
