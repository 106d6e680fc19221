// prepare_rows: an uploaded file read the way start-up reads one, for the store.

#include "hotspot/data/source_store.hpp"
#include "hotspot/data/study_area.hpp"

#include <chrono>

namespace hotspot::data {

Expected<PreparedRows> prepare_rows(const IncidentSourceOptions& options,
                                    const BoundaryLayer& wards, double buffer_m) {
  const auto start = std::chrono::steady_clock::now();
  PreparedRows out;
  out.report.path = options.path;
  out.report.kind = "incidents";
  IncidentTableBuilder builder;
  builder.set_threads(options.threads);
  builder.begin_source(0, options.crs, &out.report);
  auto read = read_incidents(options, builder, out.report);
  if (!read) {
    out.report.error = read.error().message;
    return read.error();
  }
  const StudyArea area(wards, buffer_m, builder.pending());
  out.table = builder.finish(area);
  out.report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace hotspot::data
