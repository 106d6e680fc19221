#include "hotspot/analysis/gistar.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace hotspot::analysis {
namespace {

constexpr double kAlphas[3] = {0.10, 0.05, 0.01};  // bins 1, 2, 3

// z, p and bins from each feature's weighted sum (lag) and weight sum.
GiStarResult finish(std::span<const double> values, const std::vector<double>& lag,
                    const std::vector<double>& weights, bool fdr) {
  GiStarResult r;
  const std::size_t n = values.size();
  r.n = n;
  double sum = 0, sum2 = 0;
  for (double v : values) {
    sum += v;
    sum2 += v * v;
  }
  const double nd = static_cast<double>(n);
  r.mean = sum / nd;
  r.sd = std::sqrt(std::max(sum2 / nd - r.mean * r.mean, 0.0));
  r.z.assign(n, 0.0);
  r.p.assign(n, 1.0);
  bool undefined = false;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = weights[i];
    const double den = r.sd * std::sqrt((nd * w - w * w) / (nd - 1));
    if (!(den > 0)) {
      undefined = true;
      continue;
    }
    r.z[i] = (lag[i] - r.mean * w) / den;
    r.p[i] = two_sided_p(r.z[i]);
  }
  if (undefined) {
    r.note = r.sd > 0 ? "some features neighbour every other feature; their z is set to 0"
                      : "all values are equal, so no feature stands out; z is set to 0";
  }
  r.bin = confidence_bins(r.z, r.p, fdr);
  return r;
}

std::optional<Error> check_values(std::span<const double> values) {
  if (values.size() < 3) {
    return make_error(ErrorCode::invalid_parameter, "Gi* needs at least 3 features");
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return make_error(ErrorCode::invalid_parameter,
                        "value " + std::to_string(i) + " is not a finite number");
    }
  }
  return std::nullopt;
}

// Offsets whose centre distance is within the band. Distances are whole
// multiples of the cell, so a band meant to be exactly k cells must not lose
// them to rounding: allow a relative 1e-12.
struct Stencil {
  int radius = 0;      // in cells
  double limit = 0;    // squared band, in cells
};

Stencil stencil_of(double band, double cell) {
  const double band_cells = band / cell;
  return {static_cast<int>(std::floor(band_cells * (1 + 1e-12))),
          band_cells * band_cells * (1 + 1e-12)};
}

}  // namespace

std::optional<Error> GiStarParams::validate() const {
  if (!(band > 0 && band <= kMaxBand)) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'band': must be more than 0 and at most 50000 metres");
  }
  return std::nullopt;
}

double default_band(std::span<const double> xs, std::span<const double> ys) {
  double band = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    double nearest = INFINITY;
    for (std::size_t j = 0; j < xs.size(); ++j) {
      if (j != i) nearest = std::min(nearest, std::hypot(xs[i] - xs[j], ys[i] - ys[j]));
    }
    if (std::isfinite(nearest)) band = std::max(band, nearest);
  }
  return band;
}

double two_sided_p(double z) { return std::erfc(std::abs(z) / std::sqrt(2.0)); }

std::vector<std::int8_t> confidence_bins(std::span<const double> z, std::span<const double> p,
                                         bool fdr) {
  const std::size_t n = p.size();
  double critical[3] = {kAlphas[0], kAlphas[1], kAlphas[2]};
  if (fdr) {
    std::vector<double> sorted(p.begin(), p.end());
    std::sort(sorted.begin(), sorted.end());
    for (int level = 0; level < 3; ++level) {
      critical[level] = -1;  // nothing significant unless some rank qualifies
      for (std::size_t k = n; k-- > 0;) {
        if (sorted[k] <= static_cast<double>(k + 1) / static_cast<double>(n) * kAlphas[level]) {
          critical[level] = sorted[k];
          break;
        }
      }
    }
  }
  std::vector<std::int8_t> bins(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    int level = 0;
    for (int l = 0; l < 3; ++l) {
      if (p[i] <= critical[l]) level = l + 1;
    }
    bins[i] = static_cast<std::int8_t>(z[i] < 0 ? -level : level);
  }
  return bins;
}

Expected<GiStarResult> gistar_features(std::span<const double> values,
                                       std::span<const double> xs,
                                       std::span<const double> ys, const GiStarParams& params) {
  if (auto error = params.validate()) return *error;
  if (xs.size() != values.size() || ys.size() != values.size()) {
    return make_error(ErrorCode::invalid_parameter,
                      "values and centre coordinates differ in length");
  }
  if (values.size() > GiStarParams::kMaxFeatures) {
    return make_error(ErrorCode::payload_too_large,
                      "Gi* on features takes at most 20000 features; use the grid version");
  }
  if (auto error = check_values(values)) return *error;
  const std::size_t n = values.size();
  const double band2 = params.band * params.band;
  std::vector<double> lag(n, 0.0), weights(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) {
      return make_error(ErrorCode::invalid_parameter,
                        "feature " + std::to_string(i) + " has a non-finite centre");
    }
    for (std::size_t j = 0; j < n; ++j) {
      const double dx = xs[j] - xs[i], dy = ys[j] - ys[i];
      if (dx * dx + dy * dy <= band2) {
        lag[i] += values[j];
        weights[i] += 1;
      }
    }
  }
  return finish(values, lag, weights, params.fdr);
}

std::size_t grid_neighbourhood(double band, double cell) {
  const Stencil stencil = stencil_of(band, cell);
  std::size_t cells = 0;
  for (int dy = -stencil.radius; dy <= stencil.radius; ++dy) {
    for (int dx = -stencil.radius; dx <= stencil.radius; ++dx) {
      cells += double(dx) * dx + double(dy) * dy <= stencil.limit;
    }
  }
  return cells;
}

Expected<GiStarResult> gistar_grid(std::span<const double> values, const GridGeometry& grid,
                                   const GiStarParams& params, const Deadline& deadline) {
  if (auto error = params.validate()) return *error;
  if (values.size() != grid.size() || grid.nx <= 0 || grid.ny <= 0) {
    return make_error(ErrorCode::invalid_parameter, "grid values do not match the grid size");
  }
  if (auto error = check_values(values)) return *error;
  // The stencil: offsets within the band (see stencil_of).
  const Stencil stencil = stencil_of(params.band, grid.cell);
  const int r = stencil.radius;
  const double limit = stencil.limit;
  const std::int64_t nx = grid.nx, ny = grid.ny;
  std::vector<double> lag(values.size(), 0.0), weights(values.size(), 0.0);
  for (int dy = -r; dy <= r; ++dy) {
    if (deadline.expired()) return deadline_error();
    for (int dx = -r; dx <= r; ++dx) {
      if (double(dx) * dx + double(dy) * dy > limit) continue;
      // Cells (ix, iy) whose neighbour (ix+dx, iy+dy) lies inside the grid.
      const std::int64_t x_lo = std::max<std::int64_t>(0, -dx), x_hi = std::min(nx, nx - dx);
      const std::int64_t y_lo = std::max<std::int64_t>(0, -dy), y_hi = std::min(ny, ny - dy);
      for (std::int64_t iy = y_lo; iy < y_hi; ++iy) {
        double* out = lag.data() + iy * nx;
        double* w = weights.data() + iy * nx;
        const double* in = values.data() + (iy + dy) * nx + dx;
        for (std::int64_t ix = x_lo; ix < x_hi; ++ix) {
          out[ix] += in[ix];
          w[ix] += 1;
        }
      }
    }
  }
  return finish(values, lag, weights, params.fdr);
}

}  // namespace hotspot::analysis
