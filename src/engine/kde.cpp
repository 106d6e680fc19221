#include "hotspot/engine/kde.hpp"

#include "hotspot/engine/limits.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

namespace hotspot::engine {
namespace {

// Bands from the median of the non-zero cells up to the top one per cent.
constexpr double kDefaultQuantiles[] = {0.5, 0.75, 0.9, 0.95, 0.99};

Error invalid(std::string message) {
  return make_error(ErrorCode::invalid_parameter, std::move(message));
}

std::optional<Error> check_ascending(std::string_view name, const std::vector<double>& values) {
  if (values.size() > analysis::kMaxContourLevels) {
    return invalid("Parameter '" + std::string(name) + "': at most " +
                   std::to_string(analysis::kMaxContourLevels) + " values");
  }
  for (std::size_t i = 1; i < values.size(); ++i) {
    if (!(values[i] > values[i - 1])) {
      return invalid("Parameter '" + std::string(name) + "': values must be strictly ascending");
    }
  }
  return std::nullopt;
}

}  // namespace

Expected<KdeParams> KdeParams::parse(const Query& query, const data::Snapshot& snapshot) {
  auto parsed = parse_selection_of<KdeParams>(query, snapshot);
  if (!parsed) return parsed;
  KdeParams& out = *parsed;
  for (auto [name, field] : {std::pair{"cell", &out.kde.cell_size},
                             std::pair{"bandwidth", &out.kde.bandwidth},
                             std::pair{"threshold", &out.threshold}}) {
    auto value = query.parsed(name, parse_number);
    if (!value) return value.error();
    *field = value->value_or(*field);
  }
  if (const auto* text = query.get("output")) {
    if (*text != "grid" && *text != "contours") {
      return invalid("Parameter 'output': '" + *text + "' is not grid or contours");
    }
    out.contours = *text == "contours";
  }
  const auto only_with = [&](std::string_view name, bool allowed, std::string_view output) {
    return allowed || !query.has(name)
               ? std::optional<Error>()
               : invalid("Parameter '" + std::string(name) + "' applies only with output=" +
                         std::string(output));
  };
  if (auto e = only_with("threshold", !out.contours, "grid")) return *e;
  if (auto e = only_with("levels", out.contours, "contours")) return *e;
  if (auto e = only_with("quantiles", out.contours, "contours")) return *e;
  if (query.has("levels") && query.has("quantiles")) {
    return invalid("Parameter 'quantiles': give either 'levels' or 'quantiles', not both");
  }
  for (auto [name, list] : {std::pair{"levels", &out.levels}, std::pair{"quantiles", &out.quantiles}}) {
    if (const auto* text = query.get(name)) {
      auto values = parse_numbers(name, *text);
      if (!values) return values.error();
      *list = std::move(*values);
    }
  }
  if (out.contours && out.levels.empty() && out.quantiles.empty()) {
    out.quantiles.assign(std::begin(kDefaultQuantiles), std::end(kDefaultQuantiles));
  }
  return validated(std::move(parsed));
}

std::optional<Error> KdeParams::validate() const {
  if (auto problem = selection.validate()) return problem;
  if (auto problem = kde.validate()) return problem;
  if (!(threshold >= 0 && threshold <= 1)) {
    return invalid("Parameter 'threshold': must be between 0 and 1 (a share of the peak)");
  }
  if (auto problem = check_ascending("levels", levels)) return problem;
  if (!levels.empty() && !(levels.front() > 0 && levels.back() <= 1e9)) {
    return invalid("Parameter 'levels': levels must be greater than 0 and at most 1e9 "
                   "(incidents per km2)");
  }
  if (auto problem = check_ascending("quantiles", quantiles)) return problem;
  if (!quantiles.empty() && !(quantiles.front() > 0 && quantiles.back() < 1)) {
    return invalid("Parameter 'quantiles': each must lie strictly between 0 and 1");
  }
  return std::nullopt;
}

Canonical KdeParams::canonical() const {
  Canonical out;
  selection.append_canonical(out);
  out.emplace_back("cell", format_number(kde.cell_size));
  out.emplace_back("bandwidth", format_number(kde.bandwidth));
  out.emplace_back("output", contours ? "contours" : "grid");
  out.emplace_back("threshold", contours ? "" : format_number(threshold));
  out.emplace_back("levels", format_numbers(levels));
  out.emplace_back("quantiles", format_numbers(quantiles));
  return out;
}

Expected<KdeResult> run(const data::Snapshot& snapshot, const KdeParams& params,
                        const Deadline& deadline) {
  KdeResult out;
  out.selection = select(snapshot, params.selection);
  const Points points = selected_points(snapshot, out.selection);
  auto grid = analysis::aligned_grid(study_extent(snapshot), params.kde.cell_size);
  if (!grid) return make_error(ErrorCode::payload_too_large, grid.error().message);
  auto surface = analysis::kernel_density(points.xs, points.ys, *grid, params.kde, deadline);
  if (!surface) return surface.error();
  out.surface = std::move(*surface);
  if (params.selection.disclosure.public_mode) {
    // Public mode: a cell fewer than min_count incidents reach (within the
    // bandwidth of its centre) is zeroed before cells, levels or contours
    // are taken from the surface.
    const auto support =
        kernel_support(points.xs, points.ys, out.surface.grid, params.kde.bandwidth);
    const std::size_t need = params.selection.disclosure.min_support();
    out.surface.max_density = 0;
    for (std::size_t i = 0; i < out.surface.density.size(); ++i) {
      if (support[i] < need) {
        out.withheld_cells += out.surface.density[i] > 0;
        out.surface.density[i] = 0;
      }
      out.surface.max_density = std::max(out.surface.max_density, out.surface.density[i]);
    }
  }
  const analysis::KdeResult& s = out.surface;

  if (!params.contours) {
    const double cutoff = params.threshold * s.max_density;
    std::size_t kept = 0;
    for (double d : s.density) kept += d > 0 && d >= cutoff;
    if (kept > kMaxOutputCells) return too_many_cells(kept);
    out.cells.reserve(kept);
    for (std::int32_t iy = 0; iy < s.grid.ny; ++iy) {
      for (std::int32_t ix = 0; ix < s.grid.nx; ++ix) {
        const double d = s.density[static_cast<std::size_t>(iy) * s.grid.nx + ix];
        if (d > 0 && d >= cutoff) out.cells.push_back({ix, iy, d});
      }
    }
    return out;
  }
  out.levels = params.levels;
  if (out.levels.empty()) {
    auto at = analysis::quantile_levels(s.density, params.quantiles);
    if (!at) return at.error();
    out.levels = std::move(*at);
  }
  // No positive density (nothing selected) or every level above the peak: no bands.
  // Counted before GDAL traces anything: both bound its time and the answer.
  const std::size_t crossings = analysis::contour_crossings(s.density, s.grid, out.levels);
  const std::size_t patches = analysis::contour_patches(s.density, s.grid, out.levels);
  if (crossings > kMaxContourCrossings || patches > kMaxContourPatches) {
    return make_error(ErrorCode::payload_too_large,
                      "Contours at " + std::to_string(out.levels.size()) + " levels would trace " +
                          std::to_string(crossings) + " vertices in " + std::to_string(patches) +
                          " patches (limits " + std::to_string(kMaxContourCrossings) + " and " +
                          std::to_string(kMaxContourPatches) +
                          "); use fewer 'levels' or 'quantiles', a larger 'cell' or a larger "
                          "'bandwidth'");
  }
  if (!out.levels.empty() && out.levels.front() < s.max_density) {
    auto traced = analysis::contour_bands(s.density, s.grid, out.levels, deadline);
    if (!traced) return traced.error();
    out.bands = std::move(*traced);
  }
  return out;
}

}  // namespace hotspot::engine
