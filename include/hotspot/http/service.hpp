#pragma once
// The service: what every handler may use (Context), the route table, and
// handle(), which routes a Request, answers static files, and is the one
// place where exceptions are caught.

#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/disclosure.hpp"
#include "hotspot/http/request.hpp"

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace hotspot::http {

class ResponseCache;

// Bounds on the work and size of any one request.
struct Limits {
  std::size_t max_request_bytes = 64 * 1024;        // request line + headers + body
  std::size_t max_response_bytes = 512u << 20;      // the server's write buffer cap
  // A GeoJSON answer larger than this is refused (413) in favour of a larger
  // cell or a file download: a browser cannot draw it anyway.
  std::size_t max_geojson_bytes = 20u << 20;
  // Grids are capped by analysis::GridGeometry::kMaxCells and grid answers by
  // the hotspot handlers' output-cell cap.
};

struct Context {
  const data::Store* store = nullptr;
  std::filesystem::path static_root;
  Limits limits;
  ResponseCache* cache = nullptr;  // nullptr: no caching
  std::string started_at;          // ISO 8601 UTC
  // Public mode (--public, --min-count): what every answer may disclose.
  engine::Disclosure disclosure;
};

using Handler = Response (*)(const Request&, const Context&);

struct Route {
  std::string_view method;
  std::string_view path;
  Handler handler;
};

// Routes the request: an API route, 405 (with Allow) for a known path and a
// wrong method, 404 JSON for unknown /api/ paths, static files otherwise.
// Never throws: an unexpected exception is logged with the request and
// answered with a generic 500.
Response handle(const Request& request, const Context& context) noexcept;
// The same over another route table (tests use it to reach the 500 path).
Response handle(std::span<const Route> table, const Request& request,
                const Context& context) noexcept;

}  // namespace hotspot::http
