#pragma once
// RFC 4180 record splitting for the incident readers. Works over a mutable
// buffer holding the whole file: quoted fields are unescaped in place, so a
// record's fields are string_views into the buffer and no row allocates.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace hotspot::data {

class CsvCursor {
 public:
  enum class Status { record, malformed, end };

  // `first_line` is the line number of the buffer's first byte.
  explicit CsvCursor(std::span<char> text, std::size_t first_line = 1);

  // Reads the next record, skipping blank lines. Fields: commas separate,
  // LF or CRLF end a record, "..." quotes (with "" for a quote) may hold
  // commas and line breaks. `malformed`: an unterminated quote or text after a
  // closing quote; the cursor has moved past the broken record.
  Status next(std::vector<std::string_view>& fields);

  std::size_t record_line() const { return record_line_; }  // where the last record started
  std::size_t line() const { return line_; }                // where the cursor is now
  std::size_t offset() const { return pos_; }
  std::string_view error() const { return error_; }

 private:
  char* buf_;
  std::size_t n_;
  std::size_t pos_ = 0;
  std::size_t line_;
  std::size_t record_line_;
  std::string_view error_;
};

// Skips a UTF-8 byte order mark.
std::span<char> strip_bom(std::span<char> text);

// Trims spaces and tabs at both ends.
std::string_view trim(std::string_view s);

// Column-name normal form: lower case, letters and digits only
// ("Crime ID" -> "crimeid", "occurred_at" -> "occurredat").
std::string normalise_name(std::string_view name);

}  // namespace hotspot::data
