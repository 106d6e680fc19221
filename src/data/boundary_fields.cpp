// Field detection for boundary layers: which field holds the ids and which
// the names, and a field's value as text.

#include "boundary_parts.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace hotspot::data::detail {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

int field_index(const OGRFeatureDefn& defn, const std::string& name) {
  const std::string wanted = lower(name);
  for (int i = 0; i < defn.GetFieldCount(); ++i) {
    if (lower(defn.GetFieldDefn(i)->GetNameRef()) == wanted) return i;
  }
  return -1;
}

std::string field_list(const OGRFeatureDefn& defn) {
  std::string out;
  for (int i = 0; i < defn.GetFieldCount(); ++i) {
    if (i > 0) out += ", ";
    out += defn.GetFieldDefn(i)->GetNameRef();
  }
  return out.empty() ? "none" : out;
}

// Boundary codes in ONS products are named <prefix><2-digit year>CD with the
// matching name in ...NM; the known ones come first, newest year first.
int detect_id_field(const OGRFeatureDefn& defn) {
  static const char* const kKnown[] = {"WD23CD",   "WD22CD",   "WD21CD",  "WD20CD",  "WD19CD",
                                       "WD18CD",   "WD17CD",   "WD16CD",  "WD15CD",  "WD14CD",
                                       "WD13CD",   "LSOA21CD", "LSOA11CD", "MSOA21CD", "MSOA11CD",
                                       "OA21CD",   "OA11CD",   "LAD22CD", "LAD21CD", "code",
                                       "id",       "fid"};
  for (const char* name : kKnown) {
    const int i = field_index(defn, name);
    if (i >= 0) return i;
  }
  static const std::regex kOnsCode("[A-Za-z]+[0-9]{2}CD", std::regex::icase);
  for (int i = 0; i < defn.GetFieldCount(); ++i) {
    if (std::regex_match(defn.GetFieldDefn(i)->GetNameRef(), kOnsCode)) return i;
  }
  return -1;
}

int detect_name_field(const OGRFeatureDefn& defn, int id_field) {
  if (id_field >= 0) {
    std::string id = defn.GetFieldDefn(id_field)->GetNameRef();
    if (id.size() > 2 && lower(id.substr(id.size() - 2)) == "cd") {
      const int i = field_index(defn, id.substr(0, id.size() - 2) + "NM");
      if (i >= 0) return i;
    }
  }
  for (const char* name : {"name", "nm", "label", "title"}) {
    const int i = field_index(defn, name);
    if (i >= 0) return i;
  }
  return -1;
}

std::string field_text(OGRFeature& f, int i) {
  if (i < 0 || !f.IsFieldSetAndNotNull(i)) return {};
  const OGRFieldDefn* def = f.GetFieldDefnRef(i);
  if (def->GetType() == OFTInteger && def->GetSubType() == OFSTBoolean) {
    return f.GetFieldAsInteger(i) != 0 ? "true" : "false";
  }
  return f.GetFieldAsString(i);
}

}  // namespace hotspot::data::detail
