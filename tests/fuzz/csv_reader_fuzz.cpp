// libFuzzer target: the CSV incident readers (police.uk and generic CSV) and
// the RFC 4180 record splitter under them, fed the whole input as a file.
//
// The input is the file's bytes. Its first byte picks the format the reader
// is told (detect from the bytes, police.uk, generic CSV) so one corpus
// reaches both column resolvers. Checks, besides the sanitizers:
//  - every row is accounted for: rows_read == rows_accepted + rows_rejected,
//    and the accepted count is what the reader returns;
//  - CsvCursor's fields always lie inside the buffer and lines only grow.

#include "hotspot/data/csv.hpp"
#include "hotspot/data/incident_readers.hpp"
#include "hotspot/data/load_report.hpp"

#include "reader_common.hpp"  // src/data: the readers' buffer entry points

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace hotspot;

data::detail::FileBuffer buffer_of(const std::uint8_t* bytes, std::size_t size) {
  data::detail::FileBuffer file;
  file.size = size;
  file.bytes = std::make_unique<char[]>(size + 1);  // read_whole_file also ends with a NUL
  if (size) std::memcpy(file.bytes.get(), bytes, size);
  file.bytes[size] = '\0';
  return file;
}

void check(bool ok) {
  if (!ok) std::abort();
}

void cursor_invariants(const std::uint8_t* bytes, std::size_t size) {
  auto file = buffer_of(bytes, size);
  std::span<char> text(file.data(), file.size);
  data::CsvCursor cursor(text, 1);
  std::vector<std::string_view> fields;
  std::size_t line = 1;
  for (std::size_t records = 0; records <= size; ++records) {
    const auto status = cursor.next(fields);
    if (status == data::CsvCursor::Status::end) return;
    check(cursor.line() >= line && cursor.record_line() >= line);
    line = cursor.line();
    check(cursor.offset() <= size);
    for (auto f : fields)
      check(f.empty() || (f.data() >= file.data() && f.data() + f.size() <= file.data() + size));
  }
  check(false);  // more records than bytes: the cursor did not advance
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = bytes[0];
  ++bytes;
  --size;

  cursor_invariants(bytes, size);

  data::IncidentSourceOptions options;
  options.path = "fuzz.csv";
  options.threads = 1;
  // Every CSV kind, the partnership ones included (ae-assault without a
  // venue list: its venue rows are rejected, which the counts below check).
  constexpr data::IncidentFormat kFormats[] = {
      data::IncidentFormat::detect,      data::IncidentFormat::police_uk_csv,
      data::IncidentFormat::csv,         data::IncidentFormat::police_extract,
      data::IncidentFormat::council_asb, data::IncidentFormat::fire,
      data::IncidentFormat::ae_assault};
  options.format = kFormats[selector % std::size(kFormats)];
  auto file = buffer_of(bytes, size);
  data::IncidentFormat format = options.format;
  if (format == data::IncidentFormat::detect)
    format = data::detect_incident_format(options.path, std::string_view(file.data(), file.size));
  if (format == data::IncidentFormat::geojson) format = data::IncidentFormat::csv;

  data::FileReport report;
  data::IncidentTableBuilder builder;
  builder.begin_source(0, options.crs, &report);
  auto accepted = data::detail::read_csv_incidents(options, format, file, builder, report);
  if (accepted) {
    check(report.rows_read == report.rows_accepted + report.rows_rejected);
    check(*accepted == report.rows_accepted);
    check(builder.pending() == *accepted);
  }
  return 0;
}
