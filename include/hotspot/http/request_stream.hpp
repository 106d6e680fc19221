#pragma once
// Splits the bytes of one HTTP/1.1 connection into whole requests.
//
// Pistache 0.0.5 keeps neither the raw request target (only the first of a
// repeated query name survives its parsing) nor bytes that follow a complete
// request in the same read (pipelined requests are dropped). The server reads
// each request's target here and hands Pistache one whole request at a time.
// Framing follows RFC 9112: a request ends after its header section and the
// body that Content-Length or chunked Transfer-Encoding describes.

#include "hotspot/http/request.hpp"

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace hotspot::http {

// What becomes of a large request body as it arrives.
enum class SpoolDecision {
  none,     // an ordinary request: the body counts against the request limit
  spool,    // an upload: the body goes to a file, never into memory
  discard,  // an upload its sender may not make: the body is read and dropped
            // (no disk is spent on it), then the request is answered (401/403)
};

// Requests whose bodies go to a file as they arrive (uploads), not into
// memory: `decide` sees the request line's method and target and the
// Authorization header (empty when absent); spooled bodies are at most
// `max_body_bytes`, in `folder`.
struct SpoolPolicy {
  std::function<SpoolDecision(std::string_view method, std::string_view target,
                              std::string_view authorization)>
      decide;
  std::size_t max_body_bytes = 0;
  std::filesystem::path folder;
};

class RequestStream {
 public:
  // A request (request line, headers and body) longer than this is refused.
  explicit RequestStream(std::size_t max_request_bytes, SpoolPolicy spool = {})
      : max_bytes_(max_request_bytes), spool_policy_(std::move(spool)) {}

  // Bytes as read from the connection, in order.
  void append(std::string_view bytes);

  struct Next {
    enum class Kind {
      incomplete,  // more bytes are needed
      request,     // `bytes` and `target` hold the next request
      too_large,   // the request is longer than the limit
      malformed,   // the bytes cannot be framed; `reason` says why
      length_required,  // an upload without Content-Length
      spool_failed,     // an upload's body could not be written to disk
    };
    Kind kind = Kind::incomplete;
    std::string bytes;   // the whole request, as received
    // The method and target of its request line, as received; also set for
    // a malformed request once its request line could be read.
    std::string method;
    std::string target;
    std::string reason;
    // A spooled request: `bytes` holds its header section with
    // Content-Length: 0, and the body is in this file.
    std::shared_ptr<BodyFile> body_file;
  };
  // The next whole request, taken off the stream. After too_large or
  // malformed the stream cannot find where the next request starts, so it
  // ignores all further bytes and says incomplete.
  Next next();

  // Part of a request has arrived and the rest has not (yet).
  bool partial() const { return !broken_ && (!buffer_.empty() || spooling_ != nullptr); }
  // An upload's body is arriving (each read is progress, not a stall).
  bool spooling() const { return spooling_ != nullptr; }

 private:
  struct Spooling;
  Next fail_stream(Next::Kind kind, std::string reason);
  // Starts spooling (`keep`) or discarding the body of the request whose
  // header section ends at `body_start`; returns a finished Next when it cannot.
  Next start_spool(const Next& head, std::size_t body_start, std::size_t length, bool keep);
  // Moves buffered bytes into the spool file; the request when complete.
  Next continue_spool();

  std::size_t max_bytes_;
  SpoolPolicy spool_policy_;
  std::string buffer_;
  bool broken_ = false;
  std::shared_ptr<Spooling> spooling_;
};

}  // namespace hotspot::http
