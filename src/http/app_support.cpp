#include "hotspot/http/app_support.hpp"

#include <string>
#include <system_error>
#include <utility>

namespace hotspot::http {

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

std::optional<data::IncidentSourceOptions> parse_incident_source(std::string_view arg) {
  data::IncidentSourceOptions source;
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
  if (arg.empty()) return std::nullopt;
  source.path = std::string(arg);
  return source;
}

}  // namespace hotspot::http
