#pragma once
// How hotspotd divides a memory budget (--memory-budget): the loaded data
// first, an eighth of the budget for the response cache, and what is left
// for analyses running at once, each allowed kAnalysisBytes. The allowance
// is measured, not derived: under 512 connections of varying analyses the
// resident size grew by about 366 MiB per running analysis (its grids, its
// answer and the copies of it in the cache and on their way to clients);
// docs/benchmarks.md has the runs.

#include <cstddef>

namespace hotspot::http {

struct MemoryPlan {
  std::size_t cache_bytes = 0;
  unsigned analysis_workers = 1;
  bool fits = true;  // false: even one analysis exceeds the budget
};

inline constexpr std::size_t kAnalysisBytes = std::size_t{384} << 20;
// What the data costs in memory per incident row, including its share of
// the indexes (measured: 58 bytes per row on the 1M-row file).
inline constexpr std::size_t kBytesPerIncident = 64;

// `cores`: the most analyses worth running at once.
MemoryPlan plan_memory(std::size_t budget_bytes, std::size_t incidents, unsigned cores);

}  // namespace hotspot::http
