#include "hotspot/engine/evaluate.hpp"

#include "hotspot/engine/clusters.hpp"
#include "hotspot/engine/gistar.hpp"
#include "hotspot/engine/kde.hpp"
#include "hotspot/geo/geos.hpp"
#include "hotspot/geo/polygon_index.hpp"

#include <algorithm>
#include <limits>

namespace hotspot::engine {
namespace {

constexpr std::string_view kPeriodNames[] = {"train_from", "train_to", "test_from", "test_to"};
constexpr double kGiStarDefaultCell = 250;

Error invalid(std::string message) {
  return make_error(ErrorCode::invalid_parameter, std::move(message));
}

// The selection limited to one period (the endpoint's selection has no dates).
SelectionParams in_period(const SelectionParams& selection, analysis::Period period) {
  SelectionParams out = selection;
  out.filter.from_day = period.from_day;
  out.filter.to_day = period.to_day;
  return out;
}

// The existing endpoints' parameters for the training fit, so the fit is
// exactly what /api/hotspots/kde, /gistar or /dbscan answers for that period.
KdeParams kde_fit(const EvaluateParams& p) {
  KdeParams out;
  out.selection = in_period(p.selection, p.train);
  out.kde = p.kde;
  out.kde.cell_size = p.cell;
  out.threshold = 1;  // the surface is what is used; its listed cells are only the peak
  return out;
}

GiStarParams gistar_fit(const EvaluateParams& p) {
  GiStarParams out;
  out.selection = in_period(p.selection, p.train);
  out.gi = p.gi;
  out.band = p.gi.band;
  out.cell = p.cell;
  return out;
}

DbscanParams dbscan_fit(const EvaluateParams& p) {
  DbscanParams out;
  out.selection = in_period(p.selection, p.train);
  out.dbscan = p.dbscan;
  return out;
}

// Counts per cell of `grid` for a selection's rows.
std::vector<double> counts_on(const data::Snapshot& snapshot, const analysis::Selection& selection,
                              const analysis::GridGeometry& grid) {
  const Points points = selected_points(snapshot, selection);
  return analysis::bin_points(points.xs, points.ys, grid).counts;
}

// How many of a selection's rows lie in any of the polygons.
std::size_t inside(const data::Snapshot& snapshot, const analysis::Selection& selection,
                   const geo::PolygonIndex& index) {
  const Points points = selected_points(snapshot, selection);
  std::vector<std::int32_t> where(points.xs.size());
  index.locate_all(points.xs, points.ys, where);
  return static_cast<std::size_t>(std::count_if(
      where.begin(), where.end(), [](std::int32_t w) { return w != geo::PolygonIndex::kNone; }));
}

Expected<EvaluateResult> dbscan_scores(const data::Snapshot& snapshot, const EvaluateParams& p,
                                       EvaluateResult out, const Deadline& deadline) {
  auto fit = run(snapshot, dbscan_fit(p), deadline);
  if (!fit) return fit.error();
  out.train = std::move(fit->selection);
  std::vector<geo::Geometry> polygons;
  analysis::HotspotScore s;
  for (const analysis::ClusterSummary& c : fit->run.summaries.clusters) {
    if (c.hull.empty()) continue;  // members on one spot or line: no area to hold anything
    out.hulls.push_back(c.hull);
    polygons.push_back(geo::make_multipolygon(c.hull));
    s.area_m2 += c.area_m2;
  }
  std::vector<const GEOSGeom_t*> borrowed;
  for (const auto& g : polygons) {
    if (g) borrowed.push_back(g.get());
  }
  const geo::PolygonIndex index(borrowed);
  s.test_in = inside(snapshot, out.test, index);
  s.train_in = inside(snapshot, out.train, index);
  s.test_total = out.test.rows.size();
  s.train_total = out.train.rows.size();
  // PEI's best: the test period's best whole cells whose area fits in the hulls'.
  auto grid = analysis::aligned_grid(study_extent(snapshot), p.cell);
  if (!grid) return make_error(ErrorCode::payload_too_large, grid.error().message);
  out.grid = *grid;
  const std::size_t k = analysis::cells_within(1, s.area_m2, p.cell * p.cell);
  s.best_test_in = static_cast<std::size_t>(
      analysis::best_cells_total(counts_on(snapshot, out.test, out.grid), k));
  analysis::finish_score(s, out.study_area_m2);
  out.scores.push_back(s);
  return out;
}

}  // namespace

std::string_view evaluate_method_name(EvaluateMethod method) {
  switch (method) {
    case EvaluateMethod::gistar: return "gistar";
    case EvaluateMethod::dbscan: return "dbscan";
    case EvaluateMethod::kde: break;
  }
  return "kde";
}

Expected<EvaluateParams> EvaluateParams::parse(const Query& query, const data::Snapshot& snapshot) {
  auto parsed = parse_selection_of<EvaluateParams>(query, snapshot, false);
  if (!parsed) return parsed;
  EvaluateParams& out = *parsed;
  std::int32_t* days[] = {&out.train.from_day, &out.train.to_day, &out.test.from_day,
                          &out.test.to_day};
  for (int k = 0; k < 4; ++k) {
    auto day = required_date(query, kPeriodNames[k]);
    if (!day) return day.error();
    *days[k] = *day;
  }
  if (const auto* text = query.get("method")) {
    if (*text == "kde") {
      out.method = EvaluateMethod::kde;
    } else if (*text == "gistar") {
      out.method = EvaluateMethod::gistar;
    } else if (*text == "dbscan") {
      out.method = EvaluateMethod::dbscan;
    } else {
      return invalid("Parameter 'method': '" + *text + "' is not kde, gistar or dbscan");
    }
  }
  for (auto [name, method] : {std::pair{"bandwidth", EvaluateMethod::kde},
                              std::pair{"band", EvaluateMethod::gistar}}) {
    if (query.has(name) && out.method != method) {
      return invalid("Parameter '" + std::string(name) + "' applies only with method=" +
                     std::string(evaluate_method_name(method)));
    }
  }
  if (const auto* text = query.get("coverage")) {
    if (out.method == EvaluateMethod::dbscan) {
      return invalid("Parameter 'coverage' does not apply with method=dbscan: the clusters' hulls "
                     "cover their own area");
    }
    auto values = parse_numbers("coverage", *text);
    if (!values) return values.error();
    out.coverage = std::move(*values);
  }
  if (out.method == EvaluateMethod::gistar) out.cell = kGiStarDefaultCell;
  for (auto [name, field] : {std::pair{"cell", &out.cell}, std::pair{"bandwidth", &out.kde.bandwidth},
                             std::pair{"band", &out.gi.band}}) {
    auto value = query.parsed(name, parse_number);
    if (!value) return value.error();
    *field = value->value_or(*field);
  }
  auto dbscan = parse_dbscan_where(query, out.method == EvaluateMethod::dbscan, "method=dbscan");
  if (!dbscan) return dbscan.error();
  out.dbscan = *dbscan;
  return validated(std::move(parsed));
}

std::optional<Error> EvaluateParams::validate() const {
  const analysis::Period periods[] = {train, test};
  for (int k = 0; k < 2; ++k) {
    if (periods[k].from_day > periods[k].to_day) {
      return invalid("Parameter '" + std::string(kPeriodNames[2 * k + 1]) + "' is before '" +
                     std::string(kPeriodNames[2 * k]) + "'");
    }
  }
  if (train.from_day <= test.to_day && test.from_day <= train.to_day) {
    return invalid("Parameters 'train_from'..'train_to' and 'test_from'..'test_to' overlap: a "
                   "hotspot map is scored on incidents it was not fitted to");
  }
  if (coverage.empty() || coverage.size() > kMaxCoverages) {
    return invalid("Parameter 'coverage': give 1 to " + std::to_string(kMaxCoverages) +
                   " percentages of the study area");
  }
  for (std::size_t i = 0; i < coverage.size(); ++i) {
    if (!(coverage[i] > 0 && coverage[i] <= 100)) {
      return invalid("Parameter 'coverage': " + format_number(coverage[i]) +
                     " is not a percentage above 0 and at most 100");
    }
    if (i > 0 && !(coverage[i] > coverage[i - 1])) {
      return invalid("Parameter 'coverage': values must be strictly ascending");
    }
  }
  switch (method) {
    case EvaluateMethod::kde: return kde_fit(*this).validate();
    case EvaluateMethod::gistar: return gistar_fit(*this).validate();
    case EvaluateMethod::dbscan: break;
  }
  if (!(cell >= analysis::kMinGridCell && cell <= analysis::kMaxGridCell)) {
    return invalid("Parameter 'cell': must be between 10 and 5000 metres");
  }
  return dbscan_fit(*this).validate();
}

Canonical EvaluateParams::canonical() const {
  Canonical out;
  selection.append_canonical(out);
  out.emplace_back("train_from", format_date(train.from_day));
  out.emplace_back("train_to", format_date(train.to_day));
  out.emplace_back("test_from", format_date(test.from_day));
  out.emplace_back("test_to", format_date(test.to_day));
  out.emplace_back("method", std::string(evaluate_method_name(method)));
  out.emplace_back("coverage", method == EvaluateMethod::dbscan ? "" : format_numbers(coverage));
  out.emplace_back("cell", format_number(cell));
  out.emplace_back("bandwidth", method == EvaluateMethod::kde ? format_number(kde.bandwidth) : "");
  out.emplace_back("band", method == EvaluateMethod::gistar ? format_number(gi.band) : "");
  append_dbscan_canonical(out, dbscan, method == EvaluateMethod::dbscan);
  return out;
}

Expected<EvaluateResult> run(const data::Snapshot& snapshot, const EvaluateParams& params,
                             const Deadline& deadline) {
  EvaluateResult out;
  out.study_area_m2 = window_area_m2(snapshot, params.selection.filter);
  if (!(out.study_area_m2 > 0)) {
    return invalid("/api/evaluate needs the ward layer: the hotspots' area is measured as a share "
                   "of the study area's wards");
  }
  out.test = select(snapshot, in_period(params.selection, params.test));
  if (params.method == EvaluateMethod::dbscan) {
    return dbscan_scores(snapshot, params, std::move(out), deadline);
  }
  // Grid methods: a score per cell from the training fit, ranked.
  std::vector<double> score, train_counts;
  if (params.method == EvaluateMethod::kde) {
    auto fit = run(snapshot, kde_fit(params), deadline);
    if (!fit) return fit.error();
    out.train = std::move(fit->selection);
    out.grid = fit->surface.grid;
    score = std::move(fit->surface.density);
    train_counts = counts_on(snapshot, out.train, out.grid);
  } else {
    auto fit = run(snapshot, gistar_fit(params), deadline);
    if (!fit) return fit.error();
    out.train = std::move(fit->selection);
    out.grid = fit->grid;
    // Only the published hot cells rank (public mode withholds some); a
    // cold or insignificant cell is never a hotspot.
    score.assign(out.grid.size(), -std::numeric_limits<double>::infinity());
    for (std::size_t cell : fit->features) {
      if (fit->stats.bin[cell] > 0) score[cell] = fit->stats.z[cell];
    }
    train_counts = std::move(fit->counts);
  }
  if (deadline.expired()) return deadline_error();
  std::vector<double> shares;
  for (double c : params.coverage) shares.push_back(c / 100);
  const std::vector<double> test_counts = counts_on(snapshot, out.test, out.grid);
  auto scored = analysis::score_grid(score, 0, train_counts, test_counts, out.train.rows.size(),
                                     out.test.rows.size(), out.grid, out.study_area_m2, shares);
  out.ranked = std::move(scored.ranked);
  out.scores = std::move(scored.scores);
  return out;
}

}  // namespace hotspot::engine
