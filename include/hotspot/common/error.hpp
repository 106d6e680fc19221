#pragma once
// Errors as values. Every failure that a user can act on travels as an Error;
// the HTTP layer maps Error::code to a status through one table.

#include <string>
#include <utility>
#include <variant>

namespace hotspot {

enum class ErrorCode {
  invalid_parameter,   // a request parameter is malformed or out of range
  unknown_parameter,   // a request names a parameter the endpoint does not take
  not_found,           // unknown path or resource
  method_not_allowed,  // path exists, method does not
  forbidden,           // not allowed: a role that may not do this, or public mode
  payload_too_large,   // request or result exceeds a documented bound
  unreadable_input,    // a data file cannot be opened or parsed
  empty_input,         // a data file holds nothing usable
  projection_failed,   // a CRS is unknown or a transformation failed
  unavailable,         // data not loaded (yet)
  deadline_exceeded,   // the work passed its deadline or was cancelled
  overloaded,          // too many analyses waiting: try again shortly
  unauthorized,        // no credentials, or ones that match no one
  reload_refused,      // a reload found files it cannot use; the old data stays
  length_required,     // an upload without Content-Length
  insufficient_storage,  // the store's disk is full: nothing was changed
  store_unavailable,   // the store cannot be read or written now: nothing was changed
  gone,                // a saved analysis whose data is no longer served
  internal,            // a bug: logged in full, reported without internals
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;  // says what was wrong and what to do, in user terms
};

// A minimal std::expected stand-in (C++23 is not available with GCC 12 in C++20 mode).
template <typename T>
class Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Expected(Error error) : state_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool has_value() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace hotspot
