#include "hotspot/engine/compare.hpp"

#include <algorithm>
#include <iterator>

namespace hotspot::engine {
namespace {

constexpr std::string_view kPeriodNames[] = {"a_from", "a_to", "b_from", "b_to"};

std::string_view by_name(CompareBy by) {
  switch (by) {
    case CompareBy::town_centres: return "town-centres";
    case CompareBy::groups: return "groups";
    case CompareBy::clusters: return "clusters";
    case CompareBy::wards: break;
  }
  return "wards";
}

Expected<CompareResult> by_clusters(const data::Snapshot& snapshot, const CompareParams& params,
                                    const Deadline& deadline) {
  const data::IncidentTable& t = *snapshot.incidents;
  // The two periods' selections first (no groups), then DBSCAN over both
  // together so a cluster is the same place in each period.
  const std::vector<std::int32_t> none(t.size(), analysis::kNoGroup);
  auto periods = analysis::compare_periods(t, *snapshot.town_centres, params.selection.filter,
                                           params.a, params.b, none, 0);
  if (!periods) return periods.error();
  std::vector<std::uint32_t> rows;
  std::set_union(periods->selection_a.rows.begin(), periods->selection_a.rows.end(),
                 periods->selection_b.rows.begin(), periods->selection_b.rows.end(),
                 std::back_inserter(rows));
  auto run = run_clusters(snapshot, rows, params.dbscan, {},
                          params.selection.disclosure.min_support(), deadline);
  if (!run) return run.error();
  const auto labels = analysis::labels_by_row(t.size(), rows, run->labels.labels);
  analysis::Comparison c = analysis::compare_rows(
      labels, static_cast<std::size_t>(run->labels.cluster_count), periods->selection_a.rows,
      periods->selection_b.rows, periods->exposure_a, periods->exposure_b);
  c.a = params.a;
  c.b = params.b;
  c.selection_a = std::move(periods->selection_a);
  c.selection_b = std::move(periods->selection_b);
  add_nni(snapshot, params.selection.filter, c.selection_a);
  add_nni(snapshot, params.selection.filter, c.selection_b);
  return CompareResult{std::move(c), std::move(*run)};
}

}  // namespace

Expected<CompareParams> CompareParams::parse(const Query& query, const data::Snapshot& snapshot) {
  auto parsed = parse_selection_of<CompareParams>(query, snapshot, false);
  if (!parsed) return parsed;
  CompareParams& out = *parsed;
  std::int32_t* days[] = {&out.a.from_day, &out.a.to_day, &out.b.from_day, &out.b.to_day};
  for (int k = 0; k < 4; ++k) {
    auto day = required_date(query, kPeriodNames[k]);
    if (!day) return day.error();
    *days[k] = *day;
  }
  if (const auto* text = query.get("by")) {
    if (*text == "wards") {
      out.by = CompareBy::wards;
    } else if (*text == "town-centres") {
      out.by = CompareBy::town_centres;
    } else if (*text == "groups") {
      out.by = CompareBy::groups;
    } else if (*text == "clusters") {
      out.by = CompareBy::clusters;
    } else {
      return make_error(ErrorCode::invalid_parameter, "Parameter 'by': '" + *text +
                                                          "' is not wards, town-centres, groups or "
                                                          "clusters");
    }
  }
  auto dbscan = parse_dbscan_where(query, out.by == CompareBy::clusters, "by=clusters");
  if (!dbscan) return dbscan.error();
  out.dbscan = *dbscan;
  return validated(std::move(parsed));
}

std::optional<Error> CompareParams::validate() const {
  if (auto problem = selection.validate()) return problem;
  if (auto problem = analysis::validate_periods(a, b, selection.filter.weekdays)) return problem;
  return by == CompareBy::clusters ? dbscan.validate() : std::nullopt;
}

Canonical CompareParams::canonical() const {
  Canonical out;
  selection.append_canonical(out);
  out.emplace_back("a_from", format_date(a.from_day));
  out.emplace_back("a_to", format_date(a.to_day));
  out.emplace_back("b_from", format_date(b.from_day));
  out.emplace_back("b_to", format_date(b.to_day));
  out.emplace_back("by", std::string(by_name(by)));
  const bool clusters = by == CompareBy::clusters;
  out.emplace_back("eps", clusters ? format_number(dbscan.eps) : "");
  out.emplace_back("min_points", clusters ? std::to_string(dbscan.min_points) : "");
  return out;
}

const data::BoundaryLayer& compared_layer(const data::Snapshot& snapshot, CompareBy by) {
  if (by == CompareBy::groups) return *snapshot.groups->layer;
  return by == CompareBy::town_centres ? *snapshot.town_centres : *snapshot.wards;
}

Expected<CompareResult> run(const data::Snapshot& snapshot, const CompareParams& params,
                            const Deadline& deadline) {
  if (params.by == CompareBy::clusters) return by_clusters(snapshot, params, deadline);
  const data::IncidentTable& t = *snapshot.incidents;
  const data::BoundaryLayer& layer = compared_layer(snapshot, params.by);
  // Groups: each row's group through its ward, as /api/stats/groups counts.
  const std::vector<std::int32_t> group_of_row =
      params.by == CompareBy::groups ? snapshot.groups->group_of_rows(t.ward)
                                     : std::vector<std::int32_t>{};
  const std::span<const std::int32_t> area_of_row =
      params.by == CompareBy::wards    ? std::span<const std::int32_t>(t.ward)
      : params.by == CompareBy::groups ? std::span<const std::int32_t>(group_of_row)
                                       : std::span<const std::int32_t>(t.town_centre);
  auto comparison = analysis::compare_periods(t, *snapshot.town_centres, params.selection.filter,
                                              params.a, params.b, area_of_row, layer.size());
  if (!comparison) return comparison.error();
  if (deadline.expired()) return deadline_error();
  add_nni(snapshot, params.selection.filter, comparison->selection_a);
  add_nni(snapshot, params.selection.filter, comparison->selection_b);
  return CompareResult{std::move(*comparison), std::nullopt};
}

}  // namespace hotspot::engine
