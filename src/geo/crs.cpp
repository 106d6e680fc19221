#include "hotspot/geo/crs.hpp"

#include <proj.h>

#include <cmath>
#include <limits>
#include <utility>

namespace hotspot::geo {

// The context is owned here (not PROJ's default one) so that Transformers in
// different threads never share PROJ state.
struct Transformer::Handles {
  PJ_CONTEXT* ctx = nullptr;
  PJ* pj = nullptr;
  Handles() = default;
  Handles(const Handles&) = delete;
  Handles& operator=(const Handles&) = delete;
  ~Handles() {
    if (pj != nullptr) proj_destroy(pj);
    if (ctx != nullptr) proj_context_destroy(ctx);
  }
};

namespace {

std::string last_error(PJ_CONTEXT* ctx) {
  const int code = proj_context_errno(ctx);
  if (code == 0) return "unknown reason";
  const char* text = proj_context_errno_string(ctx, code);
  return text != nullptr ? text : "unknown reason";
}

bool finite_result(const PJ_COORD& c) {
  return c.xy.x != HUGE_VAL && c.xy.y != HUGE_VAL && std::isfinite(c.xy.x) && std::isfinite(c.xy.y);
}

}  // namespace

Expected<Transformer> Transformer::create(const std::string& source, const std::string& target) {
  auto handles = std::make_unique<Handles>();
  handles->ctx = proj_context_create();
  if (handles->ctx == nullptr) {
    return make_error(ErrorCode::projection_failed, "Could not create a PROJ context");
  }
  // Keep PROJ quiet: failures are reported through the returned Error.
  proj_log_level(handles->ctx, PJ_LOG_NONE);
  // Data files only from the local installation; there is no network here.
  proj_context_set_enable_network(handles->ctx, 0);

  PJ* raw = proj_create_crs_to_crs(handles->ctx, source.c_str(), target.c_str(), nullptr);
  if (raw == nullptr) {
    return make_error(ErrorCode::projection_failed,
                      "Cannot transform from '" + source + "' to '" + target + "': " +
                          last_error(handles->ctx));
  }
  // CRS definitions such as EPSG:4326 declare latitude first; the rest of the
  // code always passes x = longitude/easting, y = latitude/northing.
  PJ* normalized = proj_normalize_for_visualization(handles->ctx, raw);
  proj_destroy(raw);
  if (normalized == nullptr) {
    return make_error(ErrorCode::projection_failed,
                      "Cannot normalise axis order for '" + source + "' to '" + target + "': " +
                          last_error(handles->ctx));
  }
  handles->pj = normalized;
  return Transformer(std::move(handles), source, target);
}

Transformer::Transformer(std::unique_ptr<Handles> handles, std::string source, std::string target)
    : handles_(std::move(handles)), source_(std::move(source)), target_(std::move(target)) {}

Transformer::Transformer(Transformer&&) noexcept = default;
Transformer& Transformer::operator=(Transformer&&) noexcept = default;
Transformer::~Transformer() = default;

std::optional<Point> Transformer::try_transform(Point p) const {
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) return std::nullopt;
  proj_errno_reset(handles_->pj);
  const PJ_COORD out = proj_trans(handles_->pj, PJ_FWD, proj_coord(p.x, p.y, 0, 0));
  if (!finite_result(out)) return std::nullopt;
  return Point{out.xy.x, out.xy.y};
}

Point Transformer::transform(Point p) const {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return try_transform(p).value_or(Point{nan, nan});
}

std::size_t Transformer::transform(std::span<double> xs, std::span<double> ys) const {
  const std::size_t n = std::min(xs.size(), ys.size());
  if (n == 0) return 0;
  proj_errno_reset(handles_->pj);
  proj_trans_generic(handles_->pj, PJ_FWD, xs.data(), sizeof(double), n, ys.data(), sizeof(double), n,
                     nullptr, 0, 0, nullptr, 0, 0);
  // PROJ marks points it could not transform with HUGE_VAL; callers test
  // for infinity, so make every failure (including NaN input) +inf.
  const double inf = std::numeric_limits<double>::infinity();
  std::size_t failed = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) {
      xs[i] = inf;
      ys[i] = inf;
      ++failed;
    }
  }
  return failed;
}

Box transform_box(const Box& box, const Transformer& transformer, int steps) {
  Box out;
  if (box.empty() || steps < 1) return out;
  for (int i = 0; i <= steps; ++i) {
    const double t = static_cast<double>(i) / steps;
    const double x = box.min_x + t * (box.max_x - box.min_x);
    const double y = box.min_y + t * (box.max_y - box.min_y);
    for (Point p : {Point{x, box.min_y}, Point{x, box.max_y}, Point{box.min_x, y},
                    Point{box.max_x, y}}) {
      if (const auto q = transformer.try_transform(p)) out.expand(*q);
    }
  }
  return out;
}

Box inner_box(const Box& box, const Transformer& transformer, int steps) {
  Box out{-std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
          std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  if (box.empty() || steps < 1) return {};
  for (int i = 0; i <= steps; ++i) {
    const double t = static_cast<double>(i) / steps;
    const double x = box.min_x + t * (box.max_x - box.min_x);
    const double y = box.min_y + t * (box.max_y - box.min_y);
    const auto south = transformer.try_transform({x, box.min_y});
    const auto north = transformer.try_transform({x, box.max_y});
    const auto west = transformer.try_transform({box.min_x, y});
    const auto east = transformer.try_transform({box.max_x, y});
    if (!south || !north || !west || !east) return {};
    out.min_y = std::max(out.min_y, south->y);
    out.max_y = std::min(out.max_y, north->y);
    out.min_x = std::max(out.min_x, west->x);
    out.max_x = std::min(out.max_x, east->x);
  }
  return out;
}

std::optional<Box> area_of_use(const std::string& crs) {
  PJ_CONTEXT* ctx = proj_context_create();
  if (ctx == nullptr) return std::nullopt;
  proj_log_level(ctx, PJ_LOG_NONE);
  proj_context_set_enable_network(ctx, 0);
  std::optional<Box> out;
  if (PJ* pj = proj_create(ctx, crs.c_str())) {
    double west = 0, south = 0, east = 0, north = 0;
    // PROJ answers -1000 for every bound when the area is unknown.
    if (proj_get_area_of_use(ctx, pj, &west, &south, &east, &north, nullptr) != 0 &&
        west > -1000 && west < east && south < north) {
      out = Box{west, south, east, north};
    }
    proj_destroy(pj);
  }
  proj_context_destroy(ctx);
  return out;
}

}  // namespace hotspot::geo
