#include "hotspot/analysis/funnel.hpp"

namespace hotspot::analysis {

std::string_view funnel_step_name(FunnelStep step) {
  static constexpr std::array<std::string_view, kFunnelSteps> kNames = {
      "category", "domestic", "alcohol", "dates", "days", "window", "area", "scope"};
  return kNames[static_cast<std::size_t>(step)];
}

std::size_t FunnelTally::count(std::size_t slot) const {
  std::size_t n = 0;
  for (const auto& by_precision : rows[slot]) {
    for (const std::size_t c : by_precision) n += c;
  }
  return n;
}

std::vector<FunnelCount> make_funnel(const FunnelTally& tally, std::uint32_t active,
                                     bool unjudged_scope) {
  // Rows entering the first step: all but those public mode hides.
  std::size_t entering = 0;
  for (std::size_t slot = 0; slot <= FunnelTally::kKept; ++slot) entering += tally.count(slot);

  std::vector<FunnelCount> funnel;
  for (std::size_t s = 0; s < kFunnelSteps; ++s) {
    if (((active >> s) & 1u) == 0) continue;
    FunnelCount step;
    step.step = static_cast<FunnelStep>(s);
    step.entering = entering;
    step.removed = tally.count(s);
    step.removed_month_only = tally.count(s, true, data::TimePrecision::month);
    step.removed_day_only = tally.count(s, true, data::TimePrecision::day);
    if (step.step == FunnelStep::scope && unjudged_scope) {
      step.removed_unjudged = step.removed;
      step.removed_month_only = step.removed_day_only = 0;
    }
    entering -= step.removed;
    funnel.push_back(step);
  }
  return funnel;
}

}  // namespace hotspot::analysis
