#pragma once
// Text from a request (method, path) made safe for one line of the server
// log: a client must not be able to end a line, forge another, or send
// terminal escapes through it.

#include <string>
#include <string_view>

namespace hotspot::http {

// `text` with every byte that is not printable ASCII or part of valid UTF-8
// written as \xNN (two lower-case hex digits): control bytes (\n, \r, ESC,
// DEL, ...), bytes of invalid or overlong UTF-8, C1 controls (U+0080 to
// U+009F) and the line and paragraph separators U+2028 and U+2029. A
// backslash is doubled, so an escape in the log always came from here.
std::string escape_for_log(std::string_view text);

}  // namespace hotspot::http
