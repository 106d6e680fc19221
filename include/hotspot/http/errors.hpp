#pragma once
// The one table from ErrorCode to HTTP status and the JSON error body
// {"error":{"code":"invalid_parameter","message":"..."}}. Handlers return
// Errors; only this file knows status numbers for them.

#include "hotspot/common/error.hpp"
#include "hotspot/http/request.hpp"

#include <string_view>

namespace hotspot::http {

int status_for(ErrorCode code);
// "invalid_parameter", "not_found", ... (the API spelling).
std::string_view error_code_name(ErrorCode code);

Response error_response(const Error& error);
// A request that cannot be read as HTTP (framing, request line, headers):
// `status` (a 4xx) with code "bad_request", or "payload_too_large" for 413.
// It has no ErrorCode: no handler returns it.
Response bad_request(std::string_view message, int status = 400);
// 405 with the Allow header listing the methods the path takes.
Response method_not_allowed(std::string_view path, std::string_view allow);

}  // namespace hotspot::http
