#pragma once
// The metadata member every answer carries: endpoint, method and version,
// the canonical parameters, sources, snapshot version, synthetic flag, when
// it was generated, and for analyses what the selection kept and left out.

#include "hotspot/analysis/selection.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/canonical.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace hotspot::render {

// [{path, kind, format, loaded_at, synthetic, licence}, ...]
nlohmann::json sources_json(const data::Snapshot& snapshot);
// True when any source of this kind ("incidents", "wards", ...) is synthetic.
bool any_synthetic(const data::Snapshot& snapshot, std::string_view kind);

// endpoint, method_version, parameters (absent optional ones as null),
// sources, loaded_at, snapshot_version, synthetic, generated_at.
nlohmann::json base_metadata(const data::Snapshot& snapshot, std::string_view endpoint,
                             std::string_view method_version, const engine::Canonical& parameters);

// The selection funnel, one object per step in the order applied:
// [{step, entering, removed, kept, removed_month_only, removed_day_only,
//   removed_unjudged, removed_placed_outside, reason}]. Public mode rounds
// and suppresses these counts with every other member of metadata.counts.
nlohmann::json funnel_json(const std::vector<analysis::FunnelCount>& funnel);

// {selected, excluded: {reason: count}, funnel: [...]}
nlohmann::json selection_counts(const analysis::Selection& selection);

// {r, observed_mean_m, expected_mean_m, z, p, correction, locations,
// stacked_rows, stacked_rule, window_m2}, or null when the index is not
// defined (fewer than two distinct locations, or no wards loaded).
nlohmann::json nni_json(const std::optional<analysis::ClarkEvans>& nni);

// base_metadata() plus counts {considered, selected, excluded} and the
// time-precision rules that decided inclusion, and nni (nni_json).
nlohmann::json analysis_metadata(const data::Snapshot& snapshot, std::string_view endpoint,
                                 std::string_view method_version,
                                 const engine::Canonical& parameters,
                                 const analysis::Selection& selection);

}  // namespace hotspot::render
