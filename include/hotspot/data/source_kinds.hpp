#pragma once
// The kinds of incident source the partnership shares, and how each kind's
// own category labels map into hotspot's taxonomy (documented in
// docs/sources.md). The original label is always kept beside the mapped
// category (IncidentTable::category_label); a kind may also name a subtype
// (the ASB type's group, a fire's property type), kept in
// IncidentTable::subtype.

#include "hotspot/data/category.hpp"

#include <optional>
#include <string_view>

namespace hotspot::data {

enum class IncidentFormat {
  detect,
  police_uk_csv,   // police.uk street-level crime CSV ("police-uk")
  police_extract,  // a force's own crime extract ("police-extract")
  council_asb,     // a council anti-social-behaviour CRM export ("council-asb")
  fire,            // deliberate fires from the fire service ("fire")
  ae_assault,      // A&E assault attendances, the Cardiff Model ("ae-assault")
  csv,             // any CSV with named or common columns ("csv")
  geojson,         // GeoJSON points ("geojson")
};
// The kind's name as the command line spells it ("police-uk", "fire", ...;
// "detect" for detect).
const char* incident_format_name(IncidentFormat f);
// The kind named `name` (as incident_format_name spells it); nullopt otherwise.
std::optional<IncidentFormat> parse_incident_format(std::string_view name);

// A label mapped by a kind's rules.
struct KindMapping {
  Category category = Category::other;
  bool known = false;         // false: not recognised (a warning in the load report)
  std::string_view subtype;   // the kind's subtype group, empty when none
};
// Maps `label` (any case, spacing and punctuation) by the rules of `kind`.
// police-uk, csv and geojson use map_category_label(); an unrecognised label
// falls back to the kind's own default (asb for council-asb, violence for
// ae-assault, other for the rest).
KindMapping map_kind_label(IncidentFormat kind, std::string_view label);

// The label a row of `kind` gets when its file has no category column
// (ae-assault: every attendance is an assault); empty for kinds that need one.
std::string_view default_kind_label(IncidentFormat kind);

}  // namespace hotspot::data
