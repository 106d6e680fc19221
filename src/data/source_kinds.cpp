// Kind names and the category rules of each partnership source kind
// (docs/sources.md lists the same rules for people).

#include "hotspot/data/source_kinds.hpp"

#include "hotspot/data/csv.hpp"

#include <array>
#include <charconv>
#include <string>

namespace hotspot::data {

namespace {

struct KindName {
  IncidentFormat format;
  std::string_view name;
};
constexpr std::array kKindNames{
    KindName{IncidentFormat::detect, "detect"},
    KindName{IncidentFormat::police_uk_csv, "police-uk"},
    KindName{IncidentFormat::police_extract, "police-extract"},
    KindName{IncidentFormat::council_asb, "council-asb"},
    KindName{IncidentFormat::fire, "fire"},
    KindName{IncidentFormat::ae_assault, "ae-assault"},
    KindName{IncidentFormat::csv, "csv"},
    KindName{IncidentFormat::geojson, "geojson"},
};

// A rule: the normalised label contains `keyword`.
struct KeywordRule {
  std::string_view keyword;
  Category category;
  std::string_view subtype;
};

template <std::size_t N>
const KeywordRule* first_match(const std::array<KeywordRule, N>& rules, const std::string& key) {
  for (const auto& rule : rules) {
    if (key.find(rule.keyword) != std::string::npos) return &rule;
  }
  return nullptr;
}

// Force offence descriptions. Damage and public order come before violence:
// "public fear, alarm or distress" is public order, "harassment" alone is
// violence (as police.uk counts it).
constexpr std::array kOffenceRules{
    KeywordRule{"criminaldamage", Category::criminal_damage, ""},
    KeywordRule{"arson", Category::criminal_damage, ""},
    KeywordRule{"publicfear", Category::public_order, ""},
    KeywordRule{"publicorder", Category::public_order, ""},
    KeywordRule{"affray", Category::public_order, ""},
    KeywordRule{"violentdisorder", Category::public_order, ""},
    KeywordRule{"riot", Category::public_order, ""},
    KeywordRule{"murder", Category::violence, ""},
    KeywordRule{"manslaughter", Category::violence, ""},
    KeywordRule{"assault", Category::violence, ""},
    KeywordRule{"wounding", Category::violence, ""},
    KeywordRule{"bodilyharm", Category::violence, ""},
    KeywordRule{"harassment", Category::violence, ""},
    KeywordRule{"stalking", Category::violence, ""},
    KeywordRule{"threatstokill", Category::violence, ""},
    KeywordRule{"rape", Category::violence, ""},
    KeywordRule{"sexual", Category::violence, ""},
    KeywordRule{"theft", Category::other, ""},
    KeywordRule{"burglary", Category::other, ""},
    KeywordRule{"shoplifting", Category::other, ""},
    KeywordRule{"robbery", Category::other, ""},
    KeywordRule{"drug", Category::other, ""},
    KeywordRule{"fraud", Category::other, ""},
    KeywordRule{"weapon", Category::other, ""},
};

// Home Office offence codes ("105/01", "058A"): the class number before the
// letter or slash. Only these classes are mapped; other codes are counted
// as other with a warning, so a force can check them.
struct CodeClass {
  int number;
  Category category;
};
constexpr std::array kCodeClasses{
    CodeClass{1, Category::violence},   CodeClass{4, Category::violence},
    CodeClass{5, Category::violence},   CodeClass{8, Category::violence},
    CodeClass{105, Category::violence}, CodeClass{56, Category::criminal_damage},
    CodeClass{58, Category::criminal_damage},
};

std::optional<Category> map_offence_code(std::string_view label) {
  int number = 0;
  const auto [end, ec] = std::from_chars(label.data(), label.data() + label.size(), number);
  if (ec != std::errc() || end == label.data()) return std::nullopt;
  for (const auto& c : kCodeClasses) {
    if (c.number == number) return c.category;
  }
  return std::nullopt;
}

// Council ASB types: every row of the export is anti-social behaviour; the
// type names its group.
constexpr std::array kAsbRules{
    KeywordRule{"rowdy", Category::asb, "rowdy/nuisance"},
    KeywordRule{"nuisancebehav", Category::asb, "rowdy/nuisance"},
    KeywordRule{"streetdrinking", Category::asb, "rowdy/nuisance"},
    KeywordRule{"begging", Category::asb, "rowdy/nuisance"},
    KeywordRule{"vehicle", Category::asb, "vehicle-related"},
    KeywordRule{"motorbike", Category::asb, "vehicle-related"},
    KeywordRule{"offroad", Category::asb, "vehicle-related"},
    KeywordRule{"neighbour", Category::asb, "neighbour"},
    KeywordRule{"noise", Category::asb, "neighbour"},
    KeywordRule{"environment", Category::asb, "environmental"},
    KeywordRule{"flytip", Category::asb, "environmental"},
    KeywordRule{"litter", Category::asb, "environmental"},
    KeywordRule{"graffiti", Category::asb, "environmental"},
    KeywordRule{"dogfoul", Category::asb, "environmental"},
};

// Fire incident types: deliberate fires are arson (criminal damage and
// arson); the property type is the subtype. Accidental fires are other.
constexpr std::array kFirePropertyRules{
    KeywordRule{"vehicle", Category::criminal_damage, "vehicle"},
    KeywordRule{"refuse", Category::criminal_damage, "refuse"},
    KeywordRule{"wheeliebin", Category::criminal_damage, "refuse"},
    KeywordRule{"grass", Category::criminal_damage, "grassland"},
    KeywordRule{"moor", Category::criminal_damage, "grassland"},
    KeywordRule{"dwelling", Category::criminal_damage, "dwelling"},
    KeywordRule{"building", Category::criminal_damage, "building"},
};

KindMapping map_police_extract(std::string_view label) {
  const std::string key = normalise_name(label);  // as map_category_label compares
  if (const KeywordRule* rule = first_match(kOffenceRules, key)) return {rule->category, true, ""};
  if (const auto category = map_offence_code(label)) return {*category, true, ""};
  return {Category::other, false, ""};
}

KindMapping map_council_asb(std::string_view label) {
  const std::string key = normalise_name(label);
  if (const KeywordRule* rule = first_match(kAsbRules, key)) return {rule->category, true, rule->subtype};
  return {Category::asb, false, ""};
}

KindMapping map_fire(std::string_view label) {
  const std::string key = normalise_name(label);
  const bool deliberate = key.find("deliberate") != std::string::npos ||
                          key.find("arson") != std::string::npos ||
                          key.find("malicious") != std::string::npos;
  if (!deliberate) {
    return {Category::other, key.find("accidental") != std::string::npos, ""};
  }
  const KeywordRule* property = first_match(kFirePropertyRules, key);
  return {Category::criminal_damage, true, property ? property->subtype : std::string_view()};
}

}  // namespace

const char* incident_format_name(IncidentFormat f) {
  for (const auto& k : kKindNames) {
    if (k.format == f) return k.name.data();
  }
  return "unknown";
}

std::optional<IncidentFormat> parse_incident_format(std::string_view name) {
  for (const auto& k : kKindNames) {
    if (k.name == name) return k.format;
  }
  return std::nullopt;
}

KindMapping map_kind_label(IncidentFormat kind, std::string_view label) {
  switch (kind) {
    case IncidentFormat::police_extract: return map_police_extract(label);
    case IncidentFormat::council_asb: return map_council_asb(label);
    case IncidentFormat::fire: return map_fire(label);
    // Every A&E assault attendance is violence, whatever its label says.
    case IncidentFormat::ae_assault: return {Category::violence, true, ""};
    default: break;
  }
  bool known = false;
  const Category category = map_category_label(label, &known);
  return {category, known, ""};
}

std::string_view default_kind_label(IncidentFormat kind) {
  return kind == IncidentFormat::ae_assault ? "Assault (A&E attendance)" : "";
}

}  // namespace hotspot::data
