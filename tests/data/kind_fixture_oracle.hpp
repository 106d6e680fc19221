#pragma once
// An independent reading of the per-kind fixtures (tests/fixtures/kinds):
// each row's fate worked out from the CSV text with the rules in
// docs/sources.md, written here without the reader's code, so that a test
// compares the reader against this and not against itself.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace hotspot::data::testing {

inline const std::string kKindFixtureDir = HOTSPOT_SOURCE_DIR "/tests/fixtures/kinds/";

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Splits one line of a CSV whose quoted fields hold no quotes or breaks.
inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t column(const std::string& name) const {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  }
  std::string get(std::size_t row, const std::string& name) const {
    const std::size_t c = column(name);
    return c < header.size() ? rows[row][c] : std::string();
  }
};

inline CsvTable read_csv(const std::string& path) {
  CsvTable t;
  std::istringstream in(read_text(path));
  std::string line;
  std::getline(in, line);
  t.header = split_csv_line(line);
  while (std::getline(in, line)) {
    if (!line.empty()) t.rows.push_back(split_csv_line(line));
  }
  return t;
}

inline std::string letters_and_digits(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

// The header names a kind's fixture uses for each field ("" when absent).
struct Layout {
  std::string x, y, time, to, domestic, alcohol, venue, label;
  bool month_only = false;
  bool lonlat = false;
};

// What the fixture should give: accepted rows and rejections by reason.
struct Expected {
  std::size_t read = 0, accepted = 0;
  std::map<std::string, std::size_t> rejected;  // reason -> rows
  std::size_t unknown_labels = 0;               // accepted with a warning
};

inline bool is_number(const std::string& s) {
  static const std::regex number(R"(-?\d+(\.\d+)?)");
  return std::regex_match(s, number);
}

// Each row's fate, checking in the order docs/sources.md gives: place,
// start time, end time, domestic, alcohol, then the study area (County
// Durham lies north of 500000 m / 54.4 degrees; the fixtures' other rows are
// in London).
inline Expected expect_from_text(const CsvTable& t, const Layout& layout,
                                 const std::set<std::string>& venue_keys,
                                 const std::set<std::string>& known_labels) {
  static const std::regex minute(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})");
  static const std::regex month(R"(\d{4}-(0[1-9]|1[0-2]))");
  static const std::set<std::string> flags{"Y", "N"}, alcohol_values{"Y", "N", ""};
  Expected e;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    ++e.read;
    const std::string x = t.get(r, layout.x), y = t.get(r, layout.y);
    const std::string venue = layout.venue.empty() ? "" : t.get(r, layout.venue);
    const std::string when = t.get(r, layout.time);
    const std::string until = layout.to.empty() ? "" : t.get(r, layout.to);
    auto reject = [&](const char* reason) { ++e.rejected[reason]; };
    double north = 0;
    if (x.empty() && y.empty()) {
      if (venue.empty()) { reject("missing_coordinates"); continue; }
      if (!venue_keys.count(letters_and_digits(venue))) { reject("unmatched_venue"); continue; }
      north = 1e9;  // venues are in County Durham
    } else if (!is_number(x) || !is_number(y)) {
      reject("bad_coordinates");
      continue;
    } else {
      north = std::stod(y);
    }
    if (!std::regex_match(when, layout.month_only ? month : minute)) { reject("bad_time"); continue; }
    if (!until.empty() && (!std::regex_match(until, minute) || until < when)) { reject("bad_time"); continue; }
    if (!layout.domestic.empty() && !flags.count(t.get(r, layout.domestic))) { reject("bad_domestic"); continue; }
    if (!layout.alcohol.empty() && !alcohol_values.count(t.get(r, layout.alcohol))) { reject("bad_alcohol"); continue; }
    const bool inside = layout.lonlat ? north > 54.4 : north > 500000;
    if (!inside) { reject("outside_study_area"); continue; }
    ++e.accepted;
    if (!layout.label.empty() && !known_labels.count(t.get(r, layout.label))) ++e.unknown_labels;
  }
  return e;
}

}  // namespace hotspot::data::testing
