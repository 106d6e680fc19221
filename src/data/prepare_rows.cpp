// prepare_rows: an uploaded file read the way start-up reads one, for the
// store; seed_store: a new store with the demo data in it.

#include "hotspot/data/source_store.hpp"
#include "hotspot/data/study_area.hpp"
#include "reader_common.hpp"

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

Expected<bool> seed_store(SourceStore& store, const IncidentSourceOptions& seed,
                          const BoundaryLayer& wards, double buffer_m) {
  auto version = store.version();
  if (!version) return version.error();
  if (*version != 0) return false;
  auto rows = prepare_rows(seed, wards, buffer_m);
  if (!rows) return rows.error();
  SourceDescription description;
  // The kind as the API spells it, from the format the reader found.
  description.kind = rows->report.format == "police-uk-csv" ? "police-uk" : rows->report.format;
  description.name = "Synthetic demo incidents (generated, not real)";
  description.licence = rows->report.synthetic ? detail::kSyntheticLicence : "";
  description.file_name = file_name(seed.path);
  description.synthetic = rows->report.synthetic;
  auto added = store.add(description, *rows, "hotspotd");
  if (!added) return added.error();
  return true;
}

}  // namespace hotspot::data
