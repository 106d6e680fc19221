#pragma once
// Bearer-token checks: for the endpoints that change things (reload,
// sources), and for every read when reading is private (Context::private_reads).

#include "hotspot/auth/tokens.hpp"
#include "hotspot/http/request.hpp"
#include "hotspot/http/service.hpp"

#include <optional>
#include <string>

namespace hotspot::http {

// Nothing when the request's bearer token has `role` or one that includes it
// (auth::role_allows; its holder's name in `name`); else the answer: 401 (no
// token, or an unknown one, with WWW-Authenticate) or 403 (a role that does
// not allow it). context.tokens must be set.
std::optional<Response> authorize(const Request& request, const Context& context,
                                  auth::Role role, std::string* name);

}  // namespace hotspot::http
