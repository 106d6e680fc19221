#include "hotspot/http/authorize.hpp"

#include "hotspot/auth/tokens.hpp"
#include "hotspot/http/errors.hpp"

namespace hotspot::http {
namespace {

constexpr const char* kChallenge = "Bearer realm=\"hotspot\"";

Response unauthorized(std::string_view message, bool token_given) {
  Response response = error_response(make_error(ErrorCode::unauthorized, std::string(message)));
  // RFC 6750: a token that was presented and refused is an invalid_token.
  response.headers.emplace_back(
      "WWW-Authenticate",
      token_given ? std::string(kChallenge) + ", error=\"invalid_token\"" : kChallenge);
  return response;
}

}  // namespace

std::optional<Response> authorize(const Request& request, const Context& context,
                                  auth::Role role, std::string* name) {
  const std::string* header = request.header("authorization");
  if (header == nullptr) {
    return unauthorized("This endpoint needs 'Authorization: Bearer <token>' (see docs/security.md)",
                        false);
  }
  const std::string_view presented = auth::bearer_token(*header);
  if (presented.empty()) {
    return unauthorized("The Authorization header is not 'Bearer <token>'", false);
  }
  const auto tokens = context.tokens->current();
  const auth::Token* token = auth::match(*tokens, presented);
  if (token == nullptr) return unauthorized("The token is not known", true);
  *name = token->name;
  if (!auth::role_allows(token->role, role)) {
    Response response = error_response(make_error(
        ErrorCode::forbidden, "The token's role is " + std::string(auth::role_name(token->role)) +
                                  "; this endpoint needs " + auth::role_name(role)));
    return response;
  }
  return std::nullopt;
}

}  // namespace hotspot::http
