#include "hotspot/http/service.hpp"

#include "hotspot/auth/tokens.hpp"
#include "hotspot/http/authorize.hpp"

#include "hotspot/http/cors.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/handlers.hpp"
#include "hotspot/http/log.hpp"
#include "hotspot/http/representation.hpp"
#include "hotspot/http/static_files.hpp"

#include <array>
#include <exception>
#include <iostream>
#include <optional>

namespace hotspot::http {
namespace {

// Every API route, in one place.
constexpr std::array kRoutes{
    Route{"GET", "/api/health", handle_health},
    Route{"GET", "/api/layers", handle_layers},
    Route{"GET", "/api/layers/wards", handle_wards},
    Route{"GET", "/api/layers/town-centres", handle_town_centres},
    Route{"GET", "/api/layers/groups", handle_groups},
    Route{"GET", "/api/incidents", handle_incidents},
    Route{"GET", "/api/load-report", handle_load_report},
    Route{"GET", "/api/parameters", handle_parameters},
    Route{"GET", "/api/hotspots/dbscan", handle_dbscan},
    Route{"GET", "/api/hotspots/kde", handle_kde},
    Route{"GET", "/api/hotspots/gistar", handle_gistar},
    Route{"GET", "/api/stats/wards", handle_ward_stats},
    Route{"GET", "/api/stats/town-centres", handle_town_centre_stats},
    Route{"GET", "/api/stats/groups", handle_group_stats},
    Route{"GET", "/api/compare", handle_compare},
    Route{"GET", "/api/profile", handle_profile},
    Route{"GET", "/api/evaluate", handle_evaluate},
    Route{"POST", "/api/admin/reload", handle_admin_reload},
    Route{"GET", "/api/sources", handle_sources_list},
    Route{"POST", "/api/sources", handle_source_add},
    // "/*": one more path segment, the source's id.
    Route{"GET", "/api/sources/*", handle_source_get},
    Route{"PUT", "/api/sources/*", handle_source_replace},
    Route{"DELETE", "/api/sources/*", handle_source_remove},
    Route{"GET", "/api/analyses", handle_analyses_list},
    Route{"POST", "/api/analyses", handle_analysis_save},
    Route{"GET", "/api/analyses/*", handle_analysis_get},
    // Vector tiles: /tiles/{layer}.json (TileJSON) and /tiles/{layer}/{z}/{x}/{y}.mvt.
    Route{"GET", "/tiles/*", handle_tilejson},
    Route{"GET", "/tiles/*/*/*/*", handle_tile},
    // OGC API - Features (handlers_ogc.cpp): "*" is one path segment.
    Route{"GET", "/ogc", handle_ogc_landing},
    Route{"GET", "/ogc/", handle_ogc_landing},
    Route{"GET", "/ogc/conformance", handle_ogc_conformance},
    Route{"GET", "/ogc/api", handle_ogc_api},
    Route{"GET", "/ogc/collections", handle_ogc_collections},
    Route{"GET", "/ogc/collections/*", handle_ogc_collection},
    Route{"GET", "/ogc/collections/*/items", handle_ogc_items},
    Route{"GET", "/ogc/collections/*/items/*", handle_ogc_item},
};

// A route's path matches segment by segment; a "*" segment matches any one
// non-empty segment.
bool path_matches(std::string_view route, std::string_view path) {
  while (true) {
    const std::size_t r_end = route.find('/', 1);
    const std::size_t p_end = path.find('/', 1);
    const std::string_view r = route.substr(0, r_end);
    const std::string_view p = path.substr(0, p_end);
    if (r == "/*" ? p.size() < 2 : r != p) return false;
    if (r_end == std::string_view::npos || p_end == std::string_view::npos) {
      return r_end == p_end;
    }
    route.remove_prefix(r_end);
    path.remove_prefix(p_end);
  }
}

// Paths answered in JSON (errors included) and covered by CORS: the API,
// the OGC API and the vector tiles; the rest is the page.
bool is_api_path(std::string_view path) {
  return path == "/api" || path.starts_with("/api/") || path == "/ogc" ||
         path.starts_with("/ogc/") || path == "/tiles" || path.starts_with("/tiles/");
}

bool is_admin_path(std::string_view path) { return path.starts_with("/api/admin/"); }

// The methods a path takes, for Allow: "GET, HEAD", "POST"; empty for none.
// Admin paths take none while admin is disabled (no tokens file).
std::string methods_for(std::span<const Route> table, std::string_view path,
                        const Context& context) {
  std::string allow;
  if (is_admin_path(path) && context.tokens == nullptr) return allow;
  for (const auto& r : table) {
    if (!path_matches(r.path, path) || allow.find(r.method) != std::string::npos) continue;
    allow += (allow.empty() ? "" : ", ") + std::string(r.method);
    if (r.method == "GET") allow += ", HEAD";
  }
  return allow;
}

// With private reading on, a read needs a viewer's (or an editor's) token;
// health stays open for load balancers and monitors. Writes check their
// own, stronger role in their handlers.
std::optional<Response> refuse_private_read(const Route& route, const Request& request,
                                            const Context& context) {
  if (!context.private_reads || route.method != "GET" || route.path == "/api/health") {
    return std::nullopt;
  }
  if (context.tokens == nullptr) {  // hotspotd refuses --private without --tokens
    return error_response(make_error(ErrorCode::unauthorized,
                                     "Reading is private and no token is configured"));
  }
  std::string reader;
  return authorize(request, context, auth::Role::viewer, &reader);
}

Response route(std::span<const Route> table, const Request& request, const Context& context) {
  if (request.size_bytes > context.limits.max_request_bytes) {
    return error_response(make_error(
        ErrorCode::payload_too_large,
        "The request is " + std::to_string(request.size_bytes) + " bytes; the limit is " +
            std::to_string(context.limits.max_request_bytes)));
  }
  // HEAD is answered as GET; the server sends the headers without the body.
  const std::string_view method =
      request.method == "HEAD" ? std::string_view("GET") : std::string_view(request.method);
  const std::string allow = methods_for(table, request.path, context);
  if (!allow.empty()) {
    for (const auto& r : table) {
      if (path_matches(r.path, request.path) && r.method == method) {
        if (auto refused = refuse_private_read(r, request, context)) return std::move(*refused);
        return r.handler(request, context);
      }
    }
    return method_not_allowed(request.path, allow);
  }
  if (is_api_path(request.path)) {
    return error_response(
        make_error(ErrorCode::not_found, "No API endpoint " + request.path +
                                             "; see /api/layers, /ogc and docs/api.md"));
  }
  // Everything else is the page's static files, read-only.
  if (method != "GET") return method_not_allowed(request.path, "GET, HEAD");
  // A query string on a static file (a cache buster) is ignored.
  return serve_static(request, context.static_root);
}

// Logs what went wrong with the request; the method and path are escaped
// (they come from the client). Never throws: the failure may be bad_alloc.
void log_failure(std::string_view method, std::string_view path, std::string_view what,
                 std::string_view detail = {}) noexcept {
  try {
    std::cerr << "error: " << escape_for_log(method) << ' ' << escape_for_log(path) << ": "
              << what << detail << std::endl;
  } catch (...) {
    std::cerr << "error: (request not logged): " << what << detail << std::endl;
  }
}

// Only what represent() reads of a request, for deferred work to keep.
Request negotiation_part(const Request& request) {
  Request out;
  out.method = request.method;
  out.path = request.path;
  for (const char* name : {"accept-encoding", "if-none-match"}) {
    if (const std::string* value = request.header(name)) out.headers.emplace_back(name, *value);
  }
  return out;
}

// route(), then what every answer goes through (http::represent:
// Cache-Control, ETag, 304, gzip): a deferred answer once it is made, or a
// 304 in its place when its ETag is known before the work.
Response represented(std::span<const Route> table, const Request& request,
                     const Context& context) {
  Response response = route(table, request, context);
  if (!response.deferred) {
    represent(request, response);
    return response;
  }
  if (auto unchanged = not_modified_before(request, request.path, response.validator)) {
    return std::move(*unchanged);
  }
  response.deferred = [work = std::move(response.deferred),
                       request = negotiation_part(request)](const Deadline& deadline) {
    Response made = work(deadline);
    represent(request, made);
    return made;
  };
  return response;
}

// represented(), with CORS when it is on: an OPTIONS on an API path is a
// preflight, and API answers carry the CORS headers (deferred ones once
// they are made).
Response route_with_cors(std::span<const Route> table, const Request& request,
                         const Context& context) {
  if (!context.cors.enabled() || !is_api_path(request.path)) {
    return represented(table, request, context);
  }
  // Paths that take a token: their preflight allows Authorization, and
  // only a named origin (never '*') may send one.
  const bool admin = is_admin_path(request.path) || request.path.starts_with("/api/sources") ||
                     context.private_reads;
  if (request.method == "OPTIONS") {
    const std::string methods = methods_for(table, request.path, context);
    if (!methods.empty()) return cors_preflight(request, context.cors, methods, admin);
  }
  Response response = represented(table, request, context);
  if (!response.deferred) {
    add_cors_headers(request, context.cors, admin, response);
    return response;
  }
  response.deferred = [work = std::move(response.deferred), request, cors = &context.cors,
                       admin](const Deadline& deadline) {
    Response made = work(deadline);
    add_cors_headers(request, *cors, admin, made);
    return made;
  };
  return response;
}

// The generic 500, built without anything that could throw again.
Response internal_error() noexcept {
  try {
    return error_response(make_error(
        ErrorCode::internal, "Internal error; the server log has the details"));
  } catch (...) {
    // Even building the error failed (out of memory): answer with a fixed body.
    Response response;
    response.status = 500;
    response.body = R"({"error":{"code":"internal","message":"Internal error"}})";
    return response;
  }
}

// Deferred work keeps the one catch: it runs later, on another thread, so
// it carries what it needs to log a failure with its request.
Deferred guarded(Deferred work, const Request& request) {
  return [work = std::move(work), method = request.method,
          path = request.path](const Deadline& deadline) noexcept -> Response {
    try {
      return work(deadline);
    } catch (const std::exception& e) {
      log_failure(method, path, "unexpected exception: ", e.what());
    } catch (...) {
      log_failure(method, path, "unexpected non-standard exception");
    }
    return internal_error();
  };
}

}  // namespace

std::span<const Route> routes() { return kRoutes; }

Response dispatch(const Request& request, const Context& context) noexcept {
  return dispatch(kRoutes, request, context);
}

Response dispatch(std::span<const Route> table, const Request& request,
                  const Context& context) noexcept {
  try {
    Response response = route_with_cors(table, request, context);
    if (response.deferred) response.deferred = guarded(std::move(response.deferred), request);
    return response;
  } catch (const std::exception& e) {
    log_failure(request.method, request.path, "unexpected exception: ", e.what());
  } catch (...) {
    log_failure(request.method, request.path, "unexpected non-standard exception");
  }
  return internal_error();
}

Response handle(const Request& request, const Context& context) noexcept {
  return handle(kRoutes, request, context);
}

Response handle(std::span<const Route> table, const Request& request,
                const Context& context) noexcept {
  Response response = run_deferred(dispatch(table, request, context));
  // Callers read `body`: the shared form is copied into it.
  if (response.shared_body) {
    response.body = *response.shared_body;
    response.shared_body.reset();
  }
  return response;
}

Response run_deferred(Response response, const Deadline& deadline) {
  if (!response.deferred) return response;
  Deferred work = std::move(response.deferred);
  return work(deadline);
}

SpoolPolicy upload_spool(const Context& context) {
  SpoolPolicy policy;
  if (!context.sources.store) return policy;
  const auth::TokenStore* tokens = context.tokens;
  policy.decide = [tokens](std::string_view method, std::string_view target,
                           std::string_view authorization) {
    const bool upload = (method == "POST" || method == "PUT") &&
                        (target == "/api/sources" || target.starts_with("/api/sources?") ||
                         target.starts_with("/api/sources/"));
    if (!upload) return SpoolDecision::none;
    // Disk is spent only on an editor's upload; anyone else's body is
    // dropped as it arrives and the handler answers 401 or 403.
    if (tokens == nullptr) return SpoolDecision::discard;
    const auth::Token* token =
        auth::match(*tokens->current(), auth::bearer_token(authorization));
    return token != nullptr && token->role == auth::Role::editor ? SpoolDecision::spool
                                                                  : SpoolDecision::discard;
  };
  policy.max_body_bytes = context.limits.max_upload_bytes;
  policy.folder = context.sources.upload_folder;
  return policy;
}

}  // namespace hotspot::http
