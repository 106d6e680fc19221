// The memory budget's division: an eighth for the cache, the data, then as
// many analyses as fit (never more than the cores, never fewer than one).

#include "hotspot/http/memory_budget.hpp"

#include <gtest/gtest.h>

namespace hotspot::http {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

TEST(MemoryBudget, DividesTheBudget) {
  for (unsigned cores : {1u, 2u, 4u, 16u, 64u}) {
    for (std::size_t budget_mib : {256u, 512u, 1024u, 2048u, 8192u}) {
      for (std::size_t incidents : {std::size_t{0}, std::size_t{20000}, std::size_t{1000000}}) {
        const MemoryPlan plan = plan_memory(budget_mib * kMiB, incidents, cores);
        const std::size_t fixed = incidents * kBytesPerIncident + budget_mib * kMiB / 8;
        // The largest count that fits, by counting up.
        std::size_t fit = 0;
        while (fixed + (fit + 1) * kAnalysisBytes <= budget_mib * kMiB) ++fit;
        EXPECT_EQ(plan.cache_bytes, budget_mib * kMiB / 8);
        EXPECT_EQ(plan.fits, fit >= 1) << budget_mib << " MiB";
        EXPECT_EQ(plan.analysis_workers, std::max<std::size_t>(1, std::min<std::size_t>(fit, cores)))
            << budget_mib << " MiB, " << cores << " cores, " << incidents << " incidents";
      }
    }
  }
}

TEST(MemoryBudget, TheDefaultRunsTwoAnalysesOnTheBundledData) {
  const MemoryPlan plan = plan_memory(1024 * kMiB, 20000, 16);
  EXPECT_EQ(plan.cache_bytes, 128 * kMiB);
  EXPECT_EQ(plan.analysis_workers, 2u);
}

}  // namespace
}  // namespace hotspot::http
