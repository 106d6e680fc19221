#pragma once
// Incident file readers. Each reader appends accepted rows to a builder and
// records every row's fate in a FileReport; no input, however broken, throws.

#include "hotspot/common/error.hpp"
#include "hotspot/data/incident_table.hpp"
#include "hotspot/data/load_report.hpp"
#include "hotspot/data/source_kinds.hpp"
#include "hotspot/data/study_area.hpp"
#include "hotspot/data/venues.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::data {

// IncidentFormat (the source kind) and its names: source_kinds.hpp.

struct IncidentSourceOptions {
  std::string path;
  // The source kind; each has its own column names and category rules
  // (docs/sources.md).
  IncidentFormat format = IncidentFormat::detect;
  // Generic CSV column names (empty: auto-detect common names such as
  // id/crime_id, lon/longitude, lat/latitude, easting/x, northing/y,
  // category/crime_type/type, occurred_at/datetime/date/time/month).
  std::string id_column;
  std::string x_column;        // lon or easting
  std::string y_column;        // lat or northing
  std::string category_column;
  std::string time_column;
  // Column (CSV) or property (GeoJSON) flagging domestic incidents (true/false,
  // 1/0, yes/no, Y/N); empty: "domestic" when present. Public mode never
  // selects flagged rows.
  std::string domestic_column;
  // Columns only some kinds carry (empty: the kind's own names, see
  // docs/sources.md): the end of the time window ("committed to"), alcohol
  // involved (yes/no/unknown), subtype text, location text, venue name.
  std::string to_column;
  std::string alcohol_column;
  std::string subtype_column;
  std::string location_column;
  std::string venue_column;
  // Licensed premises that A&E venue names are matched against (--venues);
  // null: none loaded, and a row located only by a venue name is rejected.
  std::shared_ptr<const VenueList> venues;
  // CRS of the x/y columns; empty: EPSG:4326 for lon/lat names, EPSG:27700 for
  // easting/northing names.
  std::string crs;
  // Column (CSV) or property (GeoJSON) that marks generated rows; empty:
  // "synthetic". A file whose rows say true is reported as synthetic.
  std::string synthetic_column;
  // Attribution shown with the data; empty: a default for the format.
  std::string licence;
  // Parser threads for large CSV files (0 = hardware concurrency).
  unsigned threads = 0;
};

// Detects the format of a file from its extension and first bytes.
IncidentFormat detect_incident_format(const std::string& path, std::string_view head);

class IncidentTableBuilder;

// The fields of a row beyond place, time and category, which only some kinds
// carry; the defaults mean "none".
struct RowExtras {
  std::int64_t occurred_to = kNoOccurredTo;
  std::uint8_t alcohol = kAlcoholUnknown;
  std::string_view subtype;   // empty: none
  std::string_view location;  // empty: none
  bool is_default() const {
    return occurred_to == kNoOccurredTo && alcohol == kAlcoholUnknown && subtype.empty() &&
           location.empty();
  }
};

// Rows collected by one reader (or one reader thread), in the source CRS.
// Readers fill batches without locking and hand them to the builder whole.
struct RowBatch {
  std::vector<double> x;
  std::vector<double> y;
  std::vector<std::int64_t> utc;
  std::vector<TimePrecision> precision;
  std::vector<Category> category;
  std::vector<std::uint16_t> label;  // index into labels
  std::vector<std::uint8_t> domestic;  // 1: flagged domestic
  // As in IncidentTable: empty until a row carries the field, then one per row.
  std::vector<std::int64_t> occurred_to;
  std::vector<std::uint8_t> alcohol;
  std::vector<std::uint16_t> subtype;    // index into subtype_labels
  std::vector<std::uint32_t> location;   // index into location_labels
  std::vector<std::string> subtype_labels;
  std::vector<std::string> location_labels;
  // How category_of() maps labels: the source kind's rules.
  IncidentFormat kind = IncidentFormat::csv;
  std::vector<std::string> labels;
  std::vector<std::uint32_t> id_offset{0};
  std::string id_chars;
  std::vector<std::uint32_t> line;

  std::size_t size() const { return x.size(); }
  void reserve(std::size_t rows, std::size_t id_bytes);
  // Index of `text` in labels, added if new.
  std::uint16_t label_index(std::string_view text);
  // map_kind_label(kind, text), remembered per label: a file repeats a
  // handful of labels a million times.
  KindMapping category_of(std::string_view text);
  void add(double xv, double yv, ParsedTime time, Category c, std::string_view label_text,
           std::string_view id, std::size_t line_number, bool is_domestic = false,
           const RowExtras& extras = {});

 private:
  void add_extras(const RowExtras& extras);
  std::uint16_t last_label_ = 0xffff;  // most rows repeat the previous label
  struct Mapped {
    bool done = false;
    KindMapping mapping;
  };
  std::vector<Mapped> mapped_;  // per label
  // Index of `text` in location_labels, added if new.
  std::uint32_t location_index(std::string_view text);
  // Open-addressing table over location_labels: each slot holds the text's
  // hash (high 32 bits) and its index + 1 (0: empty). Flat, so the lookup
  // police.uk needs on nearly every row costs one probe and one compare.
  std::vector<std::uint64_t> location_slots_;
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
    bool domestic = false;
    RowExtras extras;
  };
  // Starts a new source file; rows added next belong to it.
  void begin_source(std::uint16_t source_index, std::string crs, FileReport* report);
  void add(const Row& row);
  // Appends a whole batch to the current source.
  void add_batch(RowBatch&& batch);
  // Sets the CRS of the current source (readers call it once they know it).
  void set_crs(std::string crs);
  // Forgets the rows of the current source (the file turned out unusable).
  void drop_current_source();
  // Threads used for projection in finish() (0 = hardware concurrency).
  void set_threads(unsigned threads);
  std::size_t pending() const;

  // Projects pending rows of each source to EPSG:27700, drops (and reports)
  // rows that fail projection or fall outside `study_area` (when not empty),
  // fills the local-time columns, and returns the table (joins left as kNoArea).
  std::shared_ptr<IncidentTable> finish(const geo::Box& study_area);
  // The same, with the study area the union of the wards (see study_area.hpp):
  // rows outside it are dropped and reported, and the ward column is filled
  // (the one ward join a load needs).
  std::shared_ptr<IncidentTable> finish(const StudyArea& study_area);
  // Seconds the last finish() spent finding wards.
  double ward_seconds() const { return ward_seconds_; }

 private:
  struct Pending;
  std::shared_ptr<IncidentTable> finish(const geo::Box& box, const StudyArea* area);
  std::shared_ptr<Pending> pending_;
  double ward_seconds_ = 0;
};

// Reads one file into the builder. A file that cannot be opened or has no
// recognisable columns is an Error (its report says so); bad rows are not.
Expected<std::size_t> read_incidents(const IncidentSourceOptions& options,
                                     IncidentTableBuilder& builder, FileReport& report);

}  // namespace hotspot::data
