#pragma once
// Splits the bytes of one HTTP/1.1 connection into whole requests.
//
// Pistache 0.0.5 keeps neither the raw request target (only the first of a
// repeated query name survives its parsing) nor bytes that follow a complete
// request in the same read (pipelined requests are dropped). The server reads
// each request's target here and hands Pistache one whole request at a time.
// Framing follows RFC 9112: a request ends after its header section and the
// body that Content-Length or chunked Transfer-Encoding describes.

#include <cstddef>
#include <string>
#include <string_view>

namespace hotspot::http {

class RequestStream {
 public:
  // A request (request line, headers and body) longer than this is refused.
  explicit RequestStream(std::size_t max_request_bytes) : max_bytes_(max_request_bytes) {}

  // Bytes as read from the connection, in order.
  void append(std::string_view bytes);

  struct Next {
    enum class Kind {
      incomplete,  // more bytes are needed
      request,     // `bytes` and `target` hold the next request
      too_large,   // the request is longer than the limit
      malformed,   // the bytes cannot be framed; `reason` says why
    };
    Kind kind = Kind::incomplete;
    std::string bytes;   // the whole request, as received
    // The method and target of its request line, as received; also set for
    // a malformed request once its request line could be read.
    std::string method;
    std::string target;
    std::string reason;
  };
  // The next whole request, taken off the stream. After too_large or
  // malformed the stream cannot find where the next request starts, so it
  // ignores all further bytes and says incomplete.
  Next next();

  // Part of a request has arrived and the rest has not (yet).
  bool partial() const { return !broken_ && !buffer_.empty(); }

 private:
  std::size_t max_bytes_;
  std::string buffer_;
  bool broken_ = false;
};

}  // namespace hotspot::http
