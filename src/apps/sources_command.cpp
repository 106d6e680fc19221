// hotspot sources add|replace|remove|list: the store's changes for
// scheduled jobs, the same as /api/sources. A server over the same store
// serves a change within its --store-poll interval.

#include "sources_command.hpp"

#include "hotspot/data/load_report.hpp"
#include "hotspot/data/source_arguments.hpp"
#include "hotspot/data/source_store.hpp"

#include <charconv>
#include <cstdlib>
#include <iostream>

namespace hotspot::apps {
namespace {

constexpr int kFailureExit = 1;
constexpr int kUsageExit = 2;

int usage_error(const std::string& message) {
  std::cerr << "hotspot sources: " << message << "\n(see hotspot --help)\n";
  return kUsageExit;
}

int failure(const Error& error) {
  std::cerr << "hotspot sources: " << error.message << "\n";
  return kFailureExit;
}

std::optional<std::int64_t> parse_id(const std::string& text) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
    return std::nullopt;
  }
  return id;
}

void print(const data::SourceRecord& r) {
  std::cout << r.id << "\t" << r.kind << "\t" << r.name << "\t" << r.rows_accepted
            << " stored, " << r.rows_rejected << " rejected, " << r.rows_duplicate
            << " duplicate\t" << (r.first_occurred.empty() ? "-" : r.first_occurred) << " .. "
            << (r.last_occurred.empty() ? "-" : r.last_occurred) << "\tadded " << r.added_at
            << " by " << r.added_by;
  if (!r.replaced_at.empty()) std::cout << ", replaced " << r.replaced_at << " by " << r.replaced_by;
  if (r.withdrawn()) std::cout << ", withdrawn " << r.withdrawn_at << " by " << r.withdrawn_by;
  std::cout << (r.synthetic ? "\tsynthetic" : "") << "\n";
}

void print_report(const data::FileReport& report) {
  std::cerr << "read " << report.rows_read << " rows: " << report.rows_accepted << " stored, "
            << report.rows_rejected << " rejected, " << report.rows_duplicate << " duplicate\n";
  for (const auto& [issue, count] : report.issues) {
    std::cerr << "  " << data::row_issue_name(issue) << ": " << count << "\n";
  }
  for (const auto& example : report.examples) {
    std::cerr << "  line " << example.line << ": " << example.detail << "\n";
  }
}

// add and replace: the file read against the wards, then the change.
int store_file(data::SourceStore& store, Options& options, std::optional<std::int64_t> id) {
  const std::string kind = take(options, "kind");
  const auto format = data::parse_incident_format(kind);
  if (!format || *format == data::IncidentFormat::detect) {
    return usage_error(
        "--kind must be police-uk, police-extract, council-asb, fire, ae-assault, csv or geojson");
  }
  data::SourceDescription description;
  description.kind = kind;
  description.name = take(options, "name");
  if (description.name.empty()) return usage_error("--name NAME is needed");
  description.licence = take(options, "licence");
  const std::string file = take(options, "file");
  if (file.empty()) return usage_error("--file FILE is needed");
  description.file_name = data::file_name(file);
  description.options = take(options, "options");
  const char* user = std::getenv("USER");
  const std::string by = take(options, "by", user != nullptr ? user : "hotspot");
  data::BoundaryOptions wards_options;
  wards_options.kind = "wards";
  wards_options.path = take(options, "wards", (data::project_root() / "geodata/wards-E06000047.json").string());
  const std::string venues_path = take(options, "venues");
  const std::string buffer_text = take(options, "study-area-buffer", "0");
  const double buffer = std::strtod(buffer_text.c_str(), nullptr);
  if (!options.empty()) return usage_error("unknown option --" + options.begin()->first);

  auto reader = data::parse_incident_source(
      kind + ":" + file + (description.options.empty() ? "" : "?" + description.options));
  if (!reader) return failure(reader.error());
  if (!venues_path.empty()) {
    auto venues = data::VenueList::load(venues_path);
    if (!venues) return failure(venues.error());
    reader->venues = std::make_shared<const data::VenueList>(std::move(*venues));
  }
  data::FileReport wards_report;
  auto wards = data::load_boundaries(wards_options, wards_report);
  if (!wards) return failure(wards.error());
  auto rows = data::prepare_rows(*reader, *wards, buffer);
  if (!rows) return failure(rows.error());
  if (rows->report.rows_accepted == 0) {
    print_report(rows->report);
    return failure(make_error(ErrorCode::empty_input, "no row could be used; nothing was stored"));
  }
  description.synthetic = rows->report.synthetic;
  auto record = id ? store.replace(*id, description, *rows, by) : store.add(description, *rows, by);
  if (!record) return failure(record.error());
  print_report(rows->report);
  print(*record);
  return 0;
}

}  // namespace

int sources_command(std::string_view action, Options options) {
  const std::string connection = take(options, "store");
  if (connection.empty()) return usage_error("--store FILE.gpkg|PG:... is needed");
  const bool create = action == "add";
  auto store = data::SourceStore::open(connection, create);
  if (!store) return failure(store.error());
  if (action == "list") {
    const std::string withdrawn = take(options, "withdrawn", "false");
    if (!options.empty()) return usage_error("list takes only --store and --withdrawn true");
    auto records = (*store)->list(withdrawn == "true");
    if (!records) return failure(records.error());
    for (const auto& record : *records) print(record);
    return 0;
  }
  if (action == "add") return store_file(**store, options, std::nullopt);
  const auto id = parse_id(take(options, "id"));
  if (!id) return usage_error(std::string(action) + " needs --id N (hotspot sources list shows them)");
  if (action == "replace") return store_file(**store, options, id);
  if (action == "remove") {
    const char* user = std::getenv("USER");
    const std::string by = take(options, "by", user != nullptr ? user : "hotspot");
    if (!options.empty()) return usage_error("remove takes only --store, --id and --by");
    auto record = (*store)->remove(*id, by);
    if (!record) return failure(record.error());
    print(*record);
    return 0;
  }
  return usage_error("sources takes add, replace, remove or list");
}

}  // namespace hotspot::apps
