#pragma once
// Writing answers (private to src/http): the headers every answer carries,
// the status line and headers, the socket write, and the log line.

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

// The status line and headers of an answer, with the Content-Length of its
// payload (also for HEAD, which is sent without it); none for a 204 or 304.
std::string head(const Response& response, Pistache::Http::Version version, bool keep_alive);

// Statuses answered without content (1xx, 204, 304).
bool has_no_content(int status);

// What send_now returns when the connection is broken (reset, closed).
inline constexpr std::size_t kBroken = static_cast<std::size_t>(-1);

// Writes `head` then `body` on the non-blocking socket `fd` as far as it
// takes them now, straight from where they are (no copy): the bytes
// written, or kBroken.
std::size_t send_now(int fd, std::string_view head, std::string_view body);

}  // namespace hotspot::http::wire
