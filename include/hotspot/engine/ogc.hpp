#pragma once
// OGC API - Features items requests (/ogc/collections/{id}/items): Part 1's
// limit, offset, bbox and datetime and Part 2's crs and bbox-crs, parsed
// once into one canonical form, and the runs behind them. Boundary features
// are filtered by bbox in feature-id order; incidents go through the one
// selection (engine::select, with the server's disclosure policy), then
// datetime, in row order. Paging is bounded: at most kMaxLimit features a page.

#include "hotspot/common/deadline.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/canonical.hpp"
#include "hotspot/engine/incidents.hpp"
#include "hotspot/engine/query.hpp"
#include "hotspot/engine/selection.hpp"
#include "hotspot/geo/geos.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::engine {

// The coordinate reference systems items are served in (Part 2).
enum class OgcCrs { crs84, bng };
inline constexpr std::string_view kCrs84Uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
inline constexpr std::string_view kBngUri = "http://www.opengis.net/def/crs/EPSG/0/27700";
inline constexpr OgcCrs kOgcCrsList[] = {OgcCrs::crs84, OgcCrs::bng};
std::string_view crs_uri(OgcCrs crs);
// One of the URIs above, exactly; anything else names the parameter and lists them.
Expected<OgcCrs> parse_crs(std::string_view name, std::string_view text);

// A closed interval of instants in UTC seconds; an open end is nullopt.
struct TimeInterval {
  std::optional<std::int64_t> start;
  std::optional<std::int64_t> end;
};
// An RFC 3339 date-time with its offset ("2024-03-01T20:00:00Z",
// "2024-03-01T20:00:00+01:00"), or an interval "start/end" whose ends are
// date-times, ".." or empty (open); at least one end is given, start <= end.
Expected<TimeInterval> parse_datetime(std::string_view name, std::string_view text);
// The interval as RFC 3339 UTC text, ".." for an open end.
std::string format_interval(const TimeInterval& interval);

struct OgcItemsParams {
  static constexpr std::size_t kDefaultLimit = 100;
  static constexpr std::size_t kMaxLimit = 10000;
  // Far enough for any layer or table hotspotd loads; bounds the echo.
  static constexpr std::int64_t kMaxOffset = 2'000'000'000;

  std::size_t limit = kDefaultLimit;
  std::size_t offset = 0;
  std::optional<LonLatBox> bbox;  // in bbox_crs: lon/lat degrees or grid metres
  OgcCrs bbox_crs = OgcCrs::crs84;
  std::optional<TimeInterval> datetime;
  OgcCrs crs = OgcCrs::crs84;  // of the geometries answered

  static constexpr std::string_view kNames[] = {"limit", "offset", "bbox",
                                                "bbox-crs", "datetime", "crs"};
  static std::span<const std::string_view> names() { return kNames; }
  // `temporal`: the collection's features have a time (datetime is a 400
  // on the others, which have none to filter by).
  static Expected<OgcItemsParams> parse(const Query& query, bool temporal);
  Canonical canonical() const;
};

// A page [begin, end) of `matched` features, for limit and offset.
struct OgcPage {
  std::size_t matched = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};
OgcPage page_of(std::size_t matched, const OgcItemsParams& params);

// Feature indices of a boundary layer ascending by feature id (the area code).
std::vector<std::size_t> by_feature_id(const data::BoundaryLayer& layer);

// The boundary features inside the items request's bbox (sharing any point
// with it, in its CRS), ascending by feature id, and the page asked for.
struct BoundaryItems {
  std::vector<std::size_t> rows;
  OgcPage page;
};
BoundaryItems boundary_items(const data::BoundaryLayer& layer, const OgcItemsParams& params);

// The incidents `selection` (its disclosure set) keeps inside the bbox and
// whose time at its precision (a minute, a day, a month) meets datetime,
// ascending by row id, and the page asked for (IncidentsResult's begin/end).
Expected<IncidentsResult> incident_items(const data::Snapshot& snapshot,
                                         SelectionParams selection,
                                         const OgcItemsParams& params,
                                         const Deadline& deadline = Deadline::none());

// The lon/lat envelope of a polygon's exterior rings (empty for none).
geo::Box rings_envelope(const geo::MultiPolygonRings& parts);

// The span of time incident row `i` covers, UTC seconds, both ends inclusive.
TimeInterval incident_time(const data::IncidentTable& table, std::size_t i);

}  // namespace hotspot::engine
