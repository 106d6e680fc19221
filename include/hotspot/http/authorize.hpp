#pragma once
// Bearer-token checks for the endpoints that change things (reload, sources).

#include "hotspot/auth/tokens.hpp"
#include "hotspot/http/request.hpp"
#include "hotspot/http/service.hpp"

#include <optional>
#include <string>

namespace hotspot::http {

// Nothing when the request's bearer token has `role` (its holder's name in
// `name`); else the answer: 401 (no token, or an unknown one, with
// WWW-Authenticate) or 403 (another role). context.tokens must be set.
std::optional<Response> authorize(const Request& request, const Context& context,
                                  auth::Role role, std::string* name);

}  // namespace hotspot::http
