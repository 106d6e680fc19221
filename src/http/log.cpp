#include "hotspot/http/log.hpp"

#include <cstddef>

namespace hotspot::http {
namespace {

// The length of the valid UTF-8 sequence of two to four bytes at `at` that
// encodes a code point safe to log, or 0.
std::size_t safe_utf8_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  char32_t code = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    code = lead & 0x1fu;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    code = lead & 0x0fu;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    code = lead & 0x07u;
  } else {
    return 0;  // ASCII, a continuation byte, or never valid (0xc0, 0xc1, 0xf5..)
  }
  if (text.size() - at < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0u) != 0x80u) return 0;
    code = (code << 6) | (byte(i) & 0x3fu);
  }
  const char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < least[length] || code > 0x10ffff) return 0;  // overlong or too large
  if (code >= 0xd800 && code <= 0xdfff) return 0;        // a surrogate
  if (code <= 0x9f) return 0;                            // a C1 control
  if (code == 0x2028 || code == 0x2029) return 0;        // line and paragraph separators
  return length;
}

}  // namespace

std::string escape_for_log(std::string_view text) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += "\\\\";
      ++i;
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (const std::size_t length = c >= 0x80 ? safe_utf8_length(text, i) : 0) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
      ++i;
    }
  }
  return out;
}

}  // namespace hotspot::http
