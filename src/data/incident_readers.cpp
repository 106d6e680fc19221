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

bool accept_row(const RowFields& row, std::size_t line, RowBatch& batch, FileReport& report) {
  double x = row.x, y = row.y;
  if (!row.have_numbers) {
    const std::string_view xt = trim(row.x_text), yt = trim(row.y_text);
    if (!row.coordinates_present || xt.empty() || yt.empty()) {
      note_issue(report, RowIssue::missing_coordinates, line,
                 [] { return "coordinates are empty"; });
      ++report.rows_rejected;
      return false;
    }
    if (!parse_double(xt, x) || !parse_double(yt, y)) {
      note_issue(report, RowIssue::bad_coordinates, line, [&] {
        return "coordinates " + quote(xt) + ", " + quote(yt) + " are not finite numbers";
      });
      ++report.rows_rejected;
      return false;
    }
  } else if (!row.coordinates_present) {
    note_issue(report, RowIssue::missing_coordinates, line, [] { return "no point geometry"; });
    ++report.rows_rejected;
    return false;
  } else if (!std::isfinite(x) || !std::isfinite(y)) {
    note_issue(report, RowIssue::bad_coordinates, line, [] { return "coordinates are not finite"; });
    ++report.rows_rejected;
    return false;
  }

  const std::string_view time_text = trim(row.time);
  const auto time = parse_time(time_text);
  if (!time) {
    note_issue(report, RowIssue::bad_time, line, [&] {
      return time_text.empty() ? std::string("time is empty")
                               : "time " + quote(time_text) +
                                     " is not an ISO 8601 date-time in 1996-2099";
    });
    ++report.rows_rejected;
    return false;
  }

  bool domestic = false;
  if (row.have_domestic_column) {
    // A row whose flag cannot be read is rejected: public mode must never
    // publish an incident that may be domestic.
    const auto flag = parse_flag(row.domestic);
    if (!flag) {
      note_issue(report, RowIssue::bad_domestic, line, [&] {
        return "domestic " + quote(trim(row.domestic)) +
               " is not true/false, 1/0, yes/no or Y/N";
      });
      ++report.rows_rejected;
      return false;
    }
    domestic = *flag;
  }

  const std::string_view label = trim(row.category);
  bool known = false;
  const Category category = batch.category_of(label, &known);
  if (!known && row.have_category_column) {
    note_issue(report, RowIssue::unknown_category, line, [&] {
      return label.empty() ? std::string("category is empty; counted as other")
                           : "category " + quote(label) + " is not recognised; counted as other";
    });
  }

  std::string_view id = trim(row.id);
  char line_text[24];
  if (id.empty()) {
    // No id of its own (police.uk leaves Crime ID empty for anti-social
    // behaviour): the line number identifies the row within its file.
    auto [end, ec] = std::to_chars(line_text, line_text + sizeof line_text, line);
    id = std::string_view(line_text, ec == std::errc() ? static_cast<std::size_t>(end - line_text) : 0);
  }
  batch.add(x, y, *time, category, label, id, line, domestic);
  ++report.rows_accepted;
  return true;
}

}  // namespace detail

const char* incident_format_name(IncidentFormat f) {
  switch (f) {
    case IncidentFormat::detect: return "detect";
    case IncidentFormat::police_uk_csv: return "police-uk-csv";
    case IncidentFormat::csv: return "csv";
    case IncidentFormat::geojson: return "geojson";
  }
  return "unknown";
}

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
