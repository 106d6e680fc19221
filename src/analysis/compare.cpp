#include "hotspot/analysis/compare.hpp"

#include "hotspot/data/local_time.hpp"

#include <cmath>
#include <limits>

namespace hotspot::analysis {

namespace {

Error invalid(std::string message) {
  return make_error(ErrorCode::invalid_parameter, std::move(message));
}

}  // namespace

double exposure_days(Period period, std::uint8_t weekdays) {
  if (period.to_day < period.from_day) return 0;
  const std::int64_t days = static_cast<std::int64_t>(period.to_day) - period.from_day + 1;
  if ((weekdays & kAllWeekdays) == kAllWeekdays) return static_cast<double>(days);
  // Whole weeks hold each selected weekday once; walk the remainder.
  int per_week = 0;
  for (int d = 0; d < 7; ++d) per_week += (weekdays >> d) & 1;
  std::int64_t count = (days / 7) * per_week;
  const int first = data::weekday_from_days(period.from_day);
  for (std::int64_t k = 0; k < days % 7; ++k) {
    count += (weekdays >> ((first + k) % 7)) & 1;
  }
  return static_cast<double>(count);
}

GroupChange make_change(std::int32_t group, std::size_t count_a, std::size_t count_b,
                        double exposure_a, double exposure_b) {
  GroupChange g;
  g.group = group;
  g.count_a = count_a;
  g.count_b = count_b;
  g.change = static_cast<std::int64_t>(count_b) - static_cast<std::int64_t>(count_a);
  if (count_a > 0) g.percent_change = 100.0 * static_cast<double>(g.change) / static_cast<double>(count_a);
  g.rate_a = exposure_a > 0 ? static_cast<double>(count_a) / exposure_a : 0;
  g.rate_b = exposure_b > 0 ? static_cast<double>(count_b) / exposure_b : 0;
  // The test is written for a against b; the ratio reported is after / before.
  const PoissonComparison test = poisson_rate_test(count_b, count_a, exposure_b, exposure_a);
  g.rate_ratio = test.rate_ratio;
  g.p_value = test.p_value;
  return g;
}

Comparison compare_rows(std::span<const std::int32_t> group_of_row, std::size_t group_count,
                        std::span<const std::uint32_t> rows_a, std::span<const std::uint32_t> rows_b,
                        double exposure_a, double exposure_b) {
  Comparison out;
  out.exposure_a = exposure_a;
  out.exposure_b = exposure_b;
  std::vector<std::size_t> count_a(group_count, 0);
  std::vector<std::size_t> count_b(group_count, 0);
  const auto tally = [&](std::span<const std::uint32_t> rows, std::vector<std::size_t>& counts,
                         std::size_t& ungrouped) {
    for (const std::uint32_t row : rows) {
      const std::int32_t g = row < group_of_row.size() ? group_of_row[row] : kNoGroup;
      if (g < 0 || static_cast<std::size_t>(g) >= group_count) {
        ++ungrouped;
        continue;
      }
      ++counts[static_cast<std::size_t>(g)];
    }
  };
  tally(rows_a, count_a, out.ungrouped_a);
  tally(rows_b, count_b, out.ungrouped_b);
  out.groups.reserve(group_count);
  for (std::size_t g = 0; g < group_count; ++g) {
    out.groups.push_back(
        make_change(static_cast<std::int32_t>(g), count_a[g], count_b[g], exposure_a, exposure_b));
  }
  out.total = make_change(kNoGroup, rows_a.size(), rows_b.size(), exposure_a, exposure_b);
  return out;
}

std::optional<Error> validate_periods(Period a, Period b, std::uint8_t weekdays) {
  if (a.from_day > a.to_day) {
    return invalid("Parameter 'a_from' is after 'a_to': give period A's start on or before its end");
  }
  if (b.from_day > b.to_day) {
    return invalid("Parameter 'b_from' is after 'b_to': give period B's start on or before its end");
  }
  if (a.from_day <= b.to_day && b.from_day <= a.to_day) {
    return invalid("Periods A (a_from..a_to) and B (b_from..b_to) overlap: give two periods "
                   "that share no day");
  }
  if (exposure_days(a, weekdays) <= 0) {
    return invalid("Period A (a_from..a_to) contains none of the selected days of the week");
  }
  if (exposure_days(b, weekdays) <= 0) {
    return invalid("Period B (b_from..b_to) contains none of the selected days of the week");
  }
  return std::nullopt;
}

Expected<Comparison> compare_periods(const data::IncidentTable& table,
                                     const data::BoundaryLayer& town_centres,
                                     const SelectionParams& params, Period a, Period b,
                                     std::span<const std::int32_t> group_of_row,
                                     std::size_t group_count) {
  if (auto error = params.validate()) return *error;
  if (auto error = validate_periods(a, b, params.weekdays)) return *error;
  if (group_count > 0 && group_of_row.size() < table.size()) {
    return make_error(ErrorCode::internal, "group labels cover " +
                                               std::to_string(group_of_row.size()) + " of " +
                                               std::to_string(table.size()) + " rows");
  }
  const double exposure_a = exposure_days(a, params.weekdays);
  const double exposure_b = exposure_days(b, params.weekdays);

  SelectionParams pa = params;
  pa.from_day = a.from_day;
  pa.to_day = a.to_day;
  SelectionParams pb = params;
  pb.from_day = b.from_day;
  pb.to_day = b.to_day;
  Selection sa = select(table, town_centres, pa);
  Selection sb = select(table, town_centres, pb);
  Comparison out = compare_rows(group_of_row, group_count, sa.rows, sb.rows, exposure_a, exposure_b);
  out.a = a;
  out.b = b;
  out.selection_a = std::move(sa);
  out.selection_b = std::move(sb);
  return out;
}

std::vector<std::int32_t> labels_by_row(std::size_t table_size, std::span<const std::uint32_t> rows,
                                        std::span<const std::int32_t> labels) {
  std::vector<std::int32_t> out(table_size, kNoGroup);
  const std::size_t n = std::min(rows.size(), labels.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (rows[i] < table_size) out[rows[i]] = labels[i] < 0 ? kNoGroup : labels[i];
  }
  return out;
}

}  // namespace hotspot::analysis
