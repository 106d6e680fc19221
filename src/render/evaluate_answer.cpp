// /api/evaluate: one feature per coverage, the training period's hotspots
// at that share of the study area, with how they scored on the test period.
#include "hotspot/render/answers.hpp"

#include "hotspot/render/metadata.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace hotspot::render {
namespace {

// Column order of the table below; the derived fields read the row by these.
enum Column : std::size_t {
  kMethod, kCoverage, kAreaKm2, kAreaPercent, kCells, kTestIn, kTrainIn, kTestTotal,
  kTrainTotal, kBestTestIn, kHitRate, kPai, kPei, kRri, kSummary
};

Value real_or_null(double v) { return std::isfinite(v) ? Value(v) : Value(Null{}); }

std::optional<double> number(const std::vector<Value>& row, Column c) {
  if (const auto* i = std::get_if<std::int64_t>(&row[c])) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&row[c])) return *d;
  return std::nullopt;
}

// a / b from the row, Null when either is missing or b is 0.
Value ratio(const std::vector<Value>& row, Column a, Column b) {
  const auto x = number(row, a), y = number(row, b);
  if (!x || !y || *y == 0) return Null{};
  return *x / *y;
}

// The page's plain-words reading, from the published hit rate and area share.
Value summary(const std::vector<Value>& row) {
  const auto hit = number(row, kHitRate), area = number(row, kAreaPercent);
  if (!hit || !area) return Null{};
  char text[160];
  std::snprintf(text, sizeof text,
                "last period's hotspots held %.1f %% of this period's incidents in %.1f %% of the "
                "area",
                *hit * 100, *area);
  return std::string(text);
}

// The chosen cells as rectangles, one per run of neighbouring cells in a
// grid row: far fewer polygons than one square per cell.
Geometry cell_runs(const analysis::GridGeometry& g, std::vector<std::size_t> cells) {
  std::sort(cells.begin(), cells.end());
  geo::MultiPolygonRings parts;
  for (std::size_t k = 0; k < cells.size();) {
    std::size_t end = k + 1;
    const auto row = cells[k] / static_cast<std::size_t>(g.nx);
    while (end < cells.size() && cells[end] == cells[end - 1] + 1 &&
           cells[end] / static_cast<std::size_t>(g.nx) == row) {
      ++end;
    }
    const double x0 = g.origin_x + static_cast<double>(cells[k] % g.nx) * g.cell;
    const double x1 = x0 + static_cast<double>(end - k) * g.cell;
    const double y0 = g.origin_y + static_cast<double>(row) * g.cell, y1 = y0 + g.cell;
    parts.push_back({{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}});
    k = end;
  }
  if (parts.empty()) return {};
  return Geometry::of_polygons(std::move(parts));
}

Geometry hulls_geometry(const std::vector<geo::MultiPolygonRings>& hulls) {
  geo::MultiPolygonRings parts;
  for (const auto& hull : hulls) parts.insert(parts.end(), hull.begin(), hull.end());
  if (parts.empty()) return {};
  return Geometry::of_polygons(std::move(parts));
}

}  // namespace

FeatureAnswer evaluate_answer(const data::Snapshot& snapshot, const engine::EvaluateParams& params,
                              const engine::EvaluateResult& result) {
  FeatureAnswer answer;
  FeatureTable& t = answer.table;
  t.name = "evaluate";
  using enum FieldType;
  using enum Disclosive;
  for (auto [name, type, decimals, disclosive] :
       {std::tuple{"method", text, -1, none}, {"coverage_percent", real, -1, none},
        {"area_km2", real, 4, none}, {"area_percent", real, 3, none}, {"cells", integer, -1, none},
        {"test_incidents", integer, -1, count}, {"train_incidents", integer, -1, count},
        {"test_total", integer, -1, count}, {"train_total", integer, -1, count},
        {"best_test_incidents", integer, -1, count}, {"hit_rate", real, 4, derived},
        {"pai", real, 3, derived}, {"pei", real, 3, derived}, {"rri", real, 3, derived},
        {"summary", text, -1, derived}}) {
    t.fields[t.add_field(name, type, decimals)].disclosive = disclosive;
  }
  // Public mode: every rate again from the published (rounded) counts.
  t.fields[kHitRate].derive = [](const std::vector<Value>& row) {
    return ratio(row, kTestIn, kTestTotal);
  };
  t.fields[kPai].derive = [](const std::vector<Value>& row) -> Value {
    const auto hit = number(row, kHitRate), area = number(row, kAreaPercent);
    if (!hit || !area || *area == 0) return Null{};
    return *hit / (*area / 100);
  };
  t.fields[kPei].derive = [](const std::vector<Value>& row) {
    return ratio(row, kTestIn, kBestTestIn);
  };
  t.fields[kRri].derive = [](const std::vector<Value>& row) -> Value {
    const auto test = ratio(row, kTestIn, kTrainIn), all = ratio(row, kTestTotal, kTrainTotal);
    const auto* a = std::get_if<double>(&test);
    const auto* b = std::get_if<double>(&all);
    if (a == nullptr || b == nullptr || *b == 0) return Null{};
    return *a / *b;
  };
  t.fields[kSummary].derive = [](const std::vector<Value>& row) { return summary(row); };

  const bool grid = params.method != engine::EvaluateMethod::dbscan;
  for (std::size_t k = 0; k < result.scores.size(); ++k) {
    const analysis::HotspotScore& s = result.scores[k];
    Feature f;
    f.id = static_cast<std::int64_t>(k);
    f.geometry = grid ? cell_runs(result.grid, {result.ranked.begin(),
                                                result.ranked.begin() +
                                                    static_cast<std::ptrdiff_t>(s.cells)})
                      : hulls_geometry(result.hulls);
    f.values = {std::string(engine::evaluate_method_name(params.method)),
                grid ? Value(s.coverage * 100) : Value(Null{}),
                s.area_m2 / 1e6,
                s.area_share * 100,
                static_cast<std::int64_t>(s.cells),
                static_cast<std::int64_t>(s.test_in),
                static_cast<std::int64_t>(s.train_in),
                static_cast<std::int64_t>(s.test_total),
                static_cast<std::int64_t>(s.train_total),
                static_cast<std::int64_t>(s.best_test_in),
                real_or_null(s.hit_rate),
                real_or_null(s.pai),
                real_or_null(s.pei),
                real_or_null(s.rri),
                Null{}};
    f.values[kSummary] = summary(f.values);
    t.features.push_back(std::move(f));
  }
  nlohmann::json& m = answer.metadata;
  m = analysis_metadata(snapshot, "evaluate", kEvaluateVersion, params.canonical(), result.test);
  m["counts"]["train"] = selection_counts(result.train);
  m["study_area_km2"] = result.study_area_m2 / 1e6;
  m["definitions"] = {
      {"hit_rate", "n / N: share of the test period's incidents inside the hotspots"},
      {"pai", "(n / N) / (a / A), Chainey, Tompson & Uhlig (2008)"},
      {"pei", "n / n_max, n_max the most test incidents the test period's own best cells of "
              "the same total area hold on the same grid, Hunt (2016)"},
      {"rri", "(n / n_train) / (N / N_train), Levine (2008)"},
      {"area", "A: the selection's wards (all wards unless ward= or group=), in m2; a: the "
               "hotspot cells (cell squared each) or the DBSCAN hulls"}};
  return answer;
}

}  // namespace hotspot::render
