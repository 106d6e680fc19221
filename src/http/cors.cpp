#include "hotspot/http/cors.hpp"

#include <algorithm>

namespace hotspot::http {
namespace {

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '[' || c == ']' || c == ':';
}

}  // namespace

std::string CorsPolicy::allow_origin(std::string_view origin, bool admin) const {
  if (origin.empty()) return {};
  for (const std::string& allowed : origins) {
    if (allowed != "*" && allowed == origin) return allowed;
  }
  // "*" is for public reading: the admin endpoints need a named origin.
  const bool any = std::find(origins.begin(), origins.end(), "*") != origins.end();
  return any && !admin ? "*" : "";
}

Expected<std::string> parse_cors_origin(std::string_view text) {
  if (text == "*") return std::string(text);
  auto bad = [&](std::string_view why) {
    return make_error(ErrorCode::invalid_parameter,
                      "--cors: '" + std::string(text) + "' " + std::string(why) +
                          " (expected '*' or an origin such as https://maps.example.org)");
  };
  std::string_view rest = text;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return bad("does not start with http:// or https://");
  }
  if (rest.empty()) return bad("has no host");
  if (!std::all_of(rest.begin(), rest.end(), host_char)) {
    return bad("has more than a scheme, host and port (no path, not even '/')");
  }
  return std::string(text);
}

Response cors_preflight(const Request& request, const CorsPolicy& policy,
                        std::string_view methods, bool admin) {
  Response response;
  response.status = 204;
  response.content_type = "text/plain";
  const std::string* origin = request.header("origin");
  const std::string allowed = policy.allow_origin(origin ? *origin : "", admin);
  if (!allowed.empty()) response.headers.emplace_back("Access-Control-Allow-Origin", allowed);
  response.headers.emplace_back("Access-Control-Allow-Methods", std::string(methods));
  // If-None-Match: a page revalidating what it keeps (304); not a simple
  // header, so the browser asks first.
  response.headers.emplace_back("Access-Control-Allow-Headers",
                                admin ? "Authorization, If-None-Match" : "If-None-Match");
  response.headers.emplace_back("Access-Control-Max-Age", std::to_string(policy.max_age_seconds));
  response.headers.emplace_back("Allow", std::string(methods));
  response.headers.emplace_back("Vary", "Origin");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

void add_cors_headers(const Request& request, const CorsPolicy& policy, bool admin,
                      Response& response) {
  const std::string* origin = request.header("origin");
  const std::string allowed = policy.allow_origin(origin ? *origin : "", admin);
  if (!allowed.empty()) {
    response.headers.emplace_back("Access-Control-Allow-Origin", allowed);
    // Scripts see only the safelisted headers unless told: the ETag (to send
    // back in If-None-Match), the cache state and a download's file name.
    response.headers.emplace_back("Access-Control-Expose-Headers",
                                  "ETag, X-Cache, Content-Disposition");
  }
  // The answer's headers depend on Origin: shared caches must keep them apart.
  // One Vary for all: added to one already there (Accept-Encoding).
  for (auto& [name, value] : response.headers) {
    if (name == "Vary") {
      value += ", Origin";
      return;
    }
  }
  response.headers.emplace_back("Vary", "Origin");
}

}  // namespace hotspot::http
