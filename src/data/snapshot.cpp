// load_snapshot and join_areas: everything loaded into one immutable view.

#include "hotspot/data/snapshot.hpp"

#include "hotspot/data/area_grid.hpp"
#include "hotspot/data/local_time.hpp"
#include "hotspot/data/polygon_edges.hpp"
#include "store_snapshot.hpp"
#include "hotspot/data/study_area.hpp"

#include "hotspot/data/fnv1a.hpp"
#include "hotspot/geo/distinct_points.hpp"
#include "hotspot/geo/parallel.hpp"
#include "bundled_files.hpp"
#include "reader_common.hpp"

#include <chrono>
#include <cstdio>
#include <deque>
#include <limits>

namespace hotspot::data {

namespace {

using Clock = std::chrono::steady_clock;

// Below this many incidents the ward grid costs more to build than it saves.
constexpr std::size_t kMinRowsForAreaGrid = 20000;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The load options that change what is loaded or shown: the files, named
// fields and columns, CRSs, layer, licence texts (not thread counts).
void hash_options(Fnv1a& hash, const BoundaryOptions& o) {
  for (const std::string* field :
       {&o.path, &o.kind, &o.id_field, &o.name_field, &o.source_crs, &o.layer_name, &o.licence}) {
    hash.add_field(*field);
  }
}

void hash_options(Fnv1a& hash, const IncidentSourceOptions& o) {
  hash.add_field(incident_format_name(o.format));
  for (const std::string* field :
       {&o.path, &o.id_column, &o.x_column, &o.y_column, &o.category_column, &o.time_column,
        &o.crs, &o.synthetic_column, &o.licence, &o.domestic_column, &o.to_column,
        &o.alcohol_column, &o.subtype_column, &o.location_column, &o.venue_column}) {
    hash.add_field(*field);
  }
}

// The snapshot version: a hash of the options above and of the content of
// every file read (FileReport::content_hash, taken from the bytes the
// readers parsed, or from every file of a boundary dataset). Path, size and
// modification time are not enough: `cp -p` of a same-size file, or a new
// .dbf beside the same .shp, must change it. Without `with_store` the
// store's sources are left out: the version of the start-up files alone.
std::string snapshot_version(const LoadOptions& options, const LoadReport& report,
                             bool with_store = true) {
  Fnv1a hash;
  hash.add_field("hotspot snapshot version 2");
  hash_options(hash, options.wards);
  hash_options(hash, options.town_centres);
  hash_options(hash, options.groups);
  for (const auto& source : options.incidents) hash_options(hash, source);
  hash.add_field(options.venues);
  for (const auto& source : options.populations) {
    hash.add_field(source.layer);
    hash.add_field(source.path);
  }
  hash.add(options.study_area_buffer);
  hash.add_field(options.area_name);
  hash.add_field(options.store);
  for (const FileReport& file : report.files) {
    if (!with_store && file.store_id > 0) continue;
    hash.add_field(file.kind);
    hash.add_field(file.path);
    hash.add(static_cast<std::uint64_t>(file.loaded));
    hash.add(file.content_hash);
  }
  return hex64(hash.h);
}

std::shared_ptr<const BoundaryLayer> empty_layer(const std::string& kind) {
  auto layer = std::make_shared<BoundaryLayer>();
  layer->kind = kind;
  return layer;
}

// The attribution the ONS boundary files bundled in geodata/ must carry.
constexpr const char* kOnsLicence =
    "Contains Ordnance Survey and Office for National Statistics data (c) Crown copyright and "
    "database right 2016. Licensed under the Open Government Licence v3.0. GeoJSON conversion "
    "by Martin Chorley (UK-GeoJSON), CC BY 4.0.";
constexpr const char* kIllustrativeLicence =
    "Illustrative boundaries drawn for hotspot: not official boundaries.";

// What to say about a boundary layer's origin: the licence named on the
// command line; else illustrative when every feature says so; else the ONS
// attribution when every id is an ONS GSS code (E05... wards, E01... LSOAs)
// of a file bundled in geodata/ (whose attribution we know); else nothing,
// rather than a guess: another area's ONS file may carry other terms, and a
// file that came without a licence option gets no credit line.
std::string boundary_licence(const BoundaryOptions& options, const BoundaryLayer& layer) {
  if (!options.licence.empty()) return options.licence;
  if (layer.size() == 0) return "";
  const auto all = [&](auto&& predicate) {
    for (std::size_t i = 0; i < layer.size(); ++i) {
      if (!predicate(i)) return false;
    }
    return true;
  };
  if (all([&](std::size_t i) {
        const auto it = layer.properties[i].find("illustrative");
        return it != layer.properties[i].end() && it->second == "true";
      })) {
    return kIllustrativeLicence;
  }
  if (detail::bundled_county_durham_file(options.path) && all([&](std::size_t i) {
        const std::string& id = layer.ids[i];
        return id.size() == 9 && (id[0] == 'E' || id[0] == 'W') &&
               id.find_first_not_of("0123456789", 1) == std::string::npos;
      })) {
    return kOnsLicence;
  }
  return "";
}

std::vector<const GEOSGeom_t*> raw(const BoundaryLayer& layer) {
  std::vector<const GEOSGeom_t*> out;
  out.reserve(layer.geometries.size());
  for (const auto& g : layer.geometries) out.push_back(g.get());
  return out;
}

// Fills the town-centre columns; `coverage` is where the incidents are.
void join_town_centres(IncidentTable& table, const BoundaryLayer& town_centres,
                       const geo::Box& coverage, unsigned threads) {
  const std::size_t n = table.size();
  table.town_centre.assign(n, kNoArea);
  table.town_centre_distance.assign(n, std::numeric_limits<float>::infinity());
  if (n == 0 || !town_centres.index || town_centres.index->size() == 0) return;
  // Town centres: a grid settles containment for most points (inside one:
  // distance 0; outside all: only the distance is left to find); the rest
  // get containment and distance in one pass over the edges (see
  // polygon_edges.hpp).
  const std::vector<const GEOSGeom_t*> polygons = raw(town_centres);
  const PolygonEdges centres(polygons, *town_centres.index, coverage);
  const bool use_grid = n >= kMinRowsForAreaGrid;
  const AreaGrid grid(polygons, *town_centres.index, use_grid ? 50.0 : 0.0);
  geo::parallel_slices(n, threads, 4096, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const geo::Point p = table.point(i);
      std::int32_t known = kNoArea;
      if (grid.try_locate(p, known)) {
        table.town_centre[i] = known;
        table.town_centre_distance[i] =
            known != kNoArea ? 0.0f : static_cast<float>(centres.distance_outside(p));
      } else {
        const PolygonEdges::Hit hit = centres.locate_with_distance(p);
        table.town_centre[i] = hit.polygon;
        table.town_centre_distance[i] = static_cast<float>(hit.distance);
      }
    }
  });
}

// What the assignment did, in the groups file's report: how many wards each
// way, and every ward left out by name (never silently).
void note_assignment(const BoundaryLayer& wards, const AreaGroups& groups, double seconds,
                     FileReport& file) {
  char took[32];
  std::snprintf(took, sizeof took, "%.3f", seconds);
  file.notes.push_back(std::to_string(wards.size() - groups.unassigned.size()) + " of " +
                       std::to_string(wards.size()) + " wards assigned to " +
                       std::to_string(groups.layer->size()) +
                       " groups (each to the group holding most of its area) in " + took + " s");
  for (const std::int32_t w : groups.unassigned) {
    const auto i = static_cast<std::size_t>(w);
    const std::string name = i < wards.names.size() ? wards.names[i] : std::string();
    file.notes.push_back("ward " + wards.ids[i] + " (" + name + ") overlaps no group: in no group");
  }
  if (groups.failed_overlaps > 0) {
    file.notes.push_back(std::to_string(groups.failed_overlaps) +
                         " ward/group overlaps could not be measured (GEOS error): counted as none");
  }
}

// Reads the venue list (--venues) and reports it like any other file; null
// when none is configured or it cannot be used (rows that need it are then
// rejected as unmatched_venue, saying so).
std::shared_ptr<const VenueList> load_venues(const std::string& path, LoadReport& report) {
  if (path.empty()) return nullptr;
  FileReport file;
  file.path = path;
  file.kind = "venues";
  file.format = "csv";
  const auto start = Clock::now();
  auto list = VenueList::load(path);
  file.seconds = seconds_since(start);
  file.loaded = list.has_value();
  std::shared_ptr<const VenueList> out;
  if (list) {
    file.rows_read = file.rows_accepted = list->size();
    file.content_hash = list->content_hash();
    out = std::make_shared<const VenueList>(std::move(*list));
  } else {
    file.error = list.error().message;
  }
  report.files.push_back(std::move(file));
  return out;
}

}  // namespace

void join_areas(IncidentTable& table, const BoundaryLayer& wards, const BoundaryLayer& town_centres,
                unsigned threads) {
  const std::size_t n = table.size();
  table.ward.assign(n, kNoArea);
  // Wards: a grid answers most points without GEOS (see area_grid.hpp); it
  // costs a few milliseconds to build, so small tables go to the index.
  if (n > 0 && wards.index && wards.index->size() > 0) {
    if (n >= kMinRowsForAreaGrid) {
      const std::vector<const GEOSGeom_t*> polygons = raw(wards);
      AreaGrid(polygons, *wards.index).locate_all(table.x, table.y, table.ward, threads);
    } else {
      wards.index->locate_all(table.x, table.y, table.ward, threads);
    }
  }
  join_town_centres(table, town_centres, wards.extent, threads);
}

std::shared_ptr<const Snapshot> load_snapshot(const LoadOptions& options) {
  const auto total_start = Clock::now();
  auto snapshot = std::make_shared<Snapshot>();
  LoadReport& report = snapshot->report;
  report.loaded_at = utc_now_iso8601();

  // Boundaries first: the wards are the incidents' study area.
  const auto boundaries_start = Clock::now();
  auto load_layer = [&](const BoundaryOptions& layer_options,
                        const std::string& default_kind) -> std::shared_ptr<const BoundaryLayer> {
    const std::string kind = layer_options.kind.empty() ? default_kind : layer_options.kind;
    if (layer_options.path.empty()) return empty_layer(kind);
    FileReport file;
    file.path = layer_options.path;
    file.kind = kind;
    file.format = "ogr";
    const auto start = Clock::now();
    auto layer = load_boundaries(layer_options, file);
    file.seconds = seconds_since(start);
    file.loaded = layer.has_value();
    if (!layer) {
      file.error = layer.error().message;
      report.files.push_back(std::move(file));
      return empty_layer(kind);
    }
    report.files.push_back(std::move(file));
    snapshot->sources.push_back(
        DataSource{layer_options.path, kind, "ogr", report.loaded_at, false,
                   boundary_licence(layer_options, *layer)});
    return std::make_shared<const BoundaryLayer>(std::move(*layer));
  };
  snapshot->wards = load_layer(options.wards, "wards");
  snapshot->town_centres = load_layer(options.town_centres, "town-centres");
  snapshot->area = area_name(options.area_name, *snapshot->wards, options.wards.path);
  snapshot->town_centres_outside =
      town_centres_outside_wards(*snapshot->wards, *snapshot->town_centres);
  report.timings["boundaries"] = seconds_since(boundaries_start);
  if (!options.groups.path.empty()) {
    const auto groups_start = Clock::now();
    auto groups = load_layer(options.groups, "groups");
    const auto assign_start = Clock::now();
    auto assigned = std::make_shared<AreaGroups>(
        assign_wards(*snapshot->wards, std::move(groups), options.threads));
    FileReport& file = report.files.back();
    if (file.loaded) note_assignment(*snapshot->wards, *assigned, seconds_since(assign_start), file);
    snapshot->groups = std::move(assigned);
    report.timings["groups"] = seconds_since(groups_start);
  }

  // The venue list, which A&E records naming a venue are placed by.
  std::shared_ptr<const VenueList> venues = load_venues(options.venues, report);
  snapshot->venues = venues;

  // Incidents: each file on its own, so one broken file leaves the rest.
  // The reports live in a vector sized up front: the builder keeps pointers
  // to them until finish().
  const auto parse_start = Clock::now();
  // (A deque: read_store adds to it while the builder holds pointers.)
  std::deque<FileReport> incident_reports(options.incidents.size());
  IncidentTableBuilder builder;
  builder.set_threads(options.threads);
  for (std::size_t i = 0; i < options.incidents.size(); ++i) {
    const IncidentSourceOptions& source = options.incidents[i];
    const auto source_index = static_cast<std::uint16_t>(snapshot->sources.size());
    builder.begin_source(source_index, source.crs, &incident_reports[i]);
    IncidentSourceOptions with_threads = source;
    if (with_threads.threads == 0) with_threads.threads = options.threads;
    with_threads.venues = venues;
    auto read = read_incidents(with_threads, builder, incident_reports[i]);
    if (!read) continue;
    const FileReport& file = incident_reports[i];
    std::string licence = source.licence;
    if (licence.empty() && file.synthetic) licence = detail::kSyntheticLicence;
    snapshot->sources.push_back(
        DataSource{source.path, "incidents", file.format, report.loaded_at, file.synthetic, licence});
  }
  const std::int64_t store_version =
      options.store.empty() ? 0 : detail::read_store(options.store, builder, *snapshot, incident_reports);
  report.timings["parse"] = seconds_since(parse_start);

  // The study area is the wards themselves: finish() finds each row's ward
  // and drops the rows in none (beyond the buffer), so the ward join is
  // done there, once; its time is reported under "join".
  const auto area_start = Clock::now();
  const StudyArea study_area(*snapshot->wards, options.study_area_buffer, builder.pending());
  const double area_seconds = seconds_since(area_start);
  const auto project_start = Clock::now();
  auto table = builder.finish(study_area);
  report.timings["project"] = seconds_since(project_start) - builder.ward_seconds();

  const auto join_start = Clock::now();
  join_town_centres(*table, *snapshot->town_centres, snapshot->wards->extent, options.threads);
  report.timings["join"] = seconds_since(join_start) + area_seconds + builder.ward_seconds();
  const geo::DistinctPoints places = geo::distinct_points(table->x, table->y);
  report.distinct_locations = places.points.size();
  report.stacked_rows = places.stacked_rows;
  snapshot->incidents = std::move(table);
  for (auto& file : incident_reports) report.files.push_back(std::move(file));

  // Populations last: they are listed after the incident files, whose rows
  // hold indices into `sources`.
  auto populations = std::make_shared<Populations>(load_populations(options.populations));
  auto kind_of = [&](const std::optional<LayerPopulation>* layer) {
    return std::string(layer == &populations->wards ? "population-wards" : "population-town-centres");
  };
  for (const auto* layer : {&populations->wards, &populations->town_centres}) {
    if (!*layer) continue;
    const std::string kind = kind_of(layer);
    FileReport file;
    file.path = (*layer)->path;
    file.kind = kind;
    file.format = "csv";
    file.loaded = (*layer)->table.has_value();
    file.error = (*layer)->error;
    file.content_hash = (*layer)->content_hash;
    if ((*layer)->table) {
      file.rows_read = file.rows_accepted = (*layer)->table->by_id.size();
      snapshot->sources.push_back(DataSource{(*layer)->path, kind, "csv", report.loaded_at, false, ""});
    }
    report.files.push_back(std::move(file));
  }

  snapshot->populations = std::move(populations);
  snapshot->version = snapshot_version(options, report);
  snapshot->files_version = snapshot_version(options, report, false);
  snapshot->store_version = store_version;
  report.timings["total"] = seconds_since(total_start);
  return snapshot;
}

std::vector<std::string> load_failures(const Snapshot& snapshot) {
  std::vector<std::string> out;
  for (const auto& file : snapshot.report.files) {
    const std::string name = file_name(file.path);
    if (!file.loaded) {
      const std::string why = file.error.empty() ? std::string("could not be read")
                                                 : without_directories(file.error, file.path);
      out.push_back(name + ": " + why);
    } else if (file.rows_accepted == 0 && !(file.store_id > 0 && file.rows_read == 0)) {
      // (A stored source may hold no rows: every row of its file was a
      // duplicate. That is its record, not a failure.)
      std::string why = "no rows accepted (" + std::to_string(file.rows_read) + " read";
      for (const auto& [issue, count] : file.issues) {
        if (issue == RowIssue::unknown_category) continue;  // a warning, not a rejection
        why += ", " + std::to_string(count) + " " + row_issue_name(issue);
      }
      out.push_back(name + ": " + why + ")");
    }
  }
  return out;
}

std::vector<std::string> load_warnings(const Snapshot& snapshot) {
  std::vector<std::string> out;
  const auto& outside = snapshot.town_centres_outside;
  if (outside.empty()) return out;
  std::string names;
  for (const std::string& name : outside) names += (names.empty() ? "" : ", ") + name;
  const bool all = outside.size() == snapshot.town_centres->size();
  out.push_back((all ? "None of the " + std::to_string(outside.size()) + " town centres"
                     : std::to_string(outside.size()) + " of the " +
                           std::to_string(snapshot.town_centres->size()) + " town centres") +
                " overlap" + (all ? "s" : "") + " the loaded wards (" + names +
                "): a town-centre scope finds no incidents there");
  return out;
}

void Store::replace(std::shared_ptr<const Snapshot> next) {
  snapshot_.store(std::move(next));
  refused_.store(nullptr);
}

std::vector<std::string> Store::reload(std::shared_ptr<const Snapshot> next) {
  std::vector<std::string> failures = load_failures(*next);
  if (failures.empty()) {
    replace(std::move(next));
  } else {
    refused_.store(std::make_shared<const std::vector<std::string>>(failures));
  }
  return failures;
}

std::vector<std::string> Store::reload_failures() const {
  const auto refused = refused_.load();
  return refused ? *refused : std::vector<std::string>{};
}

}  // namespace hotspot::data
