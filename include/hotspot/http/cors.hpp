#pragma once
// Cross-origin reads (CORS), off unless origins are configured
// (--cors, or its older name --cors-origin). handle() applies it to API paths only: the page is
// same-origin and needs none.

#include "hotspot/common/error.hpp"
#include "hotspot/http/request.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace hotspot::http {

struct CorsPolicy {
  // Exact origins ("https://maps.example.org"), or "*": any origin may read
  // (GET, HEAD), none may use the admin endpoints.
  std::vector<std::string> origins;
  // How long a browser may keep a preflight answer.
  int max_age_seconds = 600;

  bool enabled() const { return !origins.empty(); }
  // The Access-Control-Allow-Origin value for a request from `origin` to an
  // API path (admin or not), or empty when that origin may not.
  std::string allow_origin(std::string_view origin, bool admin) const;
};

// Checks one --cors value: "*", or scheme://host[:port] with scheme
// http or https and nothing after the host and port (browsers send origins
// in that form, so anything else would never match).
Expected<std::string> parse_cors_origin(std::string_view text);

// The answer to an OPTIONS preflight on an API path that takes `methods`
// ("GET, HEAD", "POST"): 204 with Access-Control-Allow-Methods and -Max-Age,
// -Allow-Headers (If-None-Match; Authorization too on admin paths), and
// -Allow-Origin when the request's Origin may.
Response cors_preflight(const Request& request, const CorsPolicy& policy,
                        std::string_view methods, bool admin);

// Adds Access-Control-Allow-Origin and -Expose-Headers (when the request's
// Origin may) and Vary: Origin to an answer on an API path.
void add_cors_headers(const Request& request, const CorsPolicy& policy, bool admin,
                      Response& response);

}  // namespace hotspot::http
