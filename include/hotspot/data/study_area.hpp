#pragma once
// The incidents' study area: the union of the ward polygons, grown by an
// optional buffer. A row outside it is rejected as outside_study_area; a
// row inside gets its ward here, so the ward join happens once.
//
// The answer agrees exactly with the polygons: inside a ward (or on its
// boundary) means PolygonIndex::locate's ward, found through an AreaGrid for
// large tables. Within the buffer of a ward but in none, a row is given the
// nearest ward (PolygonIndex::nearest: GEOS distance, lowest index on ties)
// rather than no ward: the buffer exists for points snapped just off a
// boundary (police.uk map points), which belong to the ward beside them,
// and this way every kept row has a ward, so per-ward counts add up to the
// total and a ward filter sees the rows the buffer kept.
//
// With no wards loaded there is no study area: nothing is rejected and no
// row has a ward.

#include "hotspot/common/error.hpp"
#include "hotspot/data/area_grid.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/incident_table.hpp"
#include "hotspot/geo/types.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

struct GEOSGeom_t;

namespace hotspot::data {

inline constexpr double kMaxStudyAreaBuffer = 5000;  // metres

class StudyArea {
 public:
  // Borrows `wards` (it must outlive this object). `points` is how many
  // points will be asked: below a few tens of thousands the grid costs
  // more to build than it saves, and the index answers alone. An empty
  // layer makes no study area: every point is inside, in no ward.
  StudyArea(const BoundaryLayer& wards, double buffer_m, std::size_t points);
  StudyArea(const StudyArea&) = delete;
  StudyArea& operator=(const StudyArea&) = delete;

  // False when no wards are loaded: nothing is outside.
  bool bounded() const { return index_ != nullptr; }
  double buffer() const { return buffer_; }
  // The wards' extent grown by the buffer; nothing outside it is inside.
  const geo::Box& box() const { return box_; }
  // The row's ward, or kNoArea: outside the study area (when bounded()).
  std::int32_t ward_of(geo::Point p) const;

 private:
  const geo::PolygonIndex* index_ = nullptr;
  double buffer_ = 0;
  geo::Box box_;
  std::vector<const GEOSGeom_t*> polygons_;
  std::optional<AreaGrid> grid_;
};

// "--study-area-buffer METRES": a number of metres, 0..kMaxStudyAreaBuffer.
Expected<double> parse_study_area_buffer(std::string_view text);

}  // namespace hotspot::data
