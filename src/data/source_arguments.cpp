#include "hotspot/data/source_arguments.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace hotspot::data {
namespace {

#ifdef HOTSPOT_SOURCE_DIR
constexpr const char* kSourceDir = HOTSPOT_SOURCE_DIR;
#else
constexpr const char* kSourceDir = "";
#endif

}  // namespace

std::filesystem::path project_root() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path candidate = exe.parent_path().parent_path();
    if (fs::is_directory(candidate / "geodata", ec)) return candidate;
  }
  if (!std::string_view(kSourceDir).empty()) return fs::path(kSourceDir);
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

// Sets each option's field by its key; an unknown key is an Error naming
// `what` and listing the keys it takes.
std::optional<Error> assign_options(
    const std::vector<std::pair<std::string, std::string>>& options, std::string_view what,
    std::initializer_list<std::pair<std::string_view, std::string*>> fields) {
  for (const auto& [key, value] : options) {
    std::string* field = nullptr;
    std::string allowed;
    for (const auto& [name, target] : fields) {
      if (name == key) field = target;
      allowed += (allowed.empty() ? "" : ", ") + std::string(name);
    }
    if (!field) {
      return make_error(ErrorCode::invalid_parameter, std::string(what) + ": unknown option '" +
                                                          key + "' (allowed: " + allowed + ")");
    }
    *field = value;
  }
  return std::nullopt;
}

}  // namespace

Expected<IncidentSourceOptions> incident_source_options(
    std::string path, const std::vector<std::pair<std::string, std::string>>& options,
    std::string_view what) {
  IncidentSourceOptions source;
  source.path = std::move(path);
  if (auto problem = assign_options(options, what,
                                    {{"id", &source.id_column},
                                     {"x", &source.x_column},
                                     {"y", &source.y_column},
                                     {"category", &source.category_column},
                                     {"time", &source.time_column},
                                     {"domestic", &source.domestic_column},
                                     {"to", &source.to_column},
                                     {"alcohol", &source.alcohol_column},
                                     {"subtype", &source.subtype_column},
                                     {"location", &source.location_column},
                                     {"venue", &source.venue_column},
                                     {"crs", &source.crs},
                                     {"licence", &source.licence}})) {
    return *problem;
  }
  return source;
}

Expected<IncidentSourceOptions> parse_incident_source(std::string_view arg) {
  // "KIND:" in front, KIND one of the kind names (source_kinds.hpp).
  std::optional<IncidentFormat> format;
  const std::size_t colon = arg.find(':');
  if (colon != std::string_view::npos) format = parse_incident_format(arg.substr(0, colon));
  if (format == IncidentFormat::detect) format.reset();
  if (format) arg.remove_prefix(colon + 1);
  auto spec = split_source(arg, "--incidents");
  if (!spec) return spec.error();
  auto source = incident_source_options(spec->path, spec->options, "--incidents");
  if (source && format) source->format = *format;
  return source;
}

Expected<BoundaryOptions> parse_boundary_source(std::string_view arg, std::string kind) {
  BoundaryOptions boundary;
  boundary.kind = std::move(kind);
  const std::string what = "--" + boundary.kind;
  auto spec = split_source(arg, what);
  if (!spec) return spec.error();
  boundary.path = spec->path;
  if (auto problem = assign_options(spec->options, what,
                                    {{"id", &boundary.id_field},
                                     {"name", &boundary.name_field},
                                     {"crs", &boundary.source_crs},
                                     {"layer", &boundary.layer_name},
                                     {"licence", &boundary.licence}})) {
    return *problem;
  }
  return boundary;
}

}  // namespace hotspot::data
