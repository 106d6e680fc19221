#include "hotspot/http/memory_budget.hpp"

#include <algorithm>

namespace hotspot::http {

MemoryPlan plan_memory(std::size_t budget_bytes, std::size_t incidents, unsigned cores) {
  MemoryPlan plan;
  plan.cache_bytes = budget_bytes / 8;
  const std::size_t data = incidents * kBytesPerIncident;
  const std::size_t fixed = data + plan.cache_bytes;
  const std::size_t left = budget_bytes > fixed ? budget_bytes - fixed : 0;
  const std::size_t fit = left / kAnalysisBytes;
  plan.fits = fit >= 1;
  plan.analysis_workers =
      static_cast<unsigned>(std::clamp<std::size_t>(fit, 1, std::max(1u, cores)));
  return plan;
}

}  // namespace hotspot::http
