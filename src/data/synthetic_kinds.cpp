// Seeded fixtures for the partnership source kinds (synthetic_kinds.hpp).

#include "hotspot/data/synthetic_kinds.hpp"

#include "hotspot/data/local_time.hpp"
#include "hotspot/geo/crs.hpp"
#include "hotspot/geo/types.hpp"
#include "seeded_random.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace hotspot::data {

namespace {

// Town centres of County Durham (EPSG:27700), well inside their wards; rows
// are drawn within 150 m of one.
constexpr std::array<geo::Point, 6> kCentres{{{427430, 542470},   // Durham
                                               {421300, 529300},   // Bishop Auckland
                                               {427300, 551300},   // Chester-le-Street
                                               {425400, 533700},   // Spennymoor
                                               {442800, 540700},   // Peterlee
                                               {410500, 550900}}}; // Consett
// Central London: outside the study area.
constexpr geo::Point kOutside{530000, 180000};

// Venues of the synthetic venue list, and how the A&E rows spell them (case,
// spaces and punctuation differ; the names match).
struct VenueSpelling {
  std::string_view listed;
  std::string_view written;
  geo::Point point;
};
constexpr std::array<VenueSpelling, 5> kVenues{{
    {"The Kings Head", "the king's head", {427380, 542520}},
    {"Swan and Cygnets", "SWAN AND CYGNETS", {427350, 542350}},
    {"Market Tavern", "Market  Tavern", {427460, 542500}},
    {"Bondgate Bar", "bondgate-bar", {421250, 529350}},
    {"The Lambton Arms", "The Lambton Arms.", {427300, 551300}},
}};
constexpr std::string_view kUnlistedVenue = "The Imaginary Inn";

enum class Fault {
  none, missing_coordinates, bad_coordinates, bad_time, bad_domestic, bad_alcohol, outside,
  unknown_label, end_before_start, unmatched_venue, venue_only,
};

struct KindSpec {
  IncidentFormat kind;
  std::string_view header;
  std::vector<std::string_view> labels;  // the kind's own labels, last one unknown to hotspot
  std::vector<Fault> faults;             // one row each, spread among the good rows
};

std::vector<KindSpec> specs() {
  using F = Fault;
  return {
      {IncidentFormat::police_uk_csv,
       "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
       "Crime type,Last outcome category,Context,synthetic",
       {"Violence and sexual offences", "Criminal damage and arson", "Public order",
        "Anti-social behaviour", "Burglary", "Shoplifting", "Wildlife crime"},
       {F::missing_coordinates, F::bad_coordinates, F::bad_time, F::outside, F::outside,
        F::unknown_label}},
      {IncidentFormat::police_extract,
       "Crime Reference,Offence Code,Offence Description,Committed From,Committed To,Easting,"
       "Northing,Location,Domestic Flag,Alcohol Flag,synthetic",
       {"Assault occasioning actual bodily harm", "Common assault", "Criminal damage to a vehicle",
        "Arson not endangering life", "Public fear, alarm or distress", "Theft from the person",
        "Burglary - residential", "Dangerous driving"},
       {F::missing_coordinates, F::bad_coordinates, F::bad_time, F::end_before_start,
        F::bad_domestic, F::bad_alcohol, F::outside, F::outside, F::unknown_label}},
      {IncidentFormat::council_asb,
       "Case Reference,Date Reported,Incident Date,ASB Type,Location,Easting,Northing,"
       "Alcohol Related,Domestic,synthetic",
       {"Rowdy/Nuisance behaviour", "Vehicle related nuisance", "Neighbour dispute",
        "Environmental - fly-tipping", "Street drinking", "Other ASB"},
       {F::missing_coordinates, F::bad_coordinates, F::bad_time, F::bad_domestic, F::bad_alcohol,
        F::outside, F::unknown_label}},
      {IncidentFormat::fire,
       "Incident Number,Call Date Time,Incident Type,Easting,Northing,Alcohol Suspected,synthetic",
       {"Deliberate secondary fire - refuse", "Deliberate primary fire - road vehicle",
        "Deliberate secondary fire - grassland", "Deliberate primary fire - dwelling",
        "Accidental fire - dwelling", "Fire alarm - false"},
       {F::missing_coordinates, F::bad_time, F::bad_alcohol, F::outside, F::outside,
        F::unknown_label}},
      {IncidentFormat::ae_assault,
       "Attendance ID,Assault Date Time,Venue,Easting,Northing,Weapon,Alcohol,Domestic,synthetic",
       {"None", "Knife", "Bottle/glass", "Blunt object"},  // weapons (no category column)
       {F::missing_coordinates, F::bad_time, F::bad_domestic, F::bad_alcohol, F::outside,
        F::unmatched_venue, F::venue_only, F::venue_only, F::venue_only, F::venue_only,
        F::venue_only}},
  };
}

constexpr std::size_t kGoodRows = 24;
constexpr std::array<std::string_view, 5> kStreets{"Market Place", "Front Street", "North Road",
                                                   "Parking Area", "Shopping Area"};

// One drawn row before it is written in a kind's layout.
struct Draw {
  Fault fault = Fault::none;
  geo::Point p;
  std::string when;      // local "YYYY-MM-DD HH:MM", or "YYYY-MM" (police-uk)
  std::string until;     // committed-to, may be empty
  std::size_t label = 0;
  std::string_view domestic, alcohol;
  std::size_t venue = 0;
  std::size_t street = 0;
};

std::string local_text(std::int32_t day, int minute, bool month_only) {
  const CivilDate d = civil_from_days(day);
  char text[32];
  if (month_only) {
    std::snprintf(text, sizeof text, "%04d-%02u", d.year, d.month);
  } else {
    std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d", d.year, d.month, d.day, minute / 60,
                  minute % 60);
  }
  return text;
}

Draw draw_row(detail::Random& random, const KindSpec& spec, Fault fault) {
  Draw d;
  d.fault = fault;
  const geo::Point centre = kCentres[random.below(kCentres.size())];
  d.p = {centre.x + random.uniform(-150, 150), centre.y + random.uniform(-150, 150)};
  if (fault == Fault::outside) d.p = kOutside;
  const std::int32_t day = days_from_civil(2024, 1, 1) + static_cast<std::int32_t>(random.below(366));
  const int minute = static_cast<int>(random.below(1440));
  d.when = local_text(day, minute, spec.kind == IncidentFormat::police_uk_csv);
  const int hours = static_cast<int>(random.below(3));  // 0: no committed-to
  if (hours > 0) d.until = local_text(day + (minute + hours * 240 >= 1440), (minute + hours * 240) % 1440, false);
  if (fault == Fault::end_before_start) d.until = local_text(day - 1, minute, false);
  d.label = random.below(spec.labels.size() - (spec.kind == IncidentFormat::ae_assault ? 0 : 1));
  if (fault == Fault::unknown_label) d.label = spec.labels.size() - 1;
  d.domestic = random.uniform() < 0.2 ? "Y" : "N";
  const double a = random.uniform();
  d.alcohol = a < 0.4 ? "Y" : a < 0.8 ? "N" : "";
  d.venue = random.below(kVenues.size());
  d.street = random.below(kStreets.size());
  return d;
}

std::string quoted(std::string_view text) {
  if (text.find(',') == std::string_view::npos) return std::string(text);
  return "\"" + std::string(text) + "\"";
}

std::string number(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Easting and northing fields as the fault asks.
std::string grid_fields(const Draw& d) {
  if (d.fault == Fault::missing_coordinates || d.fault == Fault::venue_only ||
      d.fault == Fault::unmatched_venue)
    return ",";
  if (d.fault == Fault::bad_coordinates) return "n/a,n/a";
  return number(d.p.x, 0) + "," + number(d.p.y, 0);
}

std::string time_field(const Draw& d, bool month_only) {
  if (d.fault == Fault::bad_time) return month_only ? "2024-13" : "31/13/2024 25:00";
  return d.when;
}
std::string_view domestic_field(const Draw& d) { return d.fault == Fault::bad_domestic ? "maybe" : d.domestic; }
std::string_view alcohol_field(const Draw& d) { return d.fault == Fault::bad_alcohol ? "perhaps" : d.alcohol; }

std::string police_uk_line(const Draw& d, std::size_t n, const KindSpec& spec, geo::Point lonlat) {
  const std::string_view label = spec.labels[d.label];
  // police.uk leaves Crime ID empty for anti-social behaviour.
  const std::string id = label == "Anti-social behaviour" ? "" : "synthetic-" + std::to_string(n);
  std::string coordinates = number(lonlat.x, 6) + "," + number(lonlat.y, 6);
  if (d.fault == Fault::missing_coordinates) coordinates = ",";
  if (d.fault == Fault::bad_coordinates) coordinates = "n/a,n/a";
  return id + "," + time_field(d, true) + ",Durham Constabulary,Durham Constabulary," + coordinates +
         ",On or near " + std::string(kStreets[d.street]) + ",,," + std::string(label) +
         ",Investigation complete; no suspect identified,,true";
}

std::string kind_line(const Draw& d, std::size_t n, const KindSpec& spec) {
  const std::string_view label = spec.labels[d.label];
  const std::string serial = std::to_string(1000 + n);
  switch (spec.kind) {
    case IncidentFormat::police_extract:
      return "DUR/SYN/" + serial + ",," + quoted(label) + "," + time_field(d, false) + "," + d.until +
             "," + grid_fields(d) + "," + std::string(kStreets[d.street]) + "," +
             std::string(domestic_field(d)) + "," + std::string(alcohol_field(d)) + ",true";
    case IncidentFormat::council_asb:
      return "ASB-SYN-" + serial + "," + d.when.substr(0, 10) + "," + time_field(d, false) + "," +
             quoted(label) + "," + std::string(kStreets[d.street]) + "," + grid_fields(d) + "," +
             std::string(alcohol_field(d)) + "," + std::string(domestic_field(d)) + ",true";
    case IncidentFormat::fire:
      return "FRS-SYN-" + serial + "," + time_field(d, false) + "," + quoted(label) + "," +
             grid_fields(d) + "," + std::string(alcohol_field(d)) + ",true";
    default: {  // ae-assault: the label list holds the weapons
      std::string_view venue;
      if (d.fault == Fault::venue_only) venue = kVenues[d.venue].written;
      if (d.fault == Fault::unmatched_venue) venue = kUnlistedVenue;
      return "AE-SYN-" + serial + "," + time_field(d, false) + "," + quoted(venue) + "," +
             grid_fields(d) + "," + quoted(label) + "," + std::string(alcohol_field(d)) + "," +
             std::string(domestic_field(d)) + ",true";
    }
  }
}

}  // namespace

std::vector<IncidentFormat> fixture_kinds() {
  return {IncidentFormat::police_uk_csv, IncidentFormat::police_extract, IncidentFormat::council_asb,
          IncidentFormat::fire, IncidentFormat::ae_assault};
}

std::string kind_fixture_name(IncidentFormat kind) {
  return std::string(incident_format_name(kind)) + "-synthetic.csv";
}

Expected<std::string> synthetic_kind_csv(IncidentFormat kind, std::uint64_t seed) {
  const auto all = specs();
  const KindSpec* spec = nullptr;
  for (const auto& s : all) {
    if (s.kind == kind) spec = &s;
  }
  if (spec == nullptr) {
    return make_error(ErrorCode::invalid_parameter,
                      std::string("no synthetic fixture for kind ") + incident_format_name(kind));
  }
  auto to_lonlat = geo::Transformer::create(geo::kWorkingCrs, geo::kWgs84);
  if (!to_lonlat) return to_lonlat.error();
  detail::Random random(seed ^ static_cast<std::uint64_t>(kind));
  std::string out = std::string(spec->header) + "\n";
  // Faults every third row, in the spec's order, then the rest good.
  std::size_t next_fault = 0;
  const std::size_t rows = kGoodRows + spec->faults.size();
  for (std::size_t n = 1; n <= rows; ++n) {
    const bool faulty = next_fault < spec->faults.size() && (n % 3 == 0 || rows - n < spec->faults.size() - next_fault);
    const Draw d = draw_row(random, *spec, faulty ? spec->faults[next_fault++] : Fault::none);
    out += kind == IncidentFormat::police_uk_csv
               ? police_uk_line(d, n, *spec, to_lonlat->transform(d.p))
               : kind_line(d, n, *spec);
    out += '\n';
  }
  return out;
}

std::string synthetic_venues_csv() {
  std::string out = "Premises Name,Easting,Northing,synthetic\n";
  for (const auto& v : kVenues)
    out += std::string(v.listed) + "," + number(v.point.x, 0) + "," + number(v.point.y, 0) + ",true\n";
  return out;
}

Expected<std::vector<std::string>> write_kind_fixtures(const std::string& directory,
                                                       std::uint64_t seed) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const IncidentFormat kind : fixture_kinds()) {
    auto text = synthetic_kind_csv(kind, seed);
    if (!text) return text.error();
    files.emplace_back(kind_fixture_name(kind), std::move(*text));
  }
  files.emplace_back(kVenuesFixtureName, synthetic_venues_csv());
  std::vector<std::string> written;
  for (const auto& [name, text] : files) {
    const std::string path = (std::filesystem::path(directory) / name).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return make_error(ErrorCode::unreadable_input, "cannot write '" + path + "'");
    written.push_back(path);
  }
  return written;
}

}  // namespace hotspot::data
