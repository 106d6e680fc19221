// police.uk street-level CSV, generic CSV and the partnership kinds' CSV files
// (their column layouts: kind_columns.cpp).

#include "hotspot/data/csv.hpp"
#include "hotspot/data/incident_readers.hpp"

#include "hotspot/geo/parallel.hpp"
#include "csv_columns.hpp"
#include "reader_common.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace hotspot::data::detail {

namespace {

// Below this size a file is parsed on one thread: starting threads costs
// more than it saves.
constexpr std::size_t kParallelBytes = std::size_t{4} << 20;

Expected<Columns> police_uk_columns(const IncidentSourceOptions& options, ColumnFinder& finder) {
  Columns c;
  c.id = finder.find({"crimeid"});
  c.x = finder.find({"longitude"});
  c.y = finder.find({"latitude"});
  c.category = finder.find({"crimetype"});
  c.time = finder.find({"month"});
  // "On or near ..." (police.uk's anonymised location).
  c.location = finder.named(options.location_column, {"location"});
  if (c.x == kMissing || c.y == kMissing || c.time == kMissing || c.category == kMissing) {
    return make_error(ErrorCode::unreadable_input,
                      "'" + options.path +
                          "' is not a police.uk street-level file: it needs Longitude, Latitude, "
                          "Month and Crime type columns; header: " + finder.listed());
  }
  c.kind = Columns::Kind::lonlat;
  find_flag_columns(options, finder, c);
  if (!finder.missing().empty()) {
    return make_error(ErrorCode::unreadable_input, "'" + options.path + "' has no column " +
                                                       finder.missing() + "; header: " + finder.listed());
  }
  return c;
}

Expected<Columns> generic_columns(const IncidentSourceOptions& options, ColumnFinder& finder) {
  Columns c;
  c.id = finder.named(options.id_column, {"id", "crimeid", "incidentid", "reference", "ref", "fid"});
  c.category = finder.named(options.category_column,
                            {"category", "crimetype", "crimecategory", "offence", "offencetype",
                             "incidenttype", "type"});
  c.time = finder.named(options.time_column,
                        {"occurredat", "datetime", "timestamp", "occurred", "dateoccurred",
                         "reportedat", "date", "time", "month"});
  c.occurred_to = finder.named(options.to_column, {"occurredto", "endedat", "committedto"});
  c.subtype = finder.named(options.subtype_column, {"subtype"});
  c.location = finder.named(options.location_column, {"location"});
  c.venue = finder.named(options.venue_column, {});
  find_flag_columns(options, finder, c);
  if (!options.x_column.empty() || !options.y_column.empty()) {
    c.x = finder.named(options.x_column, {"easting", "lon", "longitude", "x"});
    c.y = finder.named(options.y_column, {"northing", "lat", "latitude", "y"});
    const std::string xn = c.x == kMissing ? "" : finder.name(c.x);
    c.kind = (xn == "lon" || xn == "lng" || xn == "long" || xn == "longitude") ? Columns::Kind::lonlat
             : (xn.find("east") != std::string::npos)                       ? Columns::Kind::grid
                                                                             : Columns::Kind::ambiguous;
  } else {
    // Grid coordinates win when a file has both: they are exact in the
    // working CRS and need no projection.
    find_coordinate_columns(finder, c);
    if (c.x == kMissing || c.y == kMissing) {
      c.x = finder.find({"x"});
      c.y = finder.find({"y"});
      c.kind = Columns::Kind::ambiguous;
    }
  }
  const std::string header = "; header: " + finder.listed();
  if (!finder.missing().empty()) {
    return make_error(ErrorCode::unreadable_input,
                      "'" + options.path + "' has no column " + finder.missing() + header);
  }
  if (c.x == kMissing || c.y == kMissing) {
    return make_error(ErrorCode::unreadable_input,
                      "'" + options.path +
                          "' has no coordinate columns (lon/lat, longitude/latitude, "
                          "easting/northing or x/y; or set x_column and y_column)" + header);
  }
  if (c.time == kMissing) {
    return make_error(ErrorCode::unreadable_input,
                      "'" + options.path +
                          "' has no time column (occurred_at, datetime, date, month, ...; or set "
                          "time_column)" + header);
  }
  return c;
}

// Finds the columns to read. An explicitly named column must exist; otherwise
// the kind's usual names are tried.
Expected<Columns> resolve_columns(const IncidentSourceOptions& options, IncidentFormat format,
                                  const std::vector<std::string_view>& raw) {
  ColumnFinder finder(raw);
  if (format == IncidentFormat::police_uk_csv) return police_uk_columns(options, finder);
  if (format == IncidentFormat::csv) return generic_columns(options, finder);
  return resolve_kind_columns(options, format, finder);
}

// What every row of a file is read with.
struct RowContext {
  Columns columns;
  std::size_t width = 0;  // fields in the header
  IncidentFormat kind = IncidentFormat::csv;
  const VenueList* venues = nullptr;
  bool venue_grid = true;  // venue points in EPSG:27700 (else EPSG:4326)
};

// One contiguous part of the file's body, parsed on its own thread.
struct Part {
  std::span<char> text;
  RowBatch batch;
  FileReport report;
  std::size_t lines = 0;           // line breaks consumed
  std::size_t synthetic_rows = 0;  // rows whose synthetic column is true
};

// The row's fields by the file's columns.
RowFields row_fields(const RowContext& context, const std::vector<std::string_view>& fields) {
  const Columns& c = context.columns;
  auto field = [&](int i) { return i == kMissing ? std::string_view() : fields[static_cast<std::size_t>(i)]; };
  RowFields row;
  row.x_text = field(c.x);
  row.y_text = field(c.y);
  row.coordinates_present = c.x != kMissing && c.y != kMissing;
  row.time = field(c.time);
  row.category = field(c.category);
  row.have_category_column = c.category != kMissing;
  row.default_label = default_kind_label(context.kind);
  row.id = field(c.id);
  row.have_domestic_column = c.domestic != kMissing;
  row.domestic = field(c.domestic);
  row.have_alcohol_column = c.alcohol != kMissing;
  row.alcohol = field(c.alcohol);
  row.have_to_column = c.occurred_to != kMissing;
  row.occurred_to = field(c.occurred_to);
  row.subtype = field(c.subtype);
  row.location = field(c.location);
  row.venue = field(c.venue);
  row.venues = context.venues;
  row.venue_grid = context.venue_grid;
  return row;
}

void parse_part(Part& part, std::size_t first_line, const RowContext& context,
                std::size_t estimated_rows) {
  const Columns& c = context.columns;
  const std::size_t columns = context.width;
  part.batch.kind = context.kind;
  part.batch.reserve(estimated_rows, estimated_rows * 8);
  CsvCursor cursor(part.text, first_line);
  std::vector<std::string_view> fields;
  fields.reserve(columns + 4);
  for (;;) {
    const auto status = cursor.next(fields);
    if (status == CsvCursor::Status::end) break;
    ++part.report.rows_read;
    const std::size_t line = cursor.record_line();
    if (status == CsvCursor::Status::malformed) {
      note_issue(part.report, RowIssue::malformed_row, line,
                 [&] { return std::string(cursor.error()); });
      ++part.report.rows_rejected;
      continue;
    }
    if (fields.size() != columns) {
      note_issue(part.report, RowIssue::malformed_row, line, [&] {
        return "row has " + std::to_string(fields.size()) + " fields, the header has " +
               std::to_string(columns);
      });
      ++part.report.rows_rejected;
      continue;
    }
    if (accept_row(row_fields(context, fields), line, part.batch, part.report) && c.synthetic != kMissing &&
        is_true(fields[static_cast<std::size_t>(c.synthetic)]))
      ++part.synthetic_rows;
  }
  part.lines = cursor.line() - first_line;
}

// Splits `body` into up to `parts` pieces at line breaks.
std::vector<std::span<char>> split_lines(std::span<char> body, std::size_t parts) {
  std::vector<std::span<char>> out;
  std::size_t begin = 0;
  for (std::size_t k = 1; k < parts && begin < body.size(); ++k) {
    std::size_t cut = std::max(begin, body.size() * k / parts);
    const void* nl = std::memchr(body.data() + cut, '\n', body.size() - cut);
    if (nl == nullptr) break;
    cut = static_cast<std::size_t>(static_cast<const char*>(nl) - body.data()) + 1;
    out.push_back(body.subspan(begin, cut - begin));
    begin = cut;
  }
  out.push_back(body.subspan(begin));
  return out;
}

// Rows per byte, from the first lines of the body, to reserve columns.
double rows_per_byte(std::span<const char> body) {
  const std::size_t sample = std::min<std::size_t>(body.size(), 65536);
  const auto lines = static_cast<double>(std::count(body.data(), body.data() + sample, '\n'));
  return sample == 0 ? 0.0 : (lines + 1) / static_cast<double>(sample);
}

}  // namespace

Expected<std::size_t> read_csv_incidents(const IncidentSourceOptions& options, IncidentFormat format,
                                         FileBuffer& file, IncidentTableBuilder& builder,
                                         FileReport& report) {
  std::span<char> text = strip_bom(std::span<char>(file.data(), file.size));
  CsvCursor header_cursor(text, 1);
  std::vector<std::string_view> header;
  const auto status = header_cursor.next(header);
  if (status == CsvCursor::Status::end) {
    return make_error(ErrorCode::empty_input, "'" + options.path + "' holds no header line");
  }
  if (status == CsvCursor::Status::malformed) {
    return make_error(ErrorCode::unreadable_input, "'" + options.path + "' has a broken header line (" +
                                                       std::string(header_cursor.error()) + ")");
  }
  auto columns = resolve_columns(options, format, header);
  if (!columns) return columns.error();
  const Columns c = *columns;

  std::string crs = options.crs;
  if (crs.empty() && c.kind != Columns::Kind::ambiguous)
    crs = c.kind == Columns::Kind::lonlat ? geo::kWgs84 : geo::kWorkingCrs;

  // The header's fields point into the buffer, which the body parse may
  // rewrite: nothing below reads them.
  const RowContext context{c, header.size(), format, options.venues.get(),
                           crs.empty() || normalise_name(crs) == "epsg27700"};
  std::span<char> body = text.subspan(header_cursor.offset());
  const std::size_t first_body_line = header_cursor.line();
  const double density = rows_per_byte(body);

  // Parse in parallel only when no field is quoted: a quoted field may hold a
  // line break, and then a split at a line break could cut a record.
  std::size_t parts_wanted = 1;
  if (body.size() >= kParallelBytes && std::memchr(body.data(), '"', body.size()) == nullptr)
    parts_wanted = geo::resolve_threads(options.threads);
  std::vector<Part> parts;
  for (auto piece : split_lines(body, parts_wanted)) parts.push_back(Part{piece, {}, {}, 0, 0});
  // Each part needs the file line number it starts on (row ids fall back to
  // line numbers), so the parts count their line breaks first, in parallel.
  std::vector<std::size_t> first_line(parts.size(), first_body_line);
  if (parts.size() > 1) {
    std::vector<std::size_t> breaks(parts.size(), 0);
    geo::parallel_slices(parts.size(), static_cast<unsigned>(parts.size()), 1,
                         [&](std::size_t, std::size_t b, std::size_t e) {
                           for (std::size_t k = b; k < e; ++k)
                             breaks[k] = static_cast<std::size_t>(
                                 std::count(parts[k].text.begin(), parts[k].text.end(), '\n'));
                         });
    for (std::size_t k = 1; k < parts.size(); ++k) first_line[k] = first_line[k - 1] + breaks[k - 1];
  }
  geo::parallel_slices(parts.size(), static_cast<unsigned>(parts.size()), 1,
                       [&](std::size_t, std::size_t b, std::size_t e) {
                         for (std::size_t k = b; k < e; ++k) {
                           const auto estimate = static_cast<std::size_t>(
                               density * static_cast<double>(parts[k].text.size()) * 1.02) + 16;
                           parse_part(parts[k], first_line[k], context, estimate);
                         }
                       });

  std::size_t synthetic_rows = 0;
  for (auto& part : parts) {
    synthetic_rows += part.synthetic_rows;
    merge_report(report, part.report);
  }

  // x/y columns without a CRS: degrees if every sampled value fits.
  if (crs.empty()) {
    bool degrees = false;
    for (const auto& part : parts) {
      const std::size_t n = std::min<std::size_t>(part.batch.size(), 200);
      if (n == 0) continue;
      degrees = true;
      for (std::size_t i = 0; i < n; ++i)
        degrees = degrees && std::fabs(part.batch.x[i]) <= 180 && std::fabs(part.batch.y[i]) <= 90;
      break;
    }
    crs = degrees ? geo::kWgs84 : geo::kWorkingCrs;
    report.notes.push_back(std::string("x/y columns read as ") + crs +
                           (degrees ? " (values look like degrees)" : " (values look like metres)") +
                           "; set crs to override");
  }
  builder.set_crs(crs);

  if (synthetic_rows > 0) {
    report.synthetic = true;
    if (synthetic_rows != report.rows_accepted) {
      report.notes.push_back(std::to_string(synthetic_rows) + " of " +
                             std::to_string(report.rows_accepted) +
                             " accepted rows are marked synthetic; the file is labelled synthetic");
    }
  }
  if (c.category == kMissing && default_kind_label(format).empty())
    report.notes.push_back("no category column: every row counts as other");
  if (report.rows_read == 0) report.notes.push_back("the file has a header but no rows");

  std::size_t accepted = 0;
  for (auto& part : parts) {
    accepted += part.batch.size();
    builder.add_batch(std::move(part.batch));
  }
  return accepted;
}

}  // namespace hotspot::data::detail
