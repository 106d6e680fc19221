#pragma once
// The selection filters every incident and analysis endpoint takes:
//   category (alias categories), from, to, days, window, ward, scope,
//   buffer, bbox, preset
// parsed strictly into analysis::SelectionParams, plus their normalised
// text (defaults filled in) for metadata and cache keys.

#include "hotspot/analysis/selection.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/http/params.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotspot::http {

struct ParsedSelection {
  analysis::SelectionParams params;
  // Every selection parameter in a fixed order with its effective value
  // ("" for an absent optional one).
  std::vector<std::pair<std::string, std::string>> normalised;
};

// The names above, for an endpoint's list of accepted parameters.
const std::vector<std::string_view>& selection_param_names();
// selection_param_names() followed by `extra`.
std::vector<std::string_view> with_selection_params(std::vector<std::string_view> extra);

Expected<ParsedSelection> parse_selection(const Params& params, const data::Snapshot& snapshot);

}  // namespace hotspot::http
