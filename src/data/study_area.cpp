#include "hotspot/data/study_area.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace hotspot::data {

namespace {

// Below this many points the grid costs more to build than it saves.
constexpr std::size_t kMinPointsForGrid = 20000;

}  // namespace

StudyArea::StudyArea(const BoundaryLayer& wards, double buffer_m, std::size_t points)
    : buffer_(buffer_m > 0 ? buffer_m : 0) {
  if (!wards.index || wards.index->size() == 0) return;
  index_ = wards.index.get();
  box_ = wards.extent;
  box_.min_x -= buffer_;
  box_.min_y -= buffer_;
  box_.max_x += buffer_;
  box_.max_y += buffer_;
  if (points < kMinPointsForGrid) return;
  polygons_.reserve(wards.geometries.size());
  for (const auto& g : wards.geometries) polygons_.push_back(g.get());
  // Reaching as far as the buffer, the grid also settles the points that
  // are farther than the buffer from every ward, without GEOS.
  grid_.emplace(polygons_, *index_, 50.0, 4'000'000, buffer_);
}

std::int32_t StudyArea::ward_of(geo::Point p) const {
  if (index_ == nullptr || !box_.contains(p)) return kNoArea;
  std::int32_t ward = kNoArea;
  if (grid_ && grid_->try_locate(p, ward)) return ward;
  ward = index_->locate(p);
  if (ward != kNoArea || buffer_ == 0) return ward;
  const auto [distance, nearest] = index_->nearest(p);
  return distance <= buffer_ ? nearest : kNoArea;
}

Expected<double> parse_study_area_buffer(std::string_view text) {
  double metres = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), metres);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
      !std::isfinite(metres) || metres < 0 || metres > kMaxStudyAreaBuffer) {
    return make_error(ErrorCode::invalid_parameter,
                      "--study-area-buffer: '" + std::string(text) +
                          "' is not a distance in metres 0..5000");
  }
  return metres;
}

}  // namespace hotspot::data
