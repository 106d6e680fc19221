#pragma once
// Reads one incident file into a table the way the loader does, keeping its
// report: the reader tests' one way to load a file.

#include "hotspot/data/incident_readers.hpp"
#include "hotspot/geo/types.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace hotspot::data::testing {

struct Loaded {
  bool ok = false;
  std::string error;
  FileReport report;
  std::shared_ptr<IncidentTable> table;
};

inline Loaded load(const IncidentSourceOptions& options, const geo::Box& area = {}) {
  Loaded out;
  IncidentTableBuilder builder;
  builder.begin_source(0, options.crs, &out.report);
  auto result = read_incidents(options, builder, out.report);
  out.ok = result.has_value();
  if (!result) out.error = result.error().message;
  out.table = builder.finish(area);
  return out;
}

// Rows the report counts for `issue`.
inline std::size_t count(const FileReport& r, RowIssue issue) {
  auto it = r.issues.find(issue);
  return it == r.issues.end() ? 0 : it->second;
}

}  // namespace hotspot::data::testing
