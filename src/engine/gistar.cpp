#include "hotspot/engine/gistar.hpp"

#include "hotspot/analysis/area_stats.hpp"
#include "hotspot/engine/limits.hpp"
#include "hotspot/geo/measure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hotspot::engine {
namespace {

Error invalid(std::string message) {
  return make_error(ErrorCode::invalid_parameter, std::move(message));
}

std::vector<double> ward_xs(const std::vector<geo::Point>& points) {
  std::vector<double> out;
  for (const auto& p : points) out.push_back(p.x);
  return out;
}

std::vector<double> ward_ys(const std::vector<geo::Point>& points) {
  std::vector<double> out;
  for (const auto& p : points) out.push_back(p.y);
  return out;
}

Expected<GiStarResult> on_grid(const data::Snapshot& snapshot, const GiStarParams& params,
                               GiStarResult out, const Deadline& deadline) {
  const Points points = selected_points(snapshot, out.selection);
  auto grid = analysis::aligned_grid(study_extent(snapshot), params.cell);
  if (!grid) return make_error(ErrorCode::payload_too_large, grid.error().message);
  out.grid = *grid;
  const std::size_t work = out.grid.size() * analysis::grid_neighbourhood(params.gi.band, out.grid.cell);
  if (work > kMaxGiStarWork) {
    return make_error(ErrorCode::payload_too_large,
                      "Gi* over " + std::to_string(out.grid.size()) + " cells of " +
                          format_number(out.grid.cell) + " m with a band of " +
                          format_number(params.gi.band) + " m is too much work for one request" +
                          "; use a larger 'cell' or a smaller 'band'");
  }
  auto counts = analysis::bin_points(points.xs, points.ys, out.grid);
  out.outside = counts.outside;
  out.counts = std::move(counts.counts);
  auto stats = analysis::gistar_grid(out.counts, out.grid, params.gi, deadline);
  if (!stats) return stats.error();
  out.stats = std::move(*stats);
  out.band = params.gi.band;
  return out;
}

Expected<GiStarResult> on_wards(const data::Snapshot& snapshot, const GiStarParams& params,
                                GiStarResult out) {
  const data::BoundaryLayer& wards = *snapshot.wards;
  if (wards.size() < 2) return invalid("Parameter 'on': wards needs at least two wards loaded");
  // Bounded before the O(n^2) default band and statistic.
  if (wards.size() > analysis::GiStarParams::kMaxFeatures) {
    return make_error(ErrorCode::payload_too_large,
                      "Parameter 'on': " + std::to_string(wards.size()) +
                          " wards are loaded, over the limit of " +
                          std::to_string(analysis::GiStarParams::kMaxFeatures) +
                          " for on=wards; use on=grid");
  }
  std::vector<double> cx(wards.size()), cy(wards.size());
  for (std::size_t i = 0; i < wards.size(); ++i) {
    const geo::Point c =
        geo::area_centroid(geo::polygon_rings(wards.geometries[i].get()), wards.envelopes[i]);
    out.centroids.push_back(c);
    cx[i] = c.x;
    cy[i] = c.y;
  }
  analysis::GiStarParams gi = params.gi;
  if (!params.band) {
    // Rounded up to the metre so the echoed value reproduces the answer.
    gi.band = std::min(std::ceil(analysis::default_band(cx, cy)), analysis::GiStarParams::kMaxBand);
    out.band_default = true;
  }
  out.band = gi.band;
  const auto stats = analysis::ward_stats(*snapshot.incidents, out.selection, wards);
  out.outside = stats.outside;
  out.counts.assign(wards.size(), 0);
  for (const auto& area : stats.areas) {
    if (area.area >= 0 && static_cast<std::size_t>(area.area) < out.counts.size()) {
      out.counts[static_cast<std::size_t>(area.area)] = static_cast<double>(area.total);
    }
  }
  auto result = analysis::gistar_features(out.counts, cx, cy, gi);
  if (!result) return result.error();
  out.stats = std::move(*result);
  return out;
}

}  // namespace

Expected<GiStarParams> GiStarParams::parse(const Query& query, const data::Snapshot& snapshot) {
  auto parsed = parse_selection_of<GiStarParams>(query, snapshot);
  if (!parsed) return parsed;
  GiStarParams& out = *parsed;
  if (const auto* text = query.get("on")) {
    if (*text != "grid" && *text != "wards") {
      return invalid("Parameter 'on': '" + *text + "' is not grid or wards");
    }
    out.wards = *text == "wards";
  }
  if (out.wards && query.has("cell")) return invalid("Parameter 'cell' applies only with on=grid");
  auto cell = query.parsed("cell", parse_number);
  if (!cell) return cell.error();
  out.cell = cell->value_or(out.cell);
  auto band = query.parsed("band", parse_number);
  if (!band) return band.error();
  out.band = *band;
  for (auto [name, flag] : {std::pair{"fdr", &out.gi.fdr}, std::pair{"all", &out.all}}) {
    auto value = query.parsed(name, parse_bool);
    if (!value) return value.error();
    *flag = value->value_or(*flag);
  }
  if (out.band) {
    out.gi.band = *out.band;
  } else if (!out.wards) {
    out.gi.band = kDefaultGridBand;
  }
  return validated(std::move(parsed));
}

std::optional<Error> GiStarParams::validate() const {
  if (auto problem = selection.validate()) return problem;
  if (!wards) {
    // The grid's own range, the same as the KDE's.
    if (!(cell >= analysis::kMinGridCell && cell <= analysis::kMaxGridCell)) {
      return invalid("Parameter 'cell': must be between 10 and 5000 metres");
    }
    if (gi.band < cell) {
      return invalid("Parameter 'band' (" + format_number(gi.band) + ") is smaller than 'cell' (" +
                     format_number(cell) + "): every cell would be its own only neighbour");
    }
  }
  return gi.validate();
}

Canonical GiStarParams::canonical() const {
  Canonical out;
  selection.append_canonical(out);
  // On wards without a band the default depends on the ward layer, which
  // the snapshot version (part of every cache key) already covers.
  out.emplace_back("on", wards ? "wards" : "grid");
  out.emplace_back("cell", wards ? "" : format_number(cell));
  out.emplace_back("band", band || !wards ? format_number(gi.band) : "");
  out.emplace_back("fdr", gi.fdr ? "true" : "false");
  out.emplace_back("all", all ? "true" : "false");
  return out;
}

Expected<GiStarResult> run(const data::Snapshot& snapshot, const GiStarParams& params,
                           const Deadline& deadline) {
  GiStarResult out;
  out.on_wards = params.wards;
  out.selection = select(snapshot, params.selection);
  auto result = params.wards ? on_wards(snapshot, params, std::move(out))
                             : on_grid(snapshot, params, std::move(out), deadline);
  if (!result) return result;
  GiStarResult& r = *result;
  for (std::size_t i = 0; i < r.stats.bin.size(); ++i) {
    if (params.all || r.stats.bin[i] != 0) r.features.push_back(i);
  }
  if (!r.on_wards && r.features.size() > kMaxOutputCells) return too_many_cells(r.features.size());
  if (params.selection.disclosure.public_mode) {
    // Public mode: a cell or ward whose band holds fewer than min_count
    // incidents (Gi*'s local sum) is not published.
    const std::vector<double> sums =
        r.on_wards ? band_sums(r.counts, ward_xs(r.centroids), ward_ys(r.centroids), r.band)
                   : grid_band_sums(r.counts, r.grid, r.band, r.features);
    const double need = static_cast<double>(params.selection.disclosure.min_support());
    std::vector<std::size_t> kept;
    for (std::size_t k = 0; k < r.features.size(); ++k) {
      const double sum = r.on_wards ? sums[r.features[k]] : sums[k];
      if (sum >= need) kept.push_back(r.features[k]);
    }
    r.withheld = r.features.size() - kept.size();
    r.features = std::move(kept);
  }
  return result;
}

}  // namespace hotspot::engine
