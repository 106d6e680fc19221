#pragma once
// Before/after comparison of two periods, per group of rows: wards, town
// centres, clusters, or any "group index per row" labelling. Each group gets
// its counts in both periods, the change, and an exact two-sided test of
// equal daily rates (poisson_test.hpp), so a change can be told from noise.

#include "hotspot/analysis/poisson_test.hpp"
#include "hotspot/analysis/selection.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/incident_table.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace hotspot::analysis {

inline constexpr std::int32_t kNoGroup = -1;

// Local dates, inclusive (days since 1970-01-01).
struct Period {
  std::int32_t from_day = 0;
  std::int32_t to_day = 0;
};

struct GroupChange {
  std::int32_t group = kNoGroup;    // kNoGroup for the all-groups total
  std::size_t count_a = 0;
  std::size_t count_b = 0;
  std::int64_t change = 0;          // count_b - count_a
  std::optional<double> percent_change;  // 100 (b - a) / a; none when a == 0
  double rate_a = 0;                // per day of exposure
  double rate_b = 0;
  double rate_ratio = 0;            // rate_b / rate_a; +inf when a == 0 < b; NaN when both 0
  double p_value = 1;               // exact, two-sided, for equal rates
};

struct Comparison {
  Period a;
  Period b;
  double exposure_a = 0;            // days counted in each period (see compare_periods)
  double exposure_b = 0;
  std::vector<GroupChange> groups;  // one per group index 0..group_count-1
  GroupChange total;                // every selected row, grouped or not
  std::size_t ungrouped_a = 0;      // selected rows with no group
  std::size_t ungrouped_b = 0;
  Selection selection_a;            // what each period selected (exclusions, rules)
  Selection selection_b;
};

// Fills one group's numbers from its counts and the exposures.
GroupChange make_change(std::int32_t group, std::size_t count_a, std::size_t count_b,
                        double exposure_a, double exposure_b);

// Counts rows_a and rows_b per group (`group_of_row` is indexed by table row;
// negative or >= group_count means no group) and tests each group.
Comparison compare_rows(std::span<const std::int32_t> group_of_row, std::size_t group_count,
                        std::span<const std::uint32_t> rows_a, std::span<const std::uint32_t> rows_b,
                        double exposure_a, double exposure_b);

// Runs the same selection over two periods (params' own date range is
// replaced by each period) and compares per group. Exposure is the number of
// days in the period whose day of the week the selection keeps (a Friday and
// Saturday night filter over 14 days gives 4), so periods of different
// length or weekday mix are compared fairly. Errors: invalid params or
// periods (from after to, overlapping periods, a period with no selected
// weekday), group_of_row shorter than the table.
Expected<Comparison> compare_periods(const data::IncidentTable& table,
                                     const data::BoundaryLayer& town_centres,
                                     const SelectionParams& params, Period a, Period b,
                                     std::span<const std::int32_t> group_of_row,
                                     std::size_t group_count);

// What is wrong with two periods (start after end, overlapping, no day of
// the selected weekdays), naming the API's a_from..b_to; nullopt when valid.
std::optional<Error> validate_periods(Period a, Period b, std::uint8_t weekdays);

// Days in [period.from_day, period.to_day] whose weekday is in the mask.
double exposure_days(Period period, std::uint8_t weekdays);

// Labels given per selected row (e.g. DBSCAN output over selection.rows)
// spread to a table-sized vector, kNoGroup elsewhere, for compare_* and the
// per-group profile.
std::vector<std::int32_t> labels_by_row(std::size_t table_size, std::span<const std::uint32_t> rows,
                                        std::span<const std::int32_t> labels);

}  // namespace hotspot::analysis
