#include "hotspot/http/errors.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace hotspot::http {
namespace {

struct ErrorEntry {
  ErrorCode code;
  int status;
  std::string_view name;
  bool retry = false;  // temporary: the answer carries Retry-After
};

// The one table: every ErrorCode, its status and its API name.
constexpr std::array kErrorTable{
    ErrorEntry{ErrorCode::invalid_parameter, 400, "invalid_parameter"},
    ErrorEntry{ErrorCode::unknown_parameter, 400, "unknown_parameter"},
    ErrorEntry{ErrorCode::not_found, 404, "not_found"},
    ErrorEntry{ErrorCode::forbidden, 403, "forbidden"},
    ErrorEntry{ErrorCode::method_not_allowed, 405, "method_not_allowed"},
    ErrorEntry{ErrorCode::payload_too_large, 413, "payload_too_large"},
    // Data problems reach HTTP only when a request names a file or layer that
    // cannot be used: the request was well-formed but cannot be processed.
    ErrorEntry{ErrorCode::unreadable_input, 422, "unreadable_input"},
    ErrorEntry{ErrorCode::empty_input, 422, "empty_input"},
    ErrorEntry{ErrorCode::projection_failed, 422, "projection_failed"},
    // A reload is refused for the same kind of data problem.
    ErrorEntry{ErrorCode::reload_refused, 422, "reload_refused"},
    ErrorEntry{ErrorCode::unauthorized, 401, "unauthorized"},
    ErrorEntry{ErrorCode::length_required, 411, "length_required"},
    ErrorEntry{ErrorCode::gone, 410, "gone"},
    ErrorEntry{ErrorCode::insufficient_storage, 507, "insufficient_storage"},
    ErrorEntry{ErrorCode::store_unavailable, 503, "store_unavailable", true},
    ErrorEntry{ErrorCode::unavailable, 503, "unavailable", true},
    ErrorEntry{ErrorCode::deadline_exceeded, 503, "deadline_exceeded", true},
    ErrorEntry{ErrorCode::overloaded, 503, "overloaded", true},
    ErrorEntry{ErrorCode::internal, 500, "internal"},
};

const ErrorEntry& entry_for(ErrorCode code) {
  for (const auto& entry : kErrorTable) {
    if (entry.code == code) return entry;
  }
  return kErrorTable.back();  // unreachable while the table is complete
}

// Seconds a client is asked to wait after a 503: long enough for the
// analyses ahead of it to finish (each is bounded by its deadline).
constexpr int kRetryAfterSeconds = 2;

}  // namespace

int status_for(ErrorCode code) { return entry_for(code).status; }

std::string_view error_code_name(ErrorCode code) { return entry_for(code).name; }

namespace {

Response json_error(int status, std::string_view code, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  Response response;
  response.status = status;
  response.content_type = "application/json";
  // Replacement of invalid UTF-8: a message may quote the client's bytes.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace

Response error_response(const Error& error) {
  const ErrorEntry& entry = entry_for(error.code);
  Response response = json_error(entry.status, entry.name, error.message);
  if (entry.retry) response.headers.emplace_back("Retry-After", std::to_string(kRetryAfterSeconds));
  return response;
}

Response bad_request(std::string_view message, int status) {
  if (status == status_for(ErrorCode::payload_too_large)) {
    return json_error(status, error_code_name(ErrorCode::payload_too_large), message);
  }
  return json_error(status >= 400 && status < 500 ? status : 400, "bad_request", message);
}

Response method_not_allowed(std::string_view path, std::string_view allow) {
  Response response = error_response(make_error(
      ErrorCode::method_not_allowed,
      std::string(path) + " takes only these methods: " + std::string(allow)));
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

}  // namespace hotspot::http
