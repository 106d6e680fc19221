#pragma once
// Public mode on the way out: engine::Disclosure applied to an answer, once,
// on the one path every endpoint and format takes (http/serve.hpp). The
// answer builders only say what each field is (Field::disclosive); this
// file suppresses and rounds the counts, recomputes what is derived from
// them, marks what it suppressed and echoes the policy in the metadata.

#include "hotspot/engine/disclosure.hpp"
#include "hotspot/render/answers.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>

namespace hotspot::render {

// The suffix of the boolean column that marks a suppressed count:
// `count` -> `count_suppressed` (true where the count is null because it was
// below min_count). Added in public mode only, after the answer's own fields.
inline constexpr std::string_view kSuppressedSuffix = "_suppressed";

// metadata.disclosure: {public, min_count, rule, domestic}.
nlohmann::json disclosure_json(const engine::Disclosure& policy);

// Every integer in `value`, recursively through objects and arrays,
// published under the policy: rounded, or null when suppressed. Members that
// count features or cells rather than incidents ("clusters", "cells",
// "grid_cells", "bands", "wards", "ward_features", "features", "withheld")
// are left as they are. Returns how many were suppressed.
std::size_t disclose_counts(nlohmann::json& value, const engine::Disclosure& policy);

// A feature answer: count fields suppressed (null, plus a `<name>_suppressed`
// boolean column) or rounded, counts objects likewise member by member
// (the column is true when any member was suppressed), derived fields
// recomputed from the published counts, reals with public_decimals rounded,
// answer.total likewise (rewritten into metadata.total), incident counts in
// metadata.counts published, metadata.mean and metadata.sd withheld, and
// metadata.disclosure set. Outside public mode only metadata.disclosure is set.
void disclose(FeatureAnswer& answer, const engine::Disclosure& policy);

// /api/profile's object: the hour-of-week matrix, the monthly counts (each
// entry gains `suppressed`), the totals, exclusions and metadata counts.
void disclose_profile(nlohmann::json& profile, const engine::Disclosure& policy);

}  // namespace hotspot::render
