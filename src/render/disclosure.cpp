#include "hotspot/render/disclosure.hpp"

#include "answer_parts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace hotspot::render {
namespace {

// metadata.counts members that count features or cells, not incidents.
constexpr std::array<std::string_view, 8> kNotIncidentCounts = {
    "clusters", "cells", "grid_cells", "bands", "wards", "ward_features", "features", "withheld"};

// Metadata that could give back exact counts (Gi*'s mean of the counts
// times the number of cells is the exact total).
constexpr std::array<std::string_view, 2> kWithheldMetadata = {"mean", "sd"};

bool is_not_incident_count(std::string_view key) {
  return std::find(kNotIncidentCounts.begin(), kNotIncidentCounts.end(), key) !=
         kNotIncidentCounts.end();
}

// disclose_counts over either JSON flavour (ordered: a counts object keeps
// its members in category order).
template <typename Json>
std::size_t walk_counts(Json& value, const engine::Disclosure& policy) {
  std::size_t suppressed = 0;
  if (value.is_number_integer()) {
    const auto p = policy.publish(value.template get<std::int64_t>());
    if (p) {
      value = *p;
    } else {
      value = nullptr;
      ++suppressed;
    }
  } else if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (is_not_incident_count(it.key())) continue;
      suppressed += walk_counts(it.value(), policy);
    }
  } else if (value.is_array()) {
    for (auto& item : value) suppressed += walk_counts(item, policy);
  }
  return suppressed;
}

struct Published {
  Value value;
  bool suppressed = false;
};

// One count value (an integer, or a whole real as Gi* keeps them).
Published publish_count(const Value& value, const engine::Disclosure& policy) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) {
    const auto p = policy.publish(*i);
    return p ? Published{*p, false} : Published{Null{}, true};
  }
  if (const auto* d = std::get_if<double>(&value)) {
    if (!std::isfinite(*d)) return {value, false};
    const auto p = policy.publish(static_cast<std::int64_t>(std::llround(*d)));
    return p ? Published{static_cast<double>(*p), false} : Published{Null{}, true};
  }
  return {value, false};
}

// A JSON object of counts held as text.
Published publish_counts(const Value& value, const engine::Disclosure& policy) {
  const auto* text = std::get_if<std::string>(&value);
  if (text == nullptr) return {value, false};
  auto parsed = nlohmann::ordered_json::parse(*text, nullptr, false);
  if (parsed.is_discarded()) return {Null{}, false};
  const std::size_t suppressed = walk_counts(parsed, policy);
  return {parsed.dump(), suppressed > 0};
}

double round_to(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

// The row as published; `flags[k]` says whether field k was suppressed.
void disclose_row(const std::vector<Field>& fields, std::vector<Value>& values,
                  std::vector<bool>& flags, const engine::Disclosure& policy,
                  std::size_t& suppressed) {
  flags.assign(fields.size(), false);
  // Counts first, so derived fields see the published counts.
  for (std::size_t k = 0; k < fields.size() && k < values.size(); ++k) {
    Published p;
    switch (fields[k].disclosive) {
      case Disclosive::count: p = publish_count(values[k], policy); break;
      case Disclosive::counts: p = publish_counts(values[k], policy); break;
      default: continue;
    }
    values[k] = std::move(p.value);
    flags[k] = p.suppressed;
    suppressed += p.suppressed;
  }
  for (std::size_t k = 0; k < fields.size() && k < values.size(); ++k) {
    const Field& field = fields[k];
    if (field.disclosive == Disclosive::derived) {
      values[k] = field.derive ? field.derive(values) : Value(Null{});
    }
    if (field.public_decimals >= 0) {
      if (auto* d = std::get_if<double>(&values[k]); d && std::isfinite(*d)) {
        *d = round_to(*d, field.public_decimals);
      }
    }
  }
}

}  // namespace

nlohmann::json disclosure_json(const engine::Disclosure& policy) {
  if (!policy.public_mode) return {{"public", false}, {"rule", policy.rule()}};
  return {{"public", true},
          {"min_count", policy.min_count},
          {"rule", policy.rule()},
          {"suppressed_marker", "<field>" + std::string(kSuppressedSuffix) + " is true"},
          {"domestic", "excluded"}};
}

std::size_t disclose_counts(nlohmann::json& value, const engine::Disclosure& policy) {
  return walk_counts(value, policy);
}

void disclose(FeatureAnswer& answer, const engine::Disclosure& policy) {
  nlohmann::json& m = answer.metadata;
  if (!policy.public_mode) {
    m["disclosure"] = disclosure_json(policy);
    return;
  }
  FeatureTable& t = answer.table;
  const std::vector<Field> fields = t.fields;  // the builders' fields, before the markers
  std::size_t suppressed = 0;
  // One marker column per count field, after the answer's own fields.
  std::vector<std::size_t> marked;
  for (std::size_t k = 0; k < fields.size(); ++k) {
    if (fields[k].disclosive == Disclosive::count || fields[k].disclosive == Disclosive::counts) {
      marked.push_back(k);
    }
  }
  for (std::size_t k : marked) {
    t.add_field(fields[k].name + std::string(kSuppressedSuffix), FieldType::boolean);
  }
  std::vector<bool> flags;
  for (Feature& f : t.features) {
    disclose_row(fields, f.values, flags, policy, suppressed);
    for (std::size_t k : marked) f.values.emplace_back(bool(flags[k]));
  }
  if (answer.total) {
    disclose_row(fields, answer.total->values, flags, policy, suppressed);
    nlohmann::json total = detail::row_json(fields, answer.total->values);
    if (m.contains("total") && m["total"].contains("group")) total["group"] = m["total"]["group"];
    for (std::size_t k : marked) total[fields[k].name + std::string(kSuppressedSuffix)] = bool(flags[k]);
    m["total"] = std::move(total);
  }
  if (m.contains("counts")) suppressed += disclose_counts(m["counts"], policy);
  if (m.contains("profile_of") && m["profile_of"].contains("selected_before")) {
    suppressed += disclose_counts(m["profile_of"]["selected_before"], policy);
  }
  for (std::string_view key : kWithheldMetadata) {
    if (m.contains(key)) m[std::string(key)] = nullptr;
  }
  m["disclosure"] = disclosure_json(policy);
  m["disclosure"]["suppressed_values"] = suppressed;
}

void disclose_profile(nlohmann::json& profile, const engine::Disclosure& policy) {
  nlohmann::json& m = profile["metadata"];
  if (!policy.public_mode) {
    m["disclosure"] = disclosure_json(policy);
    return;
  }
  std::size_t suppressed = 0;
  for (const char* key : {"hour_of_week", "hour_of_week_total", "excluded"}) {
    if (profile.contains(key)) suppressed += disclose_counts(profile[key], policy);
  }
  if (profile.contains("monthly")) {
    for (auto& month : profile["monthly"]) {
      if (!month.contains("count")) continue;
      const std::size_t n = disclose_counts(month["count"], policy);
      month["suppressed"] = n > 0;
      suppressed += n;
    }
  }
  if (m.contains("counts")) suppressed += disclose_counts(m["counts"], policy);
  if (m.contains("profile_of") && m["profile_of"].contains("selected_before")) {
    suppressed += disclose_counts(m["profile_of"]["selected_before"], policy);
  }
  m["disclosure"] = disclosure_json(policy);
  m["disclosure"]["suppressed_values"] = suppressed;
}

}  // namespace hotspot::render
