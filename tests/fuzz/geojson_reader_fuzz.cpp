// libFuzzer target: the GeoJSON incident reader, fed the whole input as a
// file. Checks, besides the sanitizers, that every feature is accounted for
// (rows_read == rows_accepted + rows_rejected) and that the accepted count is
// what the reader returns and what the builder holds.

#include "hotspot/data/incident_readers.hpp"
#include "hotspot/data/load_report.hpp"

#include "reader_common.hpp"  // src/data: the readers' buffer entry points

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  using namespace hotspot;
  data::detail::FileBuffer file;
  file.size = size;
  file.bytes = std::make_unique<char[]>(size + 1);
  if (size) std::memcpy(file.bytes.get(), bytes, size);
  file.bytes[size] = '\0';

  data::IncidentSourceOptions options;
  options.path = "fuzz.geojson";
  data::FileReport report;
  data::IncidentTableBuilder builder;
  builder.begin_source(0, options.crs, &report);
  auto accepted = data::detail::read_geojson_incidents(options, file, builder, report);
  if (accepted) {
    if (report.rows_read != report.rows_accepted + report.rows_rejected) std::abort();
    if (*accepted != report.rows_accepted || builder.pending() != *accepted) std::abort();
  }
  return 0;
}
