#pragma once
// Writing answers through Pistache 0.0.5 (private to src/http): the headers
// every answer carries, typed-header wrapping, HEAD, and the log line.

#include "hotspot/http/request.hpp"

#include <pistache/http.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace hotspot::http::wire {

using Clock = std::chrono::steady_clock;

// X-Content-Type-Options, Referrer-Policy, and the page's
// Content-Security-Policy on HTML.
void add_security_headers(Response& response);

// One line per answer; method and path come from the client, so they are
// escaped (no control bytes, no invalid UTF-8: a line cannot be forged).
void log_request(std::string_view method, std::string_view path, int status, std::size_t bytes,
                 Clock::time_point started);

// The status line and headers of an answer to HEAD: what Pistache would
// write before the body, with the body's Content-Length, and no body.
std::string head_only(const Response& response, Pistache::Http::Version version, bool keep_alive);

// Our headers and Content-Type onto Pistache's writer (which writes only
// typed headers).
void add_headers(Pistache::Http::ResponseWriter& writer, const Response& response);

}  // namespace hotspot::http::wire
