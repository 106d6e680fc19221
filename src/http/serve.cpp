#include "hotspot/http/serve.hpp"

#include "hotspot/data/fnv1a.hpp"
#include "hotspot/data/local_time.hpp"
#include "hotspot/http/cache.hpp"
#include "hotspot/http/representation.hpp"
#include "hotspot/render/disclosure.hpp"
#include "hotspot/render/geojson.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <vector>

namespace hotspot::http {
namespace {

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

// FNV-1a, to keep two long parameter lists apart after cutting: 8 of its
// 16 hex digits are enough for that.
std::string short_hash(std::string_view text) {
  return data::hex64(data::fnv1a(text)).substr(8);
}

// wards_2026-11-25, hotspots-dbscan_eps-250_min-points-5_2026-11-25, ...:
// the endpoint and the parameters the user gave, so files of one download
// session tell apart at a glance.
std::string file_stem(std::string_view endpoint, const Request& request, const std::string& day) {
  std::string params;
  for (const auto& [name, value] : request.query) {
    if (name != "format") params += "_" + file_safe(name) + "-" + file_safe(value);
  }
  if (params.size() > kMaxParameterChars) {
    params = params.substr(0, kMaxParameterChars) + "_" + short_hash(params);
  }
  std::string stem(endpoint.starts_with("layers/") ? endpoint.substr(7) : endpoint);
  return file_safe(stem) + params + "_" + day;
}

Response download(const render::FeatureAnswer& answer, render::ExportFormat format,
                  const Request& request, std::string_view endpoint,
                  const engine::Canonical& canonical) {
  const std::string generated = data::utc_now_iso8601();
  render::ExportOptions options;
  options.layer_name = answer.table.name;
  options.file_stem = file_stem(endpoint, request, generated.substr(0, 10));
  options.description = "hotspot /api/" + std::string(endpoint) + "?" +
                        engine::to_query(canonical) + ", generated " + generated;
  options.metadata_json =
      answer.metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  Response out;
  if (format == render::ExportFormat::geojson) {
    // The API's own rendering, as a file.
    auto text = render::to_geojson(answer.table, answer.metadata);
    if (!text) return error_response(text.error());
    out.content_type = "application/geo+json";
    out.body = std::move(*text);
    out.headers.emplace_back("Content-Disposition",
                             "attachment; filename=\"" + options.file_stem + ".geojson\"");
    return out;
  }
  auto file = render::export_features(answer.table, format, options);
  if (!file) {
    if (file.error().code == ErrorCode::internal) return internal_error(endpoint, file.error());
    return error_response(file.error());
  }
  out.content_type = std::move(file->content_type);
  out.body = std::move(file->bytes);
  out.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + file->file_name + "\"");
  return out;
}

}  // namespace

Response internal_error(std::string_view what, const Error& error) {
  std::cerr << "error: " << what << ": " << error.message << std::endl;
  return error_response(
      make_error(ErrorCode::internal, "Internal error; the server log has the details"));
}

Expected<Prepared> prepare(const Request& request, const Context& context,
                           std::span<const std::string_view> names, bool takes_format) {
  std::vector<std::string_view> allowed(names.begin(), names.end());
  if (takes_format) allowed.emplace_back("format");
  auto query = engine::Query::parse(request.query, allowed);
  if (!query) return query.error();
  std::shared_ptr<const data::Snapshot> snapshot =
      context.store ? context.store->current() : nullptr;
  if (!snapshot) {
    return make_error(ErrorCode::unavailable, "Data is not loaded yet; try again shortly");
  }
  Prepared out{std::move(snapshot), std::move(*query), std::nullopt,
               context.limits.max_geojson_bytes, context.disclosure};
  if (const auto* text = out.query.get("format")) {
    auto format = render::parse_export_format(*text);
    if (!format) return format.error();
    out.format = *format;
  }
  return out;
}

Response cached(const Context& context, std::string_view endpoint, const engine::Canonical& canonical,
                const Prepared& prepared, Deferred compute) {
  std::string key = std::string(endpoint) + "?" + engine::to_query(canonical);
  if (prepared.format) key += "&format=" + std::string(render::export_format_name(*prepared.format));
  key += "#" + prepared.snapshot->version + "#" + prepared.disclosure.cache_key();
  if (context.cache) {
    if (auto hit = context.cache->get(key)) {
      Response response = *hit;
      response.headers.emplace_back("X-Cache", "hit");
      return response;
    }
  }
  Response later;
  later.validator = key;  // a 304 may be answered without the work (http::dispatch)
  later.deferred = [cache = context.cache, key = std::move(key),
                    compute = std::move(compute)](const Deadline& deadline) {
    // The same request may have waited in the queue behind one that has
    // since cached its answer.
    if (auto hit = cache ? cache->get(key) : nullptr) {
      Response response = *hit;
      response.headers.emplace_back("X-Cache", "hit");
      return response;
    }
    Response response = compute(deadline);
    if (response.status == 200) {
      // Its bytes, gzip form and ETags made once; every hit shares them.
      response.representation =
          make_representation(std::move(response.body), response.content_type, key, true);
      response.body.clear();
    }
    // Rendering is not interruptible; an answer finished after its deadline
    // is still good for the cache, but the client was told a time limit.
    if (cache && response.status == 200) {
      cache->put(key, std::make_shared<const Response>(response));
    }
    if (deadline.expired() && response.status == 200) return error_response(deadline_error());
    response.headers.emplace_back("X-Cache", "miss");
    return response;
  };
  return later;
}

Response feature_response(Expected<render::FeatureAnswer> answer, const Request& request,
                          const Prepared& prepared, std::string_view endpoint,
                          const engine::Canonical& canonical,
                          const render::GeoJsonOptions& options) {
  if (!answer) return error_response(answer.error());
  render::disclose(*answer, prepared.disclosure);
  if (prepared.format) return download(*answer, *prepared.format, request, endpoint, canonical);
  auto text = render::to_geojson(answer->table, answer->metadata, options);
  if (!text) return error_response(text.error());
  if (text->size() > prepared.max_geojson_bytes) {
    return error_response(make_error(
        ErrorCode::payload_too_large,
        "The answer would be " + std::to_string(text->size() >> 20) + " MiB, over the limit of " +
            std::to_string(prepared.max_geojson_bytes >> 20) +
            " MiB for a map layer; use a larger 'cell', a narrower selection, or download it as "
            "a file ('format', e.g. gpkg)"));
  }
  Response response;
  response.content_type = "application/geo+json";
  response.body = std::move(*text);
  return response;
}

std::optional<Error> incident_points_refused(const Context& context) {
  if (!context.disclosure.public_mode) return std::nullopt;
  return make_error(ErrorCode::forbidden,
                    "Incident points are not published in public mode; see the statistics and "
                    "hot spot endpoints, where counts below " +
                        std::to_string(context.disclosure.min_count) + " are suppressed");
}

Response json_response(const nlohmann::json& body) {
  Response response;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace hotspot::http
