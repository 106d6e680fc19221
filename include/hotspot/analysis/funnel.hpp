#pragma once
// Why rows left a selection, step by step: the selection funnel. Each filter
// a request sets is one step, in the order select() applies them; a row is
// counted at the first step it fails, so every step's `entering` is the
// previous step's `entering - removed`, and the last step's kept rows are
// the selection. Real police.uk data has only the month of each crime, so a
// day-of-week or time-of-day filter removes all of it; the funnel says so
// (removed_month_only) instead of leaving an empty map unexplained.

#include "hotspot/data/local_time.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace hotspot::analysis {

// In the order applied. Steps a request does not set are not in the funnel.
enum class FunnelStep : std::uint8_t {
  category,  // category=
  domestic,  // domestic=exclude|only
  alcohol,   // alcohol=
  dates,     // from=, to=
  days,      // days=
  window,    // window=
  area,      // ward=, group=, bbox=
  scope,     // scope=town-centres|buffer
};
inline constexpr std::size_t kFunnelSteps = 8;

// The API's name of a step ("category", "dates", ..., "scope").
std::string_view funnel_step_name(FunnelStep step);

struct FunnelCount {
  FunnelStep step = FunnelStep::category;
  std::size_t entering = 0;  // rows reaching this step
  std::size_t removed = 0;   // rows this step removed (each row counted once)
  // Of `removed`, rows whose time is too coarse for the step to place them
  // (a month-only row under a day-of-week filter, or a month only partly in
  // a date range; a day-only row under a time-of-day window). The rest were
  // placed, and placed outside.
  std::size_t removed_month_only = 0;
  std::size_t removed_day_only = 0;
  // Of `removed`, rows the step could not judge for want of data (a
  // town-centre scope with no town centres loaded).
  std::size_t removed_unjudged = 0;

  std::size_t kept() const { return entering - removed; }
  std::size_t removed_placed_outside() const {
    return removed - removed_month_only - removed_day_only - removed_unjudged;
  }
};

// Per-row tallies select() keeps while it runs: for each first failing step
// (kFunnelSteps = kept, one more slot for rows public mode hides), whether
// that failure was for want of time precision, and the row's precision.
struct FunnelTally {
  static constexpr std::size_t kKept = kFunnelSteps;
  static constexpr std::size_t kHidden = kFunnelSteps + 1;  // public mode's domestic rows
  // [first failing step or kKept/kHidden][coarse][TimePrecision]
  std::array<std::array<std::array<std::size_t, 3>, 2>, kFunnelSteps + 2> rows{};

  std::size_t count(std::size_t slot) const;
  std::size_t count(std::size_t slot, bool coarse, data::TimePrecision precision) const {
    return rows[slot][coarse ? 1 : 0][static_cast<std::size_t>(precision)];
  }
};

// The funnel of the steps in `active` (bit per FunnelStep), from a tally.
// Rows public mode hides never enter it. `unjudged_scope`: the scope step
// could judge no row (no town centres loaded).
std::vector<FunnelCount> make_funnel(const FunnelTally& tally, std::uint32_t active,
                                     bool unjudged_scope);

}  // namespace hotspot::analysis
