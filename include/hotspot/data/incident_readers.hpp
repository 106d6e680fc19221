#pragma once
// Incident file readers. Each reader appends accepted rows to a builder and
// records every row's fate in a FileReport; no input, however broken, throws.

#include "hotspot/common/error.hpp"
#include "hotspot/data/incident_table.hpp"
#include "hotspot/data/load_report.hpp"

#include <memory>
#include <string>

namespace hotspot::data {

enum class IncidentFormat { detect, police_uk_csv, csv, geojson };
const char* incident_format_name(IncidentFormat f);

struct IncidentSourceOptions {
  std::string path;
  IncidentFormat format = IncidentFormat::detect;
  // Generic CSV column names (empty: auto-detect common names such as
  // id/crime_id, lon/longitude, lat/latitude, easting/x, northing/y,
  // category/crime_type/type, occurred_at/datetime/date/time/month).
  std::string id_column;
  std::string x_column;        // lon or easting
  std::string y_column;        // lat or northing
  std::string category_column;
  std::string time_column;
  // CRS of the x/y columns; empty: EPSG:4326 for lon/lat names, EPSG:27700 for
  // easting/northing names.
  std::string crs;
};

// Collects rows, then projects and joins them in bulk. Readers call add().
class IncidentTableBuilder {
 public:
  // x/y in the source CRS; projection happens in finish().
  struct Row {
    double x = 0;
    double y = 0;
    ParsedTime time;
    Category category = Category::other;
    std::string_view category_label;
    std::string_view id;
    std::size_t line = 0;  // for the report if the row is rejected later
  };
  // Starts a new source file; rows added next belong to it.
  void begin_source(std::uint16_t source_index, std::string crs, FileReport* report);
  void add(const Row& row);
  std::size_t pending() const;

  // Projects pending rows of each source to EPSG:27700, drops (and reports)
  // rows that fail projection or fall outside `study_area` (when not empty),
  // fills the local-time columns, and returns the table (joins left as kNoArea).
  std::shared_ptr<IncidentTable> finish(const geo::Box& study_area);

 private:
  struct Pending;
  std::shared_ptr<Pending> pending_;
};

// Reads one file into the builder. A file that cannot be opened or has no
// recognisable columns is an Error (its report says so); bad rows are not.
Expected<std::size_t> read_incidents(const IncidentSourceOptions& options,
                                     IncidentTableBuilder& builder, FileReport& report);

}  // namespace hotspot::data
