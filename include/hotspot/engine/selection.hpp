#pragma once
// The selection filters every incident and analysis endpoint takes:
//   preset, category (alias categories), from, to, days, window, ward, group,
//   scope, buffer, bbox, alcohol (true|false), domestic (include|exclude|only)
// parsed once into analysis::SelectionParams, with what the canonical echo
// needs (the preset's name, ward codes and the bbox as given).

#include "hotspot/analysis/selection.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/canonical.hpp"
#include "hotspot/engine/disclosure.hpp"
#include "hotspot/engine/query.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::engine {

struct SelectionParams {
  analysis::SelectionParams filter;
  std::string preset;                 // "" or "nte"
  std::vector<std::string> ward_ids;  // codes of filter.wards, in order
  std::string group_id;               // group=, "" for none (filter.group_wards)
  std::optional<LonLatBox> bbox;      // as given; filter.bbox holds it in EPSG:27700
  bool dated = true;                  // false: the endpoint has its own periods (compare)
  // Public mode or not: set by the server (never from the query), so it is
  // not part of the canonical form; the cache keys it separately.
  Disclosure disclosure;

  // Sets the policy, and with it the exclusion of domestic incidents.
  void set_disclosure(const Disclosure& policy) {
    disclosure = policy;
    filter.exclude_domestic = policy.public_mode;
  }

  // The parameter names, with or without from/to.
  static std::span<const std::string_view> names(bool dated = true);
  // Reads the names above from `query`; ward codes and the group id are
  // looked up in `snapshot`.
  static Expected<SelectionParams> parse(const Query& query, const data::Snapshot& snapshot,
                                         bool dated = true);
  std::optional<Error> validate() const { return filter.validate(); }
  // What the disclosure policy forbids in these parameters (a `forbidden`
  // Error): domestic=only in public mode, where no domestic incident is
  // ever published. nullopt when allowed.
  std::optional<Error> disclosure_problem() const;
  void append_canonical(Canonical& out) const;
};

// Starts an endpoint's parameters: its `selection` member parsed from the
// query, the rest left at their defaults for the caller to parse.
template <typename Params>
Expected<Params> parse_selection_of(const Query& query, const data::Snapshot& snapshot,
                                    bool dated = true) {
  auto selection = SelectionParams::parse(query, snapshot, dated);
  if (!selection) return selection.error();
  Params out;
  out.selection = std::move(*selection);
  return out;
}

// Ends a parse: the parameters, or what their validate() finds wrong.
template <typename Params>
Expected<Params> validated(Expected<Params> parsed) {
  if (parsed) {
    if (auto problem = parsed->validate()) return *problem;
  }
  return parsed;
}

// The selection names followed by an endpoint's own.
std::vector<std::string_view> with_selection_names(std::vector<std::string_view> own,
                                                   bool dated = true);

// Every name an endpoint takes: the selection's (with from/to unless the
// endpoint has its own periods), then Params::kOwnNames.
template <typename Params>
std::span<const std::string_view> names_of(bool dated = true) {
  static const std::vector<std::string_view> names = with_selection_names(
      {std::begin(Params::kOwnNames), std::end(Params::kOwnNames)}, dated);
  return names;
}

// The Clark-Evans window: the area (m^2) of the wards a selection may hold,
// those of ward= and group= when given, else the whole study area. Other
// filters (scope, bbox) do not shrink it (docs/methods.md says how that reads).
double window_area_m2(const data::Snapshot& snapshot, const analysis::SelectionParams& filter);

// Sets selection.nni: the Clark-Evans index of its rows in the window of `filter`.
void add_nni(const data::Snapshot& snapshot, const analysis::SelectionParams& filter,
             analysis::Selection& selection);

// Runs the selection on the snapshot's table, with its Clark-Evans index; a
// `bbox` keeps exactly the rows inside the lon/lat box (keep_inside).
analysis::Selection select(const data::Snapshot& snapshot, const SelectionParams& params);
// Keeps the selected rows whose WGS84 position lies inside `box` (edges included).
void keep_inside(analysis::Selection& selection, const data::IncidentTable& table,
                 const LonLatBox& box);

struct Points {
  std::vector<double> xs, ys;  // EPSG:27700
};
// The selected rows' coordinates.
Points selected_points(const data::Snapshot& snapshot, const analysis::Selection& selection);

// The area grids cover: the ward layer, or the incidents when no wards are loaded.
geo::Box study_extent(const data::Snapshot& snapshot);

}  // namespace hotspot::engine
