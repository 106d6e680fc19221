#include "hotspot/data/synthetic.hpp"

#include "seeded_random.hpp"

#include "hotspot/geo/measure.hpp"
#include "hotspot/data/local_time.hpp"
#include "hotspot/geo/crs.hpp"
#include "hotspot/geo/geos.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <numeric>

namespace hotspot::data {

namespace {

struct Kind {
  Category category;
  const char* label;  // police.uk spelling
};
constexpr std::array<Kind, 8> kKinds{{
    {Category::violence, "Violence and sexual offences"},
    {Category::criminal_damage, "Criminal damage and arson"},
    {Category::public_order, "Public order"},
    {Category::asb, "Anti-social behaviour"},
    {Category::other, "Burglary"},
    {Category::other, "Vehicle crime"},
    {Category::other, "Shoplifting"},
    {Category::other, "Other theft"},
}};
// Night-time-economy incidents are mostly violence and disorder.
constexpr std::array<double, 8> kClusterMix{0.42, 0.13, 0.20, 0.25, 0, 0, 0, 0};
constexpr std::array<double, 8> kBackgroundMix{0.20, 0.18, 0.08, 0.30, 0.06, 0.06, 0.06, 0.06};

constexpr int kSecondsPerDay = 86400;

struct Draw {
  geo::Point p;
  std::size_t kind;
  std::int64_t utc;
};

std::int64_t local_instant(std::int32_t day, std::int64_t seconds_after_midnight) {
  const auto extra_days = static_cast<std::int32_t>(seconds_after_midnight / kSecondsPerDay);
  return london_to_utc(day + extra_days,
                       static_cast<int>(seconds_after_midnight % kSecondsPerDay));
}

void append_fixed(std::string& out, double value, int decimals) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed,
                                 decimals);
  if (ec == std::errc()) out.append(buffer, end);
}

}  // namespace

std::optional<Error> SyntheticOptions::validate() const {
  const auto invalid = [](const char* message) {
    return make_error(ErrorCode::invalid_parameter, message);
  };
  if (count == 0 || count > 50'000'000) return invalid("count must be between 1 and 50000000");
  if (year < kFirstSupportedYear || year > kLastSupportedYear - 1)
    return invalid("year must be between 1996 and 2098");
  if (area.empty() || area.max_x - area.min_x <= 0 || area.max_y - area.min_y <= 0)
    return invalid("the study area is empty (load a ward layer)");
  if (!(cluster_fraction >= 0 && cluster_fraction <= 1)) return invalid("cluster_fraction must be in 0..1");
  if (!(night_fraction >= 0 && night_fraction <= 1)) return invalid("night_fraction must be in 0..1");
  if (!(sigma_m > 0 && sigma_m < 50'000)) return invalid("sigma_m must be in (0, 50000) metres");
  if (cluster_fraction > 0 && town_centres.empty())
    return invalid("clustered incidents need town centres (load a town-centre layer)");
  for (const auto& c : town_centres)
    if (!area.contains(c)) return invalid("a town centre lies outside the study area");
  return std::nullopt;
}

Expected<std::vector<SyntheticIncident>> generate_incidents(const SyntheticOptions& options) {
  if (auto problem = options.validate()) return *problem;
  detail::Random random(options.seed);
  const geo::Box& box = options.area;
  const std::int32_t first_day = days_from_civil(options.year, 1, 1);
  const std::int32_t days_in_year = days_from_civil(options.year + 1, 1, 1) - first_day;
  std::vector<std::int32_t> weekend_nights;  // Fridays and Saturdays
  for (std::int32_t d = first_day; d < first_day + days_in_year; ++d) {
    const int w = weekday_from_days(d);
    if (w == 4 || w == 5) weekend_nights.push_back(d);
  }

  const auto clustered =
      static_cast<std::size_t>(std::llround(options.cluster_fraction * static_cast<double>(options.count)));
  std::vector<Draw> draws;
  draws.reserve(options.count);

  // Pass 1: clustered incidents, Gaussian around a town centre (redrawn if
  // outside the area), most on Friday/Saturday nights 20:00-04:00 with a
  // triangular distribution peaking at midnight.
  for (std::size_t i = 0; i < clustered; ++i) {
    const geo::Point centre = options.town_centres[random.below(options.town_centres.size())];
    geo::Point p;
    for (int attempt = 0;; ++attempt) {
      auto [dx, dy] = random.normal_pair();
      p = {centre.x + dx * options.sigma_m, centre.y + dy * options.sigma_m};
      if (box.contains(p) || attempt == 100) break;
    }
    if (!box.contains(p)) p = centre;
    std::int64_t utc;
    if (random.uniform() < options.night_fraction) {
      const std::int32_t night = weekend_nights[random.below(weekend_nights.size())];
      const double spread = (random.uniform() + random.uniform()) / 2;  // triangular on 0..1
      const auto after_eight = static_cast<std::int64_t>(spread * 8 * 3600);
      utc = local_instant(night, 20 * 3600 + after_eight);
    } else {
      const auto day = first_day + static_cast<std::int32_t>(random.below(static_cast<std::size_t>(days_in_year)));
      utc = local_instant(day, static_cast<std::int64_t>(random.below(kSecondsPerDay)));
    }
    draws.push_back({p, random.pick(kClusterMix), utc});
  }

  // Pass 2: background incidents, uniform over the wards and the year.
  for (std::size_t i = clustered; i < options.count; ++i) {
    geo::Point p;
    for (int attempt = 0;; ++attempt) {
      p = {random.uniform(box.min_x, box.max_x), random.uniform(box.min_y, box.max_y)};
      if (options.within == nullptr || options.within->locate(p) != geo::PolygonIndex::kNone ||
          attempt == 1000)
        break;
    }
    const auto day = first_day + static_cast<std::int32_t>(random.below(static_cast<std::size_t>(days_in_year)));
    const std::int64_t utc = local_instant(day, static_cast<std::int64_t>(random.below(kSecondsPerDay)));
    draws.push_back({p, random.pick(kBackgroundMix), utc});
  }

  // Pass 3: order by time (ties keep draw order), number, project to WGS84.
  std::vector<std::size_t> order(draws.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return draws[a].utc < draws[b].utc; });
  std::vector<SyntheticIncident> out(draws.size());
  std::vector<double> lon(draws.size()), lat(draws.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Draw& d = draws[order[k]];
    out[k].id = k + 1;
    out[k].x = lon[k] = d.p.x;
    out[k].y = lat[k] = d.p.y;
    out[k].category = kKinds[d.kind].category;
    out[k].label = kKinds[d.kind].label;
    out[k].utc_seconds = d.utc;
  }
  auto to_wgs84 = geo::Transformer::create(geo::kWorkingCrs, geo::kWgs84);
  if (!to_wgs84) return to_wgs84.error();
  if (to_wgs84->transform(lon, lat) != 0)
    return make_error(ErrorCode::projection_failed, "synthetic points could not be projected to WGS84");
  for (std::size_t k = 0; k < out.size(); ++k) {
    out[k].lon = lon[k];
    out[k].lat = lat[k];
  }
  return out;
}

std::string format_london_time(std::int64_t utc_seconds) {
  const LondonTime local = to_london(utc_seconds);
  const CivilDate date = civil_from_days(local.local_day);
  const auto second = static_cast<int>(((utc_seconds % 60) + 60) % 60);
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d+%02d:00", date.year, date.month,
                date.day, local.minute_of_day / 60, local.minute_of_day % 60, second,
                static_cast<int>(local.utc_offset_hours));
  return text;
}

std::string synthetic_csv(const std::vector<SyntheticIncident>& incidents) {
  std::string out = "id,lon,lat,category,occurred_at,synthetic\n";
  out.reserve(out.size() + incidents.size() * 80);
  for (const auto& incident : incidents) {
    out += std::to_string(incident.id);
    out += ',';
    append_fixed(out, incident.lon, 6);
    out += ',';
    append_fixed(out, incident.lat, 6);
    out += ',';
    out += incident.label;
    out += ',';
    out += format_london_time(incident.utc_seconds);
    out += ",true\n";
  }
  return out;
}

SyntheticOptions synthetic_options_from_layers(const BoundaryLayer& wards,
                                               const BoundaryLayer& town_centres) {
  SyntheticOptions options;
  options.area = wards.extent;
  options.within = wards.index.get();
  for (std::size_t i = 0; i < town_centres.size(); ++i) {
    options.town_centres.push_back(
        geo::area_centroid(geo::polygon_rings(town_centres.geometries[i].get()),
                           town_centres.envelopes[i]));
  }
  return options;
}

Expected<std::size_t> write_synthetic_csv(const SyntheticOptions& options, const std::string& path) {
  auto incidents = generate_incidents(options);
  if (!incidents) return incidents.error();
  const std::string text = synthetic_csv(*incidents);
  // Written beside the target and renamed, so a reader never sees half a file.
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return make_error(ErrorCode::unreadable_input, "cannot write '" + temporary + "'");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return make_error(ErrorCode::unreadable_input, "cannot write '" + temporary + "'");
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return make_error(ErrorCode::unreadable_input, "cannot rename '" + temporary + "' to '" + path + "'");
  }
  return incidents->size();
}

}  // namespace hotspot::data
