// read_incidents: file access, format detection, and the per-row checks
// shared by the CSV and GeoJSON readers.

#include "hotspot/data/incident_readers.hpp"
#include "hotspot/data/csv.hpp"
#include "hotspot/data/fnv1a.hpp"

#include "reader_common.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <sys/stat.h>

namespace hotspot::data {

namespace detail {

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// Quotes a piece of input for a message, shortened and with control bytes
// replaced, so that a binary file cannot produce an unreadable report.
std::string quote(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (text.size() > kMax) out += "...";
  out += "'";
  return out;
}

}  // namespace

Expected<FileBuffer> read_whole_file(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    return make_error(ErrorCode::unreadable_input,
                      "cannot open '" + path + "': " + std::strerror(errno));
  }
  // Directories and devices open fine but have no meaningful size.
  struct stat info {};
  if (fstat(fileno(f.get()), &info) != 0 || !S_ISREG(info.st_mode)) {
    return make_error(ErrorCode::unreadable_input, "cannot read '" + path + "' (not a regular file)");
  }
  // One read of the whole file: the parsers work on a contiguous buffer.
  if (std::fseek(f.get(), 0, SEEK_END) != 0) {
    return make_error(ErrorCode::unreadable_input, "cannot read '" + path + "' (not a regular file)");
  }
  const long size = std::ftell(f.get());
  if (size < 0 || std::fseek(f.get(), 0, SEEK_SET) != 0) {
    return make_error(ErrorCode::unreadable_input, "cannot read '" + path + "' (not a regular file)");
  }
  FileBuffer buffer;
  buffer.size = static_cast<std::size_t>(size);
  buffer.bytes = std::make_unique_for_overwrite<char[]>(buffer.size + 1);
  if (buffer.size > 0 && std::fread(buffer.data(), 1, buffer.size, f.get()) != buffer.size) {
    return make_error(ErrorCode::unreadable_input, "cannot read '" + path + "': short read");
  }
  buffer.bytes[buffer.size] = '\0';
  return buffer;
}

void merge_report(FileReport& into, const FileReport& other) {
  into.rows_read += other.rows_read;
  into.rows_accepted += other.rows_accepted;
  into.rows_rejected += other.rows_rejected;
  std::map<RowIssue, std::size_t> shown;
  for (const auto& e : into.examples) ++shown[e.issue];
  for (const auto& e : other.examples) {
    if (shown[e.issue] < FileReport::kExamplesPerIssue) {
      into.examples.push_back(e);
      ++shown[e.issue];
    }
  }
  for (const auto& [issue, count] : other.issues) into.issues[issue] += count;
  into.notes.insert(into.notes.end(), other.notes.begin(), other.notes.end());
  into.synthetic = into.synthetic || other.synthetic;
}

bool parse_double(std::string_view text, double& out) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(out);
}

bool is_true(std::string_view text) {
  text = trim(text);
  if (text.size() == 1) return text[0] == '1' || text[0] == 'y' || text[0] == 'Y';
  std::string lower = normalise_name(text);
  return lower == "true" || lower == "yes";
}

std::optional<bool> parse_flag(std::string_view text) {
  const std::string word = normalise_name(trim(text));
  if (word == "true" || word == "1" || word == "yes" || word == "y") return true;
  if (word == "false" || word == "0" || word == "no" || word == "n") return false;
  return std::nullopt;
}

std::optional<std::uint8_t> parse_alcohol(std::string_view text) {
  const std::string word = normalise_name(trim(text));
  if (word.empty() || word == "unknown" || word == "notknown" || word == "u" || word == "nk")
    return kAlcoholUnknown;
  const auto flag = parse_flag(text);
  if (!flag) return std::nullopt;
  return *flag ? kAlcoholYes : kAlcoholNo;
}

namespace {

// Rejects the row for `issue`, with a detail made only for kept examples.
template <typename Detail>
bool reject_row(FileReport& report, RowIssue issue, std::size_t line, Detail&& detail) {
  note_issue(report, issue, line, std::forward<Detail>(detail));
  ++report.rows_rejected;
  return false;
}

// The point of a row located only by a venue name (A&E records): the named
// venue's, and the venue's own spelling as the location.
bool venue_point(const RowFields& row, std::size_t line, FileReport& report, double& x, double& y,
                 std::string_view& location) {
  const std::string_view name = trim(row.venue);
  const Venue* venue = row.venues ? row.venues->find(name) : nullptr;
  if (venue == nullptr) {
    return reject_row(report, RowIssue::unmatched_venue, line, [&] {
      return row.venues ? "venue " + quote(name) + " is not in the venue list (--venues)"
                        : "venue " + quote(name) + " cannot be placed: no venue list (--venues) is loaded";
    });
  }
  const geo::Point p = row.venue_grid ? venue->grid : venue->lonlat;
  x = p.x;
  y = p.y;
  location = venue->name;
  return true;
}

// The row's coordinates (source CRS), or a rejection.
bool row_point(const RowFields& row, std::size_t line, FileReport& report, double& x, double& y,
               std::string_view& location) {
  x = row.x;
  y = row.y;
  if (row.have_numbers) {
    if (!row.coordinates_present)
      return reject_row(report, RowIssue::missing_coordinates, line, [] { return "no point geometry"; });
    if (!std::isfinite(x) || !std::isfinite(y))
      return reject_row(report, RowIssue::bad_coordinates, line, [] { return "coordinates are not finite"; });
    return true;
  }
  const std::string_view xt = trim(row.x_text), yt = trim(row.y_text);
  if (!row.coordinates_present || (xt.empty() && yt.empty())) {
    if (!trim(row.venue).empty()) return venue_point(row, line, report, x, y, location);
    return reject_row(report, RowIssue::missing_coordinates, line, [] { return "coordinates are empty"; });
  }
  if (xt.empty() || yt.empty())
    return reject_row(report, RowIssue::missing_coordinates, line, [] { return "coordinates are empty"; });
  if (!parse_double(xt, x) || !parse_double(yt, y)) {
    return reject_row(report, RowIssue::bad_coordinates, line, [&] {
      return "coordinates " + quote(xt) + ", " + quote(yt) + " are not finite numbers";
    });
  }
  return true;
}

// The start (required) and end (optional) of the row's time.
bool row_times(const RowFields& row, std::size_t line, FileReport& report, ParsedTime& from,
               std::int64_t& to) {
  const std::string_view time_text = trim(row.time);
  const auto time = parse_time(time_text);
  if (!time) {
    return reject_row(report, RowIssue::bad_time, line, [&] {
      return time_text.empty() ? std::string("time is empty")
                               : "time " + quote(time_text) + " is not an ISO 8601 date-time in 1996-2099";
    });
  }
  from = *time;
  to = kNoOccurredTo;
  const std::string_view to_text = trim(row.occurred_to);
  if (!row.have_to_column || to_text.empty()) return true;
  const auto end = parse_time(to_text);
  if (!end) {
    return reject_row(report, RowIssue::bad_time, line, [&] {
      return "end time " + quote(to_text) + " is not an ISO 8601 date-time in 1996-2099";
    });
  }
  if (end->utc_seconds < from.utc_seconds) {
    return reject_row(report, RowIssue::bad_time, line, [&] {
      return "end time " + quote(to_text) + " is before the start " + quote(time_text);
    });
  }
  to = end->utc_seconds;
  return true;
}

// The domestic and alcohol flags. A domestic flag that cannot be read
// rejects the row: public mode must never publish an incident that may be
// domestic. An unreadable alcohol flag is rejected too rather than guessed.
bool row_flags(const RowFields& row, std::size_t line, FileReport& report, bool& domestic,
               std::uint8_t& alcohol) {
  domestic = false;
  if (row.have_domestic_column) {
    const auto flag = parse_flag(row.domestic);
    if (!flag) {
      return reject_row(report, RowIssue::bad_domestic, line, [&] {
        return "domestic " + quote(trim(row.domestic)) + " is not true/false, 1/0, yes/no or Y/N";
      });
    }
    domestic = *flag;
  }
  alcohol = kAlcoholUnknown;
  if (row.have_alcohol_column) {
    const auto value = parse_alcohol(row.alcohol);
    if (!value) {
      return reject_row(report, RowIssue::bad_alcohol, line, [&] {
        return "alcohol " + quote(trim(row.alcohol)) + " is not yes/no/unknown, true/false, 1/0 or Y/N";
      });
    }
    alcohol = *value;
  }
  return true;
}

}  // namespace

bool accept_row(const RowFields& row, std::size_t line, RowBatch& batch, FileReport& report) {
  RowExtras extras;
  extras.location = trim(row.location);
  double x = 0, y = 0;
  if (!row_point(row, line, report, x, y, extras.location)) return false;
  ParsedTime time;
  if (!row_times(row, line, report, time, extras.occurred_to)) return false;
  bool domestic = false;
  if (!row_flags(row, line, report, domestic, extras.alcohol)) return false;

  const std::string_view label = row.have_category_column ? trim(row.category) : row.default_label;
  const KindMapping mapping = batch.category_of(label);
  if (!mapping.known && row.have_category_column) {
    note_issue(report, RowIssue::unknown_category, line, [&] {
      const std::string counted = "counted as " + std::string(category_name(mapping.category));
      return label.empty() ? "category is empty; " + counted
                           : "category " + quote(label) + " is not recognised; " + counted;
    });
  }
  extras.subtype = trim(row.subtype);
  if (extras.subtype.empty()) extras.subtype = mapping.subtype;

  std::string_view id = trim(row.id);
  char line_text[24];
  if (id.empty()) {
    // No id of its own (police.uk leaves Crime ID empty for anti-social
    // behaviour): the line number identifies the row within its file.
    auto [end, ec] = std::to_chars(line_text, line_text + sizeof line_text, line);
    id = std::string_view(line_text, ec == std::errc() ? static_cast<std::size_t>(end - line_text) : 0);
  }
  batch.add(x, y, time, mapping.category, label, id, line, domestic, extras);
  ++report.rows_accepted;
  return true;
}

}  // namespace detail

IncidentFormat detect_incident_format(const std::string& path, std::string_view head) {
  auto ends_with = [&](std::string_view suffix) {
    if (path.size() < suffix.size()) return false;
    return normalise_name(path.substr(path.size() - suffix.size())) == normalise_name(suffix);
  };
  if (ends_with(".geojson") || ends_with(".json")) return IncidentFormat::geojson;
  std::size_t i = 0;
  if (head.size() >= 3 && head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
    ++i;
  if (i < head.size() && head[i] == '{') return IncidentFormat::geojson;
  // police.uk street-level files start with this exact header.
  const std::string_view first_line = head.substr(i, head.find('\n', i) - i);
  const std::string normal = normalise_name(first_line);
  if (normal.find("crimeid") != std::string::npos && normal.find("crimetype") != std::string::npos &&
      normal.find("fallswithin") != std::string::npos)
    return IncidentFormat::police_uk_csv;
  return IncidentFormat::csv;
}

Expected<std::size_t> read_incidents(const IncidentSourceOptions& options,
                                     IncidentTableBuilder& builder, FileReport& report) {
  const auto started = std::chrono::steady_clock::now();
  report.path = options.path;
  report.kind = "incidents";
  auto finish = [&](Expected<std::size_t> result) {
    report.loaded = result.has_value();
    if (!result) {
      report.error = result.error().message;
      builder.drop_current_source();
    }
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
  };

  auto file = detail::read_whole_file(options.path);
  if (!file) return finish(file.error());
  // The bytes parsed are the bytes hashed: the version names what was loaded.
  report.content_hash = content_hash(std::string_view(file->data(), file->size), options.threads);
  if (file->size == 0) {
    return finish(make_error(ErrorCode::empty_input, "'" + options.path + "' is empty"));
  }
  IncidentFormat format = options.format;
  if (format == IncidentFormat::detect) {
    format = detect_incident_format(
        options.path, std::string_view(file->data(), std::min<std::size_t>(file->size, 4096)));
  }
  report.format = incident_format_name(format);
  if (format == IncidentFormat::geojson)
    return finish(detail::read_geojson_incidents(options, *file, builder, report));
  return finish(detail::read_csv_incidents(options, format, *file, builder, report));
}

}  // namespace hotspot::data
