#pragma once
// What loading did with every file and every row: nothing vanishes silently.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::data {

// Why a row was rejected (or, for unknown_category, accepted as "other").
enum class RowIssue {
  missing_coordinates,
  bad_coordinates,        // unparsable or non-finite numbers
  outside_study_area,     // projected point in no ward (beyond the study-area buffer)
  bad_time,               // missing, unparsable, or outside supported years
  unknown_category,       // accepted, mapped to "other" (a warning, not a rejection)
  malformed_row,          // wrong number of fields, bad quoting, bad feature
  bad_domestic,           // a domestic column whose value is not true/false, 1/0, yes/no, Y/N
  duplicate,              // already in the store (same source kind and row id): not stored twice
  bad_alcohol,            // an alcohol column whose value is not yes/no/unknown (or true/false, 1/0, Y/N)
  unmatched_venue,        // located only by a venue name that is not in the venue list (--venues)
};
const char* row_issue_name(RowIssue issue);

struct RowExample {
  std::size_t line = 0;   // 1-based line number (CSV) or feature number (GeoJSON)
  RowIssue issue{};
  std::string detail;     // e.g. "Longitude 'abc' is not a number"
};

struct FileReport {
  std::string path;
  std::string format;         // the kind: "police-uk", "fire", ..., "csv", "geojson"; "ogr"
  std::string kind;           // "incidents", "wards", "town-centres"
  bool loaded = false;        // false: the whole file was rejected (see error)
  std::string error;          // why the file could not be used
  std::size_t rows_read = 0;
  std::size_t rows_accepted = 0;
  std::size_t rows_rejected = 0;
  // Rows left out of a store because it holds them already (see
  // source_store.hpp); rows_read = accepted + rejected + duplicate.
  std::size_t rows_duplicate = 0;
  // A source read from the store: its id there (0: a file named at start-up).
  std::int64_t store_id = 0;
  std::map<RowIssue, std::size_t> issues;  // counts by reason (rejections and warnings)
  std::vector<RowExample> examples;        // first few per reason
  std::vector<std::string> notes;          // e.g. "feature E05008xxx repaired with MakeValid"
  double seconds = 0;
  // Incident files: the file says its rows are generated (a `synthetic`
  // column or property that is true), not real records.
  bool synthetic = false;
  // content_hash() of the bytes read (incident files), or the names and
  // contents of every file of a boundary dataset; 0 when nothing was read.
  // The snapshot version is made from these.
  std::uint64_t content_hash = 0;

  static constexpr std::size_t kExamplesPerIssue = 5;
  void add_issue(RowIssue issue, std::size_t line, std::string detail);
};

struct LoadReport {
  std::vector<FileReport> files;
  std::string loaded_at;  // ISO 8601 UTC
  // Wall-clock seconds by stage: "boundaries", "parse", "project", "join", "total".
  std::map<std::string, double> timings;
  // The incident table's distinct coordinates, and its rows that share
  // their exact coordinates with another row (police.uk snap points stack
  // crimes on one map point), over all files together.
  std::size_t distinct_locations = 0;
  std::size_t stacked_rows = 0;
};

// What clients may read of a file's path: its name, without directories
// (the server's log keeps whole paths; answers do not show the server's
// file system).
std::string file_name(std::string_view path);
// `text` with `path` (as given, relative ones too) shown as its file name and
// every other absolute path (one starting with '/' at the start or after a
// space, quote, bracket or comma) cut to its last part: GDAL's and the
// readers' messages name files whole.
std::string without_directories(std::string_view text, std::string_view path = {});

}  // namespace hotspot::data
