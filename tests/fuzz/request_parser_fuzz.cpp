// libFuzzer target: the bytes of one HTTP/1.x connection through
// http::RequestStream (framing: Content-Length, chunked, pipelining, limits),
// and each request's method and target through http::make_request (target
// split, strict percent-decoding).
//
// The input: byte 0 sets the request size limit (64 bytes .. 16 KiB), byte 1
// how the connection's bytes are cut into reads; the rest is what the client
// sends. Checks, besides the sanitizers:
//  - the same bytes in one read and cut into many reads give the same
//    requests (a server's reads split a stream anywhere);
//  - a request is never longer than the limit, and its bytes start with its
//    method and target as the request line gives them.

#include "hotspot/http/request.hpp"
#include "hotspot/http/request_stream.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using hotspot::http::RequestStream;
using Kind = RequestStream::Next::Kind;

struct Outcome {
  Kind kind;
  std::string bytes, method, target;
  bool operator==(const Outcome&) const = default;
};

void fail(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  std::abort();
}

// Takes every request the stream has now.
void drain(RequestStream& stream, std::size_t limit, std::vector<Outcome>& out) {
  for (;;) {
    auto next = stream.next();
    if (next.kind == Kind::incomplete) return;
    if (next.kind == Kind::request) {
      if (next.bytes.size() > limit) fail("a request longer than the limit");
      if (next.bytes.compare(0, next.method.size() + 1 + next.target.size() + 1,
                             next.method + " " + next.target + " ") != 0)
        fail("a request's bytes do not start with its method and target");
      auto request = hotspot::http::make_request(next.method, next.target);
      if (request && request->path.empty() && !next.target.empty() && next.target[0] == '/')
        fail("a target starting with '/' gave an empty path");
    }
    out.push_back({next.kind, next.bytes, next.method, next.target});
    if (next.kind != Kind::request) return;  // the stream is broken from here on
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t limit = 64 + (std::size_t{bytes[0]} * 64);
  const std::size_t cut = 1 + bytes[1] % 17;
  const std::string_view wire(reinterpret_cast<const char*>(bytes + 2), size - 2);

  std::vector<Outcome> whole, pieces;
  {
    RequestStream stream(limit);
    stream.append(wire);
    drain(stream, limit, whole);
  }
  {
    RequestStream stream(limit);
    for (std::size_t at = 0; at < wire.size(); at += cut) {
      stream.append(wire.substr(at, cut));
      drain(stream, limit, pieces);
    }
  }
  if (whole != pieces) {
    for (const auto* list : {&whole, &pieces}) {
      std::fprintf(stderr, "%s:", list == &whole ? "one read" : "many reads");
      for (const auto& o : *list) std::fprintf(stderr, " %d(%zu bytes)", static_cast<int>(o.kind), o.bytes.size());
      std::fprintf(stderr, "\n");
    }
    fail("one read and many reads framed the bytes differently");
  }
  return 0;
}
