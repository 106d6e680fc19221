#include "hotspot/data/source_arguments.hpp"

#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace hotspot::data {

std::filesystem::path project_root(std::string_view compiled_source_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path candidate = exe.parent_path().parent_path();
    if (fs::is_directory(candidate / "geodata", ec)) return candidate;
  }
  if (!compiled_source_dir.empty()) return fs::path(compiled_source_dir);
  return fs::current_path(ec);
}

namespace {

struct SourceSpec {
  std::string path;
  std::vector<std::pair<std::string, std::string>> options;
};

// Splits "FILE?k=v&k=v"; a FILE that exists with its '?' is kept whole.
Expected<SourceSpec> split_source(std::string_view arg, std::string_view what) {
  SourceSpec spec;
  std::error_code ec;
  const auto query_at = arg.find('?');
  if (query_at == std::string_view::npos || std::filesystem::exists(std::string(arg), ec)) {
    spec.path = std::string(arg);
  } else {
    spec.path = std::string(arg.substr(0, query_at));
    std::string_view rest = arg.substr(query_at + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos || eq == 0 || eq + 1 == pair.size()) {
        return make_error(ErrorCode::invalid_parameter,
                          std::string(what) + ": '" + std::string(pair) +
                              "' is not key=value (in '" + std::string(arg) + "')");
      }
      spec.options.emplace_back(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
    }
  }
  if (spec.path.empty()) {
    return make_error(ErrorCode::invalid_parameter,
                      std::string(what) + ": '" + std::string(arg) + "' names no file");
  }
  return spec;
}

Error unknown_key(std::string_view what, const std::string& key, std::string_view allowed) {
  return make_error(ErrorCode::invalid_parameter, std::string(what) + ": unknown option '" + key +
                                                      "' (allowed: " + std::string(allowed) + ")");
}

}  // namespace

Expected<IncidentSourceOptions> parse_incident_source(std::string_view arg) {
  IncidentSourceOptions source;
  const std::pair<std::string_view, data::IncidentFormat> kFormats[] = {
      {"police-uk:", data::IncidentFormat::police_uk_csv},
      {"csv:", data::IncidentFormat::csv},
      {"geojson:", data::IncidentFormat::geojson},
  };
  for (const auto& [prefix, format] : kFormats) {
    if (arg.starts_with(prefix)) {
      source.format = format;
      arg.remove_prefix(prefix.size());
      break;
    }
  }
  auto spec = split_source(arg, "--incidents");
  if (!spec) return spec.error();
  source.path = spec->path;
  for (const auto& [key, value] : spec->options) {
    if (key == "id") source.id_column = value;
    else if (key == "x") source.x_column = value;
    else if (key == "y") source.y_column = value;
    else if (key == "category") source.category_column = value;
    else if (key == "time") source.time_column = value;
    else if (key == "crs") source.crs = value;
    else return unknown_key("--incidents", key, "id, x, y, category, time, crs");
  }
  return source;
}

Expected<BoundaryOptions> parse_boundary_source(std::string_view arg, std::string kind) {
  BoundaryOptions boundary;
  boundary.kind = std::move(kind);
  const std::string what = "--" + boundary.kind;
  auto spec = split_source(arg, what);
  if (!spec) return spec.error();
  boundary.path = spec->path;
  for (const auto& [key, value] : spec->options) {
    if (key == "id") boundary.id_field = value;
    else if (key == "name") boundary.name_field = value;
    else if (key == "crs") boundary.source_crs = value;
    else if (key == "layer") boundary.layer_name = value;
    else if (key == "licence") boundary.licence = value;
    else return unknown_key(what, key, "id, name, crs, layer, licence");
  }
  return boundary;
}

}  // namespace hotspot::data
