#include "hotspot/http/request.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace hotspot::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const std::string* Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

Expected<std::string> percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else if (c == '%') {
      const int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return make_error(ErrorCode::invalid_parameter,
                          "Malformed percent-escape in '" + std::string(text) +
                              "': '%' must be followed by two hexadecimal digits");
      }
      const char decoded = static_cast<char>(hi * 16 + lo);
      // A NUL would truncate the value anywhere it meets a C API (file names).
      if (decoded == '\0') {
        return make_error(ErrorCode::invalid_parameter,
                          "Percent-escape %00 (NUL) is not allowed");
      }
      out.push_back(decoded);
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Expected<std::vector<std::pair<std::string, std::string>>> parse_query_string(
    std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view segment = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (segment.empty()) continue;
    const std::size_t eq = segment.find('=');
    auto name = percent_decode(segment.substr(0, eq), true);
    if (!name) return name.error();
    std::string value;
    if (eq != std::string_view::npos) {
      auto decoded = percent_decode(segment.substr(eq + 1), true);
      if (!decoded) return decoded.error();
      value = std::move(*decoded);
    }
    pairs.emplace_back(std::move(*name), std::move(value));
  }
  return pairs;
}

Expected<Request> make_request(std::string method, std::string_view target) {
  Request request;
  request.method = std::move(method);
  request.size_bytes = target.size();
  const std::size_t hash = target.find('#');
  if (hash != std::string_view::npos) target = target.substr(0, hash);
  const std::size_t question = target.find('?');
  auto path = percent_decode(target.substr(0, question), false);
  if (!path) return path.error();
  request.path = std::move(*path);
  if (question != std::string_view::npos) {
    auto query = parse_query_string(target.substr(question + 1));
    if (!query) return query.error();
    request.query = std::move(*query);
  }
  return request;
}

BodyFile::~BodyFile() { std::remove(path_.c_str()); }

Expected<std::int64_t> path_id(std::string_view path, std::string_view prefix,
                               std::string_view what, std::string_view listing) {
  const std::string_view text = path.substr(std::min(prefix.size(), path.size()));
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return make_error(ErrorCode::not_found, "'" + std::string(text) + "' is not " +
                                                std::string(what) + "; GET " +
                                                std::string(listing) + " lists them");
  }
  return id;
}

}  // namespace hotspot::http
