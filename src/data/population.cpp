#include "hotspot/data/population.hpp"

#include "hotspot/data/fnv1a.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace hotspot::data {

namespace {

Error bad_file(std::string_view name, std::size_t line, const std::string& what) {
  return make_error(ErrorCode::unreadable_input, std::string(name) + " line " +
                                                     std::to_string(line) + ": " + what);
}

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Splits one CSV line; fields may be double-quoted ("" inside quotes is a
// quote). Returns false on an unterminated quote.
bool split_csv(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return !quoted;
}

bool is_id_header(const std::string& h) {
  return h == "id" || h == "code" || h == "area_id" || h == "area_code" ||
         (h.size() > 2 && h.ends_with("cd"));
}

bool is_population_header(const std::string& h) {
  return h == "population" || h == "pop" || h == "residents" || h == "population_total" ||
         h == "all_ages" || h == "all ages";
}

// The file's bytes, read once: the table and the version hash both come
// from them, so they cannot disagree about which content was loaded.
Expected<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::unreadable_input, path + ": cannot open the population file");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return make_error(ErrorCode::unreadable_input, path + ": read failed");
  return buffer.str();
}

}  // namespace

Expected<PopulationTable> parse_population_csv(std::string_view text, std::string_view name) {
  PopulationTable table;
  std::vector<std::string> fields;
  int id_col = -1;
  int pop_col = -1;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  if (text.starts_with("\xEF\xBB\xBF")) pos = 3;  // UTF-8 byte order mark
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (lower_trimmed(line).empty()) continue;
    if (!split_csv(line, fields)) return bad_file(name, line_no, "unterminated quote");

    if (id_col < 0) {
      for (std::size_t c = 0; c < fields.size(); ++c) {
        const std::string h = lower_trimmed(fields[c]);
        if (id_col < 0 && is_id_header(h)) id_col = static_cast<int>(c);
        else if (pop_col < 0 && is_population_header(h)) pop_col = static_cast<int>(c);
      }
      if (id_col < 0 || pop_col < 0) {
        return bad_file(name, line_no,
                        "the header must name an id column (id, code or e.g. WD22CD) and a "
                        "population column (population)");
      }
      continue;
    }
    const std::size_t need = static_cast<std::size_t>(std::max(id_col, pop_col)) + 1;
    if (fields.size() < need) {
      return bad_file(name, line_no, "expected at least " + std::to_string(need) +
                                         " fields, found " + std::to_string(fields.size()));
    }
    std::string id = trimmed(fields[static_cast<std::size_t>(id_col)]);
    if (id.empty()) return bad_file(name, line_no, "empty id");
    std::string value = trimmed(fields[static_cast<std::size_t>(pop_col)]);
    // "12,345" arrives quoted; the thousands separators go.
    std::erase(value, ',');
    double population = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), population);
    if (ec != std::errc() || ptr != value.data() + value.size() || !std::isfinite(population) ||
        population < 0) {
      return bad_file(name, line_no, "population '" + fields[static_cast<std::size_t>(pop_col)] +
                                         "' is not a non-negative number");
    }
    if (!table.by_id.emplace(id, population).second) {
      return bad_file(name, line_no, "id '" + id + "' appears twice");
    }
  }
  if (id_col < 0) {
    return make_error(ErrorCode::empty_input, std::string(name) + ": the file is empty");
  }
  if (table.by_id.empty()) {
    return make_error(ErrorCode::empty_input, std::string(name) + ": no population rows after the header");
  }
  return table;
}

Expected<PopulationTable> read_population_csv(const std::string& path) {
  auto text = read_text(path);
  if (!text) return text.error();
  return parse_population_csv(*text, path);
}

Expected<PopulationSource> parse_population_source(std::string_view text) {
  const auto colon = text.find(':');
  const std::string_view layer = colon == std::string_view::npos ? "" : text.substr(0, colon);
  if (layer != "wards" && layer != "town-centres") {
    return make_error(ErrorCode::invalid_parameter,
                      "--population: '" + std::string(text) +
                          "' is not wards:FILE or town-centres:FILE");
  }
  const std::string_view path = text.substr(colon + 1);
  if (path.empty()) {
    return make_error(ErrorCode::invalid_parameter,
                      "--population: no file after '" + std::string(layer) + ":'");
  }
  return PopulationSource{std::string(layer), std::string(path)};
}

Populations load_populations(const std::vector<PopulationSource>& sources) {
  Populations out;
  for (const auto& source : sources) {
    LayerPopulation layer;
    layer.path = source.path;
    auto text = read_text(source.path);
    if (text) {
      layer.content_hash = content_hash(*text, 1);
      auto table = parse_population_csv(*text, source.path);
      if (table) {
        layer.table = std::move(*table);
      } else {
        layer.error = table.error().message;
      }
    } else {
      layer.error = text.error().message;
    }
    (source.layer == "wards" ? out.wards : out.town_centres) = std::move(layer);
  }
  return out;
}

}  // namespace hotspot::data
