// The venue list (--venues): licensed premises for matching A&E venue names.

#include "hotspot/data/venues.hpp"

#include "hotspot/data/csv.hpp"
#include "hotspot/data/fnv1a.hpp"
#include "hotspot/geo/crs.hpp"
#include "reader_common.hpp"

#include <initializer_list>

namespace hotspot::data {

namespace {

constexpr int kMissing = -1;

int find_column(const std::vector<std::string>& header,
                std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
  }
  return kMissing;
}

struct VenueColumns {
  int name = kMissing, x = kMissing, y = kMissing;
  bool grid = true;  // easting/northing; false: lon/lat
};

Expected<VenueColumns> venue_columns(const std::string& path,
                                     const std::vector<std::string_view>& raw) {
  std::vector<std::string> header;
  for (auto name : raw) header.push_back(normalise_name(name));
  VenueColumns c;
  c.name = find_column(header, {"name", "venue", "venuename", "premisesname", "premises"});
  c.x = find_column(header, {"easting", "eastings"});
  c.y = find_column(header, {"northing", "northings"});
  if (c.x == kMissing || c.y == kMissing) {
    c.grid = false;
    c.x = find_column(header, {"longitude", "lon", "lng"});
    c.y = find_column(header, {"latitude", "lat"});
  }
  if (c.name == kMissing || c.x == kMissing || c.y == kMissing) {
    return make_error(ErrorCode::unreadable_input,
                      "'" + path + "' is not a venue list: it needs a name column (name, venue, "
                      "premises_name) and easting/northing or longitude/latitude columns");
  }
  return c;
}

Error bad_row(const std::string& path, std::size_t line, const std::string& what) {
  return make_error(ErrorCode::unreadable_input,
                    "'" + path + "' line " + std::to_string(line) + ": " + what);
}

}  // namespace

std::string venue_key(std::string_view name) { return normalise_name(name); }

Expected<VenueList> VenueList::load(const std::string& path) {
  auto file = detail::read_whole_file(path);
  if (!file) return file.error();
  const std::uint64_t hash = data::content_hash(std::string_view(file->data(), file->size));
  CsvCursor cursor(strip_bom(std::span<char>(file->data(), file->size)), 1);
  std::vector<std::string_view> fields;
  if (cursor.next(fields) != CsvCursor::Status::record) {
    return make_error(ErrorCode::empty_input, "'" + path + "' holds no header line");
  }
  auto columns = venue_columns(path, fields);
  if (!columns) return columns.error();
  const VenueColumns c = *columns;
  const std::size_t width = fields.size();

  std::vector<Venue> venues;
  for (;;) {
    const auto status = cursor.next(fields);
    if (status == CsvCursor::Status::end) break;
    const std::size_t line = cursor.record_line();
    if (status == CsvCursor::Status::malformed || fields.size() != width)
      return bad_row(path, line, "malformed row");
    Venue v;
    v.name = std::string(trim(fields[static_cast<std::size_t>(c.name)]));
    double x = 0, y = 0;
    if (!detail::parse_double(fields[static_cast<std::size_t>(c.x)], x) ||
        !detail::parse_double(fields[static_cast<std::size_t>(c.y)], y))
      return bad_row(path, line, "coordinates are not numbers");
    (c.grid ? v.grid : v.lonlat) = geo::Point{x, y};
    venues.push_back(std::move(v));
  }
  // Each venue gets the other CRS's coordinates too, so that an A&E file in
  // either CRS can take a matched venue's point as it stands.
  auto transformer = c.grid ? geo::Transformer::create(geo::kWorkingCrs, geo::kWgs84)
                            : geo::Transformer::create(geo::kWgs84, geo::kWorkingCrs);
  if (!transformer) return transformer.error();
  for (auto& v : venues) {
    const auto other = transformer->try_transform(c.grid ? v.grid : v.lonlat);
    if (!other) return make_error(ErrorCode::projection_failed,
                                  "'" + path + "': venue '" + v.name + "' cannot be projected");
    (c.grid ? v.lonlat : v.grid) = *other;
  }
  auto list = from(std::move(venues));
  if (!list) return make_error(list.error().code, "'" + path + "': " + list.error().message);
  list->content_hash_ = hash;
  return list;
}

Expected<VenueList> VenueList::from(std::vector<Venue> venues) {
  VenueList list;
  for (std::size_t i = 0; i < venues.size(); ++i) {
    std::string key = venue_key(venues[i].name);
    if (key.empty()) {
      return make_error(ErrorCode::unreadable_input,
                        "venue " + std::to_string(i + 1) + " has no name");
    }
    auto [it, inserted] = list.by_key_.try_emplace(std::move(key), i);
    if (!inserted) {
      return make_error(ErrorCode::unreadable_input,
                        "venues '" + venues[it->second].name + "' and '" + venues[i].name +
                            "' have the same name once case, spaces and punctuation are "
                            "ignored; rename one so that a venue name picks one place");
    }
  }
  list.venues_ = std::move(venues);
  return list;
}

const Venue* VenueList::find(std::string_view name) const {
  const auto it = by_key_.find(venue_key(name));
  return it == by_key_.end() ? nullptr : &venues_[it->second];
}

}  // namespace hotspot::data
