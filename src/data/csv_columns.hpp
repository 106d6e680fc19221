#pragma once
// Which CSV column holds which field (private to the data module): found
// from the header by common names, or named by the user (?x=, ?time=, ...).

#include "hotspot/common/error.hpp"
#include "hotspot/data/incident_readers.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::data::detail {

inline constexpr int kMissing = -1;

struct Columns {
  int id = kMissing, x = kMissing, y = kMissing, category = kMissing, time = kMissing,
      synthetic = kMissing, domestic = kMissing;
  // Fields only some kinds carry.
  int occurred_to = kMissing, alcohol = kMissing, subtype = kMissing, location = kMissing,
      venue = kMissing;
  enum class Kind { lonlat, grid, ambiguous } kind = Kind::lonlat;
};

// Looks columns up in a normalised header; a column the user named must
// exist, and the ones that do not are collected for one error message.
class ColumnFinder {
 public:
  explicit ColumnFinder(const std::vector<std::string_view>& raw);
  // The first of `names` in the header, or kMissing.
  int find(std::initializer_list<std::string_view> names) const;
  // `option` when given (recorded as missing if absent), else find(names).
  int named(const std::string& option, std::initializer_list<std::string_view> names);
  // The normalised name of column i.
  const std::string& name(int i) const { return header_[static_cast<std::size_t>(i)]; }
  // "'a', 'b'" of the named columns not found; empty when all were.
  const std::string& missing() const { return missing_; }
  // The raw header, shortened, for messages.
  const std::string& listed() const { return listed_; }

 private:
  std::vector<std::string> header_;
  std::string missing_;
  std::string listed_;
};

// The columns every kind may carry: domestic, alcohol, synthetic (by the
// options' names or the usual ones).
void find_flag_columns(const IncidentSourceOptions& options, ColumnFinder& finder, Columns& c);

// Easting/northing when the header has them (exact in the working CRS),
// else longitude/latitude.
void find_coordinate_columns(ColumnFinder& finder, Columns& c);

// The columns of a partnership kind (police-extract, council-asb, fire,
// ae-assault), by the kind's own names (docs/sources.md) or the options'.
Expected<Columns> resolve_kind_columns(const IncidentSourceOptions& options, IncidentFormat kind,
                                       ColumnFinder& finder);

}  // namespace hotspot::data::detail
