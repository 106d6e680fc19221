#include "hotspot/engine/ogc.hpp"

#include "hotspot/data/local_time.hpp"
#include "hotspot/engine/projection.hpp"
#include "hotspot/geo/geos.hpp"

#include <algorithm>
#include <numeric>

namespace hotspot::engine {
namespace {

Error invalid(std::string message) {
  return make_error(ErrorCode::invalid_parameter, std::move(message));
}

// The grid's own range (metres) for a bbox in EPSG:27700: EPSG's bounds of
// the national grid, with room for offshore boxes.
constexpr LonLatBox kGridRange{-100000, -100000, 800000, 1400000};

// One end of an interval: a date-time with its offset, or nullopt for "..".
Expected<std::optional<std::int64_t>> parse_end(std::string_view name, std::string_view text,
                                                std::string_view whole) {
  if (text.empty() || text == "..") return std::optional<std::int64_t>();
  // RFC 3339 date-times only: a 'T' (or 't') and a Z or an offset, so that
  // no end is read in a time zone the client did not name.
  const bool has_zone = text.back() == 'Z' || text.back() == 'z' ||
                        (text.size() > 6 && (text[text.size() - 6] == '+' ||
                                             text[text.size() - 6] == '-'));
  const bool has_t = text.size() > 10 && (text[10] == 'T' || text[10] == 't');
  const auto parsed = has_t && has_zone ? data::parse_time(text) : std::nullopt;
  if (!parsed || parsed->precision != data::TimePrecision::minute) {
    return invalid("Parameter '" + std::string(name) + "': '" + std::string(whole) +
                   "' is not an RFC 3339 date-time such as 2024-03-01T20:00:00Z (years "
                   "1996-2099, with Z or an offset) or an interval start/end, where '..' or "
                   "nothing is an open end");
  }
  return std::optional<std::int64_t>(parsed->utc_seconds);
}

// Days since the epoch of the first day of the month after the one holding `day`.
std::int32_t next_month(std::int32_t day) {
  const auto date = data::civil_from_days(day);
  return date.month == 12 ? data::days_from_civil(date.year + 1, 1, 1)
                          : data::days_from_civil(date.year, date.month + 1, 1);
}

bool meets(const TimeInterval& a, const TimeInterval& b) {
  return (!a.start || !b.end || *a.start <= *b.end) && (!b.start || !a.end || *b.start <= *a.end);
}

// The rectangle as a GEOS polygon, to test features against.
geo::Geometry box_geometry(const LonLatBox& b) {
  return geo::make_multipolygon({{{{b.min_lon, b.min_lat},
                                   {b.max_lon, b.min_lat},
                                   {b.max_lon, b.max_lat},
                                   {b.min_lon, b.max_lat},
                                   {b.min_lon, b.min_lat}}}});
}

bool envelope_meets(const geo::Box& e, const LonLatBox& b) {
  return !e.empty() && e.min_x <= b.max_lon && e.max_x >= b.min_lon && e.min_y <= b.max_lat &&
         e.max_y >= b.min_lat;
}

}  // namespace

std::string_view crs_uri(OgcCrs crs) { return crs == OgcCrs::bng ? kBngUri : kCrs84Uri; }

Expected<OgcCrs> parse_crs(std::string_view name, std::string_view text) {
  for (OgcCrs crs : kOgcCrsList) {
    if (text == crs_uri(crs)) return crs;
  }
  return invalid("Parameter '" + std::string(name) + "': '" + std::string(text) +
                 "' is not a CRS this service serves; use " + std::string(kCrs84Uri) +
                 " (lon/lat) or " + std::string(kBngUri) + " (British National Grid)");
}

Expected<TimeInterval> parse_datetime(std::string_view name, std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string_view first = text.substr(0, slash);
  if (slash == std::string_view::npos) {
    auto at = parse_end(name, first, text);
    if (!at) return at.error();
    if (!*at) return invalid("Parameter '" + std::string(name) + "': give a date-time or an "
                             "interval start/end, not '" + std::string(text) + "'");
    return TimeInterval{*at, *at};
  }
  const std::string_view second = text.substr(slash + 1);
  if (second.find('/') != std::string_view::npos) {
    return invalid("Parameter '" + std::string(name) + "': '" + std::string(text) +
                   "' has more than one '/'; an interval is start/end");
  }
  auto start = parse_end(name, first, text);
  if (!start) return start.error();
  auto end = parse_end(name, second, text);
  if (!end) return end.error();
  if (!*start && !*end) {
    return invalid("Parameter '" + std::string(name) + "': an interval needs at least one end; "
                   "leave datetime out to select every time");
  }
  if (*start && *end && **start > **end) {
    return invalid("Parameter '" + std::string(name) + "': '" + std::string(text) +
                   "' ends before it starts");
  }
  return TimeInterval{*start, *end};
}

std::string format_interval(const TimeInterval& interval) {
  if (interval.start && interval.end && *interval.start == *interval.end) {
    return data::utc_iso8601(*interval.start);
  }
  return (interval.start ? data::utc_iso8601(*interval.start) : std::string("..")) + "/" +
         (interval.end ? data::utc_iso8601(*interval.end) : std::string(".."));
}

Expected<OgcItemsParams> OgcItemsParams::parse(const Query& query, bool temporal) {
  OgcItemsParams out;
  if (const auto* text = query.get("limit")) {
    auto value = parse_int("limit", *text, 1, static_cast<std::int64_t>(kMaxLimit));
    if (!value) return value.error();
    out.limit = static_cast<std::size_t>(*value);
  }
  if (const auto* text = query.get("offset")) {
    auto value = parse_int("offset", *text, 0, kMaxOffset);
    if (!value) return value.error();
    out.offset = static_cast<std::size_t>(*value);
  }
  for (auto [name, crs] : {std::pair{"crs", &out.crs}, std::pair{"bbox-crs", &out.bbox_crs}}) {
    auto parsed = query.parsed(name, parse_crs);
    if (!parsed) return parsed.error();
    if (*parsed) *crs = **parsed;
  }
  if (const auto* text = query.get("bbox")) {
    auto box = out.bbox_crs == OgcCrs::bng
                   ? parse_box("bbox", *text,
                               "minEasting,minNorthing,maxEasting,maxNorthing in metres "
                               "(bbox-crs is EPSG:27700)",
                               kGridRange)
                   : parse_bbox("bbox", *text);
    if (!box) return box.error();
    out.bbox = *box;
  } else if (query.has("bbox-crs")) {
    return invalid("Parameter 'bbox-crs' applies only with 'bbox'");
  }
  if (const auto* text = query.get("datetime")) {
    if (!temporal) {
      return invalid("Parameter 'datetime': this collection's features have no time; only "
                     "the incidents collection takes datetime");
    }
    auto interval = parse_datetime("datetime", *text);
    if (!interval) return interval.error();
    out.datetime = *interval;
  }
  return out;
}

Canonical OgcItemsParams::canonical() const {
  Canonical out;
  out.emplace_back("limit", std::to_string(limit));
  out.emplace_back("offset", std::to_string(offset));
  std::string box;
  if (bbox) {
    box = format_number(bbox->min_lon) + "," + format_number(bbox->min_lat) + "," +
          format_number(bbox->max_lon) + "," + format_number(bbox->max_lat);
  }
  out.emplace_back("bbox", box);
  out.emplace_back("bbox-crs", bbox ? std::string(crs_uri(bbox_crs)) : std::string());
  out.emplace_back("datetime", datetime ? format_interval(*datetime) : std::string());
  out.emplace_back("crs", std::string(crs_uri(crs)));
  return out;
}

OgcPage page_of(std::size_t matched, const OgcItemsParams& params) {
  const std::size_t begin = std::min(matched, params.offset);
  return {matched, begin, std::min(matched, begin + params.limit)};
}

std::vector<std::size_t> by_feature_id(const data::BoundaryLayer& layer) {
  std::vector<std::size_t> order(layer.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return layer.ids[a] < layer.ids[b]; });
  return order;
}

BoundaryItems boundary_items(const data::BoundaryLayer& layer, const OgcItemsParams& params) {
  BoundaryItems out;
  out.rows = by_feature_id(layer);
  if (params.bbox) {
    // Tested in the box's own CRS, against the polygons as served in it
    // (lon/lat rings for CRS84), so a client re-checking the box agrees.
    const LonLatBox& b = *params.bbox;
    const geo::Geometry box = box_geometry(b);
    const bool grid = params.bbox_crs == OgcCrs::bng;
    std::erase_if(out.rows, [&](std::size_t i) {
      if (grid) {
        return !envelope_meets(layer.envelopes[i], b) ||
               !geo::intersects(layer.geometries[i].get(), box.get());
      }
      if (!envelope_meets(rings_envelope(layer.lonlat[i]), b)) return true;
      const geo::Geometry polygons = geo::make_multipolygon(layer.lonlat[i]);
      return !geo::intersects(polygons.get(), box.get());
    });
  }
  out.page = page_of(out.rows.size(), params);
  return out;
}

geo::Box rings_envelope(const geo::MultiPolygonRings& parts) {
  geo::Box box;
  for (const auto& polygon : parts) {
    for (const auto& p : polygon.empty() ? geo::Ring{} : polygon.front()) box.expand(p);
  }
  return box;
}

TimeInterval incident_time(const data::IncidentTable& table, std::size_t i) {
  const std::int64_t start = table.instant[i];
  switch (table.precision[i]) {
    case data::TimePrecision::minute:
      return {start, start + 59};
    case data::TimePrecision::day:
      return {start, data::london_to_utc(table.local_day[i] + 1, 0) - 1};
    case data::TimePrecision::month:
      return {start, data::london_to_utc(next_month(table.local_day[i]), 0) - 1};
  }
  return {start, start};
}

Expected<IncidentsResult> incident_items(const data::Snapshot& snapshot,
                                         SelectionParams selection,
                                         const OgcItemsParams& params,
                                         const Deadline& deadline) {
  if (params.bbox) {
    const LonLatBox& b = *params.bbox;
    if (params.bbox_crs == OgcCrs::bng) {
      selection.filter.bbox = geo::Box{b.min_lon, b.min_lat, b.max_lon, b.max_lat};
    } else {
      // The API's own bbox: the grid box enclosing it, then exactly the box.
      auto grid = bbox_to_bng(b);
      if (!grid) return grid.error();
      selection.filter.bbox = *grid;
      selection.bbox = b;
    }
  }
  IncidentsResult out;
  out.selection = select(snapshot, selection);
  if (deadline.expired()) return deadline_error();
  if (params.datetime) {
    const data::IncidentTable& table = *snapshot.incidents;
    std::erase_if(out.selection.rows, [&](std::uint32_t row) {
      return !meets(incident_time(table, row), *params.datetime);
    });
  }
  const OgcPage page = page_of(out.selection.rows.size(), params);
  out.begin = page.begin;
  out.end = page.end;
  if (deadline.expired()) return deadline_error();
  return out;
}

}  // namespace hotspot::engine
