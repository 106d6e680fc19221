#include "hotspot/http/download.hpp"

#include "hotspot/data/vector_export.hpp"
#include "hotspot/http/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <iostream>

namespace hotspot::http {
namespace {

constexpr std::array<std::string_view, 9> kGeoJsonPaths{
    "/api/layers/wards",    "/api/layers/town-centres", "/api/incidents",
    "/api/hotspots/dbscan", "/api/hotspots/kde",        "/api/hotspots/gistar",
    "/api/stats/wards",     "/api/stats/town-centres",  "/api/compare",
};

// Longest parameter part of a file name before it is cut and hashed.
constexpr std::size_t kMaxParameterChars = 100;

// Keeps [A-Za-z0-9-]; anything else (commas, dots, colons, spaces) becomes '-'.
std::string file_safe(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    out += ok ? c : '-';
  }
  return out;
}

// "/api/layers/wards" -> "wards", "/api/hotspots/dbscan" -> "hotspots-dbscan".
std::string endpoint_stem(std::string_view path) {
  if (path.starts_with("/api/")) path.remove_prefix(5);
  if (path.starts_with("layers/")) path.remove_prefix(7);
  return file_safe(path);
}

// FNV-1a, to keep two long parameter lists apart after cutting.
std::string short_hash(std::string_view text) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : text) h = (h ^ c) * 16777619u;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%08x", h);
  return buffer;
}

// wards_2026-11-25, hotspots-dbscan_eps-250_min-points-5_2026-11-25, ...
std::string file_stem(const Request& request, const std::string& today) {
  std::string params;
  for (const auto& [name, value] : request.query) {
    params += "_" + file_safe(name) + "-" + file_safe(value);
  }
  if (params.size() > kMaxParameterChars) {
    params = params.substr(0, kMaxParameterChars) + "_" + short_hash(params);
  }
  return endpoint_stem(request.path) + params + "_" + today;
}

std::string query_text(const Request& request) {
  std::string out;
  for (const auto& [name, value] : request.query)
    out += (out.empty() ? "?" : "&") + name + "=" + value;
  return out;
}

Response convert(Response answer, data::ExportFormat format, const Request& request) {
  const auto body = nlohmann::json::parse(answer.body, nullptr, false);
  std::string metadata;
  if (body.is_object() && body.contains("metadata")) {
    metadata = body["metadata"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  const std::string generated = utc_now_iso8601();
  data::ExportOptions options;
  options.layer_name = endpoint_stem(request.path);
  std::replace(options.layer_name.begin(), options.layer_name.end(), '-', '_');
  options.file_stem = file_stem(request, generated.substr(0, 10));
  options.description =
      "hotspot " + request.path + query_text(request) + ", generated " + generated;
  options.metadata_json = std::move(metadata);

  auto file = data::export_geojson(answer.body, format, options);
  if (!file) {
    const Error& error = file.error();
    if (error.code != ErrorCode::unreadable_input && error.code != ErrorCode::internal) {
      return error_response(error);
    }
    // Our own GeoJSON failed to convert: a bug, reported without internals.
    std::cerr << "error: " << request.path << ": export to " << data::export_format_name(format)
              << " failed: " << error.message << std::endl;
    return error_response(
        make_error(ErrorCode::internal, "Internal error; the server log has the details"));
  }
  Response out;
  out.status = 200;
  out.content_type = std::move(file->content_type);
  out.body = std::move(file->bytes);
  out.headers = std::move(answer.headers);
  out.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + file->file_name + "\"");
  return out;
}

}  // namespace

bool takes_format(std::string_view path) {
  return std::find(kGeoJsonPaths.begin(), kGeoJsonPaths.end(), path) != kGeoJsonPaths.end();
}

Response with_format(Handler handler, const Request& request, const Context& context) {
  const std::string* text = nullptr;
  int given = 0;
  for (const auto& [name, value] : request.query) {
    if (name == "format") {
      text = &value;
      ++given;
    }
  }
  if (given == 0) return handler(request, context);
  if (given > 1) {
    return error_response(make_error(ErrorCode::invalid_parameter,
                                     "Parameter 'format' is given more than once; give it once"));
  }
  auto format = data::parse_export_format(*text);
  if (!format) return error_response(format.error());

  Request inner = request;
  std::erase_if(inner.query, [](const auto& pair) { return pair.first == "format"; });
  Response answer = handler(inner, context);
  if (answer.status != 200 || answer.content_type != "application/geo+json") return answer;
  return convert(std::move(answer), *format, inner);
}

}  // namespace hotspot::http
