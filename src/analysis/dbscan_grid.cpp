#include "dbscan_grid.hpp"

#include <string>
#include <unordered_map>

namespace hotspot::analysis::dbscan_detail {

Expected<Grid> build_grid(std::span<const double> xs, std::span<const double> ys, double eps) {
  Grid g;
  const std::size_t n = xs.size();
  double min_x = xs[0], min_y = ys[0], max_x = xs[0], max_y = ys[0];
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) {
      return make_error(ErrorCode::invalid_parameter,
                        "point " + std::to_string(i) + " has a non-finite coordinate");
    }
    min_x = std::min(min_x, xs[i]);
    max_x = std::max(max_x, xs[i]);
    min_y = std::min(min_y, ys[i]);
    max_y = std::max(max_y, ys[i]);
  }
  g.x0 = min_x;
  g.y0 = min_y;
  g.side = eps / std::sqrt(2.0) * (1 - 1e-8);
  g.inv_side = 1 / g.side;
  const double span_x = std::floor((max_x - min_x) * g.inv_side) + 1;
  const double span_y = std::floor((max_y - min_y) * g.inv_side) + 1;
  if (span_x > static_cast<double>(kMaxCellsPerAxis) ||
      span_y > static_cast<double>(kMaxCellsPerAxis)) {
    return make_error(ErrorCode::invalid_parameter,
                      "eps is too small for the spread of the points; use a larger eps");
  }
  const auto nx = static_cast<std::int64_t>(span_x);
  const auto ny = static_cast<std::int64_t>(span_y);
  auto cell_of = [&](std::size_t i) {
    auto gx = static_cast<std::int64_t>((xs[i] - g.x0) * g.inv_side);
    auto gy = static_cast<std::int64_t>((ys[i] - g.y0) * g.inv_side);
    return std::pair{std::min(gx, nx - 1), std::min(gy, ny - 1)};
  };

  g.width = nx + 4;
  const double dense_size = static_cast<double>(g.width) * static_cast<double>(ny + 4);
  // Cell ids are 32-bit, so the dense array must stay below 2^32 entries.
  g.dense = dense_size <= 8.0 * static_cast<double>(n) + 65536.0 && dense_size < 4.0e9;
  g.x.resize(n);
  g.y.resize(n);
  g.order.resize(n);

  if (g.dense) {
    // Counting sort by dense position.
    std::vector<std::uint32_t> pos(n);
    g.start.assign(static_cast<std::size_t>(dense_size) + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
      auto [gx, gy] = cell_of(i);
      pos[i] = static_cast<std::uint32_t>((gy + 2) * g.width + gx + 2);
      ++g.start[pos[i] + 1];
    }
    for (std::size_t d = 1; d < g.start.size(); ++d) g.start[d] += g.start[d - 1];
    std::vector<std::uint32_t> cursor(g.start.begin(), g.start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t k = cursor[pos[i]]++;
      g.x[k] = xs[i];
      g.y[k] = ys[i];
      g.order[k] = static_cast<std::uint32_t>(i);
    }
    for (int k = 0; k < 25; ++k) g.offsets[k] = offset_dy(k) * g.width + offset_dx(k);
    return g;
  }

  // Sparse mode: sort by a packed (row, column) key; look neighbours up in a
  // hash map once and keep them in a table.
  auto key_of = [](std::int64_t gx, std::int64_t gy) {
    return (static_cast<std::uint64_t>(gy + 2) << 32) | static_cast<std::uint64_t>(gx + 2);
  };
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto [gx, gy] = cell_of(i);
    keyed[i] = {key_of(gx, gy), static_cast<std::uint32_t>(i)};
  }
  std::sort(keyed.begin(), keyed.end());
  std::unordered_map<std::uint64_t, std::uint32_t> cell_of_key;
  for (std::size_t k = 0; k < n; ++k) {
    if (k == 0 || keyed[k].first != keyed[k - 1].first) {
      cell_of_key.emplace(keyed[k].first, static_cast<std::uint32_t>(g.cx.size()));
      g.start.push_back(static_cast<std::uint32_t>(k));
      g.cx.push_back(static_cast<std::int32_t>(keyed[k].first & 0xFFFFFFFFu) - 2);
      g.cy.push_back(static_cast<std::int32_t>(keyed[k].first >> 32) - 2);
    }
    const std::uint32_t i = keyed[k].second;
    g.x[k] = xs[i];
    g.y[k] = ys[i];
    g.order[k] = i;
  }
  const auto empty = static_cast<std::uint32_t>(g.cx.size());
  g.cx.push_back(0);  // the stand-in empty cell
  g.cy.push_back(0);
  g.start.push_back(static_cast<std::uint32_t>(n));
  g.start.push_back(static_cast<std::uint32_t>(n));
  g.table.assign(std::size_t{empty + 1} * 25, empty);
  for (std::uint32_t c = 0; c < empty; ++c) {
    for (int k = 0; k < 25; ++k) {
      auto it = cell_of_key.find(key_of(g.cx[c] + offset_dx(k), g.cy[c] + offset_dy(k)));
      if (it != cell_of_key.end()) g.table[std::size_t{c} * 25 + static_cast<std::size_t>(k)] = it->second;
    }
  }
  return g;
}

}  // namespace hotspot::analysis::dbscan_detail
