#include "hotspot/data/csv.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace hotspot::data {

CsvCursor::CsvCursor(std::span<char> text, std::size_t first_line)
    : buf_(text.data()), n_(text.size()), line_(first_line), record_line_(first_line) {}

CsvCursor::Status CsvCursor::next(std::vector<std::string_view>& fields) {
  fields.clear();
  error_ = {};
  // Blank lines (LF or CRLF alone) separate nothing and are skipped.
  while (pos_ < n_) {
    if (buf_[pos_] == '\n') {
      ++pos_;
      ++line_;
    } else if (buf_[pos_] == '\r' && (pos_ + 1 == n_ || buf_[pos_ + 1] == '\n')) {
      pos_ += pos_ + 1 == n_ ? 1 : 2;
      ++line_;
    } else {
      break;
    }
  }
  if (pos_ >= n_) return Status::end;
  record_line_ = line_;

  auto skip_line = [this] {
    const void* nl = std::memchr(buf_ + pos_, '\n', n_ - pos_);
    pos_ = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buf_) + 1 : n_;
    if (nl) ++line_;
  };

  for (;;) {
    if (pos_ < n_ && buf_[pos_] == '"') {
      // Quoted field: copy the content down over the opening quote, turning
      // "" into ", until the closing quote.
      const std::size_t start = pos_;
      std::size_t write = pos_;
      std::size_t read = pos_ + 1;
      for (;;) {
        const void* q = std::memchr(buf_ + read, '"', n_ - read);
        if (q == nullptr) {
          line_ += static_cast<std::size_t>(std::count(buf_ + read, buf_ + n_, '\n'));
          pos_ = n_;
          error_ = "unterminated quoted field";
          return Status::malformed;
        }
        const auto qi = static_cast<std::size_t>(static_cast<const char*>(q) - buf_);
        line_ += static_cast<std::size_t>(std::count(buf_ + read, buf_ + qi, '\n'));
        std::memmove(buf_ + write, buf_ + read, qi - read);
        write += qi - read;
        if (qi + 1 < n_ && buf_[qi + 1] == '"') {
          buf_[write++] = '"';
          read = qi + 2;
          continue;
        }
        read = qi + 1;
        break;
      }
      fields.emplace_back(buf_ + start, write - start);
      pos_ = read;
      if (pos_ < n_ && buf_[pos_] == '\r' && (pos_ + 1 == n_ || buf_[pos_ + 1] == '\n')) ++pos_;
      if (pos_ < n_ && buf_[pos_] != ',' && buf_[pos_] != '\n') {
        error_ = "text after a closing quote";
        skip_line();
        return Status::malformed;
      }
    } else {
      const std::size_t start = pos_;
      while (pos_ < n_ && buf_[pos_] != ',' && buf_[pos_] != '\n') ++pos_;
      std::size_t end = pos_;
      if (end > start && buf_[end - 1] == '\r' && (pos_ == n_ || buf_[pos_] == '\n')) --end;
      fields.emplace_back(buf_ + start, end - start);
    }
    if (pos_ >= n_) return Status::record;
    if (buf_[pos_] == ',') {
      ++pos_;
      if (pos_ >= n_) {
        fields.emplace_back();  // "a,b," ends with an empty field
        return Status::record;
      }
      continue;
    }
    ++pos_;  // '\n'
    ++line_;
    return Status::record;
  }
}

std::span<char> strip_bom(std::span<char> text) {
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF)
    return text.subspan(3);
  return text;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string normalise_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

}  // namespace hotspot::data
