#pragma once
// zlib's own inflate of a gzip stream, for tests that check the server's gzip
// answers against their identity bytes.

#include <zlib.h>

#include <string>

namespace hotspot::testing {

// The inflated bytes, or a text saying why there are none.
inline std::string gunzip(const std::string& bytes) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return "(inflateInit2 failed)";
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char buffer[65536];
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  return status == Z_STREAM_END ? out : "(not a complete gzip stream)";
}

}  // namespace hotspot::testing
