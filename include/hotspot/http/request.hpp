#pragma once
// The HTTP request/response model the handlers see. It is independent of the
// server library: the Pistache adapter (server.cpp) converts to and from it,
// and tests build Requests by hand.

#include "hotspot/common/deadline.hpp"
#include "hotspot/common/error.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotspot::http {

// A request body kept in a file (an upload), removed with the last owner.
class BodyFile {
 public:
  explicit BodyFile(std::string path) : path_(std::move(path)) {}
  ~BodyFile();
  BodyFile(const BodyFile&) = delete;
  BodyFile& operator=(const BodyFile&) = delete;
  const std::string& path() const { return path_; }
  std::size_t size = 0;  // bytes written

 private:
  std::string path_;
};

struct Request {
  std::string method = "GET";
  std::string path = "/";  // percent-decoded, without the query
  // Percent-decoded ('+' as space) name/value pairs in request order;
  // duplicates are kept so parameter parsing can reject them.
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::size_t size_bytes = 0;  // request line + headers + body, as received
  std::string body;            // a small body, in memory
  std::shared_ptr<BodyFile> body_file;  // an upload's body, spooled to disk

  // The first header with this (lower-case) name, or nullptr.
  const std::string* header(std::string_view name) const;
};

struct Response;
struct Representation;

// The analysis an answer still needs. The server runs it on its analysis
// pool within the request's deadline, so that cheap answers (health,
// layers, cached analyses) never wait behind it; tests run it in place
// (http::handle).
using Deferred = std::function<Response(const Deadline&)>;

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Allow, Cache-Control
  // The answer's bytes made once and shared (a cached answer): its identity
  // and gzip forms and their ETags; `body` is then empty.
  std::shared_ptr<const Representation> representation;
  // The form chosen for this request (http::represent): what is sent in
  // place of `body` when set, without a copy.
  std::shared_ptr<const std::string> shared_body;
  // What names the answer for its ETag (the response cache's key); empty:
  // the body's bytes do.
  std::string validator;
  Deferred deferred;  // when set, the answer is what it returns; the rest is unused
  // The deferred work's own time limit (uploads); zero: the server's deadline.
  std::chrono::milliseconds time_limit{0};

  // The bytes to send: the chosen shared form, else `body`.
  std::string_view payload() const { return shared_body ? std::string_view(*shared_body) : body; }
};

// Strict percent-decoding: "%" must be followed by two hex digits; a
// decoded NUL is refused. With `plus_as_space`, '+' decodes to ' ' (query
// strings); paths keep '+'.
Expected<std::string> percent_decode(std::string_view text, bool plus_as_space);

// Splits "a=1&b=%20x" into decoded pairs. Empty segments ("a=1&&b=2") are
// skipped; a segment without '=' has an empty value.
Expected<std::vector<std::pair<std::string, std::string>>> parse_query_string(
    std::string_view query);

// Builds a Request from a request target such as "/api/incidents?limit=5".
Expected<Request> make_request(std::string method, std::string_view target);

// The positive decimal id that ends `path` after `prefix` ("/api/sources/7"
// after "/api/sources/": 7); otherwise not_found: "'x' is not <what>; GET
// <listing> lists them".
Expected<std::int64_t> path_id(std::string_view path, std::string_view prefix,
                               std::string_view what, std::string_view listing);

}  // namespace hotspot::http
