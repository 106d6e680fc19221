#include "hotspot/engine/disclosure.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace hotspot::engine {

std::optional<std::int64_t> Disclosure::publish(std::int64_t n) const {
  if (!public_mode || min_count <= 1) return n;
  if (suppresses(n)) return std::nullopt;
  // Nearest multiple of the base, halves up; n >= min_count never rounds to 0.
  const std::int64_t base = min_count;
  return (n + base / 2) / base * base;
}

std::string Disclosure::cache_key() const {
  return public_mode ? "public-" + std::to_string(min_count) : "private";
}

std::string Disclosure::rule() const {
  if (!public_mode) return "none: every count is exact (not public mode)";
  const std::string k = std::to_string(min_count);
  return "counts of 1 to " + std::to_string(min_count - 1) +
         " are suppressed (null, marked suppressed); every other count, totals included, is "
         "rounded independently to the nearest multiple of " + k +
         "; rates, densities, shares, changes and tests use the rounded counts and are null "
         "when a count they use is suppressed; clusters, KDE cells and Gi* cells with fewer "
         "than " + k + " incidents are not published; domestic incidents are excluded";
}

std::optional<int> parse_min_count(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < 1 ||
      value > Disclosure::kMaxMinCount) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::uint32_t> kernel_support(std::span<const double> xs, std::span<const double> ys,
                                          const analysis::GridGeometry& grid, double bandwidth) {
  std::vector<std::uint32_t> support(grid.size(), 0);
  if (grid.nx <= 0 || grid.ny <= 0 || !(bandwidth > 0)) return support;
  const double h2 = bandwidth * bandwidth;
  // Each point adds one to every cell whose centre is strictly within the
  // bandwidth: the cells in the square of columns and rows it can reach,
  // checked one by one.
  for (std::size_t k = 0; k < xs.size() && k < ys.size(); ++k) {
    const double x = xs[k], y = ys[k];
    const auto first = [&](double v, double origin) {
      return static_cast<std::int64_t>(std::floor((v - bandwidth - origin) / grid.cell - 0.5));
    };
    const auto last = [&](double v, double origin) {
      return static_cast<std::int64_t>(std::ceil((v + bandwidth - origin) / grid.cell - 0.5));
    };
    const std::int64_t ix0 = std::max<std::int64_t>(0, first(x, grid.origin_x));
    const std::int64_t ix1 = std::min<std::int64_t>(grid.nx - 1, last(x, grid.origin_x));
    const std::int64_t iy0 = std::max<std::int64_t>(0, first(y, grid.origin_y));
    const std::int64_t iy1 = std::min<std::int64_t>(grid.ny - 1, last(y, grid.origin_y));
    for (std::int64_t iy = iy0; iy <= iy1; ++iy) {
      const double dy = grid.centre_y(static_cast<std::int32_t>(iy)) - y;
      for (std::int64_t ix = ix0; ix <= ix1; ++ix) {
        const double dx = grid.centre_x(static_cast<std::int32_t>(ix)) - x;
        if (dx * dx + dy * dy < h2) {
          ++support[static_cast<std::size_t>(iy) * static_cast<std::size_t>(grid.nx) +
                    static_cast<std::size_t>(ix)];
        }
      }
    }
  }
  return support;
}

std::vector<double> band_sums(std::span<const double> values, std::span<const double> xs,
                              std::span<const double> ys, double band) {
  const std::size_t n = std::min({values.size(), xs.size(), ys.size()});
  std::vector<double> sums(n, 0);
  const double band2 = band * band;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const double dx = xs[i] - xs[j], dy = ys[i] - ys[j];
      if (dx * dx + dy * dy <= band2) sums[i] += values[j];
    }
  }
  return sums;
}

std::vector<double> grid_band_sums(std::span<const double> values,
                                   const analysis::GridGeometry& grid, double band,
                                   std::span<const std::size_t> cells) {
  std::vector<double> sums(cells.size(), 0);
  if (grid.nx <= 0 || grid.ny <= 0 || values.size() < grid.size()) return sums;
  // The neighbourhood analysis::gistar_grid uses: centre distances in cells,
  // within the band with the same relative tolerance of 1e-12.
  const double band_cells = band / grid.cell;
  const int radius = static_cast<int>(std::floor(band_cells * (1 + 1e-12)));
  const double limit = band_cells * band_cells * (1 + 1e-12);
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const auto ix = static_cast<std::int64_t>(cells[k] % static_cast<std::size_t>(grid.nx));
    const auto iy = static_cast<std::int64_t>(cells[k] / static_cast<std::size_t>(grid.nx));
    for (int dy = -radius; dy <= radius; ++dy) {
      for (int dx = -radius; dx <= radius; ++dx) {
        if (double(dx) * dx + double(dy) * dy > limit) continue;
        const std::int64_t jx = ix + dx, jy = iy + dy;
        if (jx < 0 || jy < 0 || jx >= grid.nx || jy >= grid.ny) continue;
        sums[k] += values[static_cast<std::size_t>(jy) * static_cast<std::size_t>(grid.nx) +
                          static_cast<std::size_t>(jx)];
      }
    }
  }
  return sums;
}

}  // namespace hotspot::engine
