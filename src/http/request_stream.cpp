#include "hotspot/http/request_stream.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <system_error>

#include <unistd.h>

namespace hotspot::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::size_t kNotFound = std::string::npos;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Without the optional whitespace around a header value.
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A whole string of digits in `base`, without sign or spaces.
std::optional<std::size_t> parse_size(std::string_view text, int base) {
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value, base);
  if (text.empty() || ec != std::errc() || stop != end) return std::nullopt;
  return value;
}

// Where a chunked body that starts at `pos` ends (after its last CRLF), or
// kNotFound while bytes are missing; `error` is set when it cannot be a
// chunked body. `buffer` holds no more than the request size limit, so the
// answer does not depend on how many bytes past the limit one read brought.
std::size_t chunked_end(std::string_view buffer, std::size_t pos, std::string& error) {
  for (;;) {
    const std::size_t eol = buffer.find(kCrlf, pos);
    if (eol == kNotFound) return kNotFound;
    std::string_view line(buffer.data() + pos, eol - pos);
    line = trim(line.substr(0, line.find(';')));  // chunk extensions mean nothing here
    const auto size = parse_size(line, 16);
    if (!size) {
      error = "A chunk size is not a hexadecimal number";
      return kNotFound;
    }
    pos = eol + kCrlf.size();
    if (*size == 0) {
      // The last chunk: trailer fields, if any, then an empty line. Searching
      // from the size line's CRLF finds the end with and without trailers.
      const std::size_t end = buffer.find("\r\n\r\n", pos - kCrlf.size());
      return end == kNotFound ? kNotFound : end + 4;
    }
    if (buffer.size() - pos < *size || buffer.size() - pos - *size < kCrlf.size()) return kNotFound;
    pos += *size;
    if (buffer.compare(pos, kCrlf.size(), kCrlf) != 0) {
      error = "A chunk is longer than its size";
      return kNotFound;
    }
    pos += kCrlf.size();
  }
}

}  // namespace

void RequestStream::append(std::string_view bytes) {
  if (!broken_) buffer_.append(bytes);
}

RequestStream::Next RequestStream::next() {
  Next out;
  // The stream cannot go on; what was read of the request line is kept for the log.
  auto fail = [&](Next::Kind kind, std::string reason) {
    Next failed = fail_stream(kind, std::move(reason));
    failed.method = out.method;
    failed.target = out.target;
    return failed;
  };
  auto too_large = [&] {
    return fail(Next::Kind::too_large,
                "The request is longer than " + std::to_string(max_bytes_) + " bytes");
  };
  if (broken_) return out;
  if (spooling_) return continue_spool();

  // Empty lines before a request line are to be ignored (RFC 9112 section
  // 2.2); some clients send a CRLF after a body.
  buffer_.erase(0, std::min(buffer_.find_first_not_of(kCrlf), buffer_.size()));

  // The header section: the request line and header fields, up to an empty line.
  const std::size_t blank = buffer_.find("\r\n\r\n");
  if (blank == kNotFound) return buffer_.size() > max_bytes_ ? too_large() : out;
  const std::size_t body_start = blank + 4;
  if (body_start > max_bytes_) return too_large();
  const std::string_view head(buffer_.data(), blank + kCrlf.size());  // each line with its CRLF

  const std::size_t line_end = head.find(kCrlf);
  const std::string_view request_line = head.substr(0, line_end);
  const std::size_t sp1 = request_line.find(' ');
  const std::size_t sp2 = sp1 == kNotFound ? kNotFound : request_line.find(' ', sp1 + 1);
  if (sp2 == kNotFound || sp2 == sp1 + 1) {
    return fail(Next::Kind::malformed, "The request line is not 'METHOD target HTTP-version'");
  }
  const std::string_view target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  out.method = std::string(request_line.substr(0, sp1));
  out.target = std::string(target);
  // What follows an HTTP/2 preface ("PRI * HTTP/2.0") or another protocol
  // is not HTTP/1.x requests, so the connection is not read any further.
  const std::string_view version = request_line.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return fail(Next::Kind::malformed,
                "Only HTTP/1.1 and HTTP/1.0 are served; the request line says '" +
                    std::string(version) + "'");
  }
  // A target holds no control bytes (RFC 9112 section 3.2); a raw NUL
  // or other one would end the path early wherever it meets a C API.
  if (std::any_of(target.begin(), target.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
      })) {
    return fail(Next::Kind::malformed, "The request target holds a control byte");
  }

  // How the body ends (RFC 9112 section 6): chunked, a length, or no body.
  std::optional<std::size_t> length;
  bool transfer_encoding = false, chunked = false;
  std::string_view authorization;
  for (std::size_t at = line_end + kCrlf.size(); at < head.size();) {
    const std::size_t eol = head.find(kCrlf, at);
    const std::string_view line = head.substr(at, eol - at);
    at = eol + kCrlf.size();
    const std::size_t colon = line.find(':');
    if (colon == kNotFound) return fail(Next::Kind::malformed, "A header line has no ':'");
    const std::string_view name = line.substr(0, colon), value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      const auto n = parse_size(value, 10);
      if (!n) return fail(Next::Kind::malformed, "Content-Length is not a number");
      if (length && *length != *n) {
        return fail(Next::Kind::malformed, "Content-Length is given twice with different values");
      }
      length = n;
    } else if (iequals(name, "authorization")) {
      authorization = value;
    } else if (iequals(name, "transfer-encoding")) {
      // The final coding says how the body ends.
      transfer_encoding = true;
      const std::size_t comma = value.rfind(',');
      chunked = iequals(trim(comma == kNotFound ? value : value.substr(comma + 1)), "chunked");
    }
  }
  // Either would do alone; both together are how requests are smuggled past
  // a proxy, so they are refused (RFC 9112 section 6.1).
  if (transfer_encoding && length) {
    return fail(Next::Kind::malformed, "Both Content-Length and Transfer-Encoding are given");
  }
  if (transfer_encoding && !chunked) {
    return fail(Next::Kind::malformed,
                "The request body's length is unknown: "
                "its final transfer coding is not chunked");
  }
  const SpoolDecision decision = spool_policy_.decide
                                    ? spool_policy_.decide(out.method, out.target, authorization)
                                    : SpoolDecision::none;
  if (decision != SpoolDecision::none) {
    if (!length) {
      return fail(Next::Kind::length_required,
                  "An upload must give its size in Content-Length (curl --data-binary @FILE "
                  "does); chunked uploads are not taken");
    }
    return start_spool(out, body_start, *length, decision == SpoolDecision::spool);
  }

  std::size_t end = body_start;
  if (chunked) {
    std::string error;
    // Only the bytes within the limit are read: a size line that ends past
    // it makes the request too large, whether or not its end has arrived.
    end = chunked_end(std::string_view(buffer_).substr(0, max_bytes_), body_start, error);
    if (!error.empty()) return fail(Next::Kind::malformed, std::move(error));
    if (end == kNotFound) return buffer_.size() > max_bytes_ ? too_large() : out;
  } else if (length) {
    if (*length > max_bytes_ - body_start) return too_large();
    end = body_start + *length;
    if (buffer_.size() < end) return out;
  }
  if (end > max_bytes_) return too_large();

  out.kind = Next::Kind::request;
  out.bytes = buffer_.substr(0, end);
  buffer_.erase(0, end);
  return out;
}

RequestStream::Next RequestStream::fail_stream(Next::Kind kind, std::string reason) {
  Next out;
  broken_ = true;
  buffer_.clear();
  spooling_.reset();
  out.kind = kind;
  out.reason = std::move(reason);
  return out;
}

struct RequestStream::Spooling {
  Next head;                      // method, target, header section (Content-Length: 0)
  std::shared_ptr<BodyFile> file;
  std::FILE* out = nullptr;
  std::size_t remaining = 0;
  ~Spooling() {
    if (out != nullptr) std::fclose(out);
  }
};

RequestStream::Next RequestStream::start_spool(const Next& head, std::size_t body_start,
                                               std::size_t length, bool keep) {
  if (length > spool_policy_.max_body_bytes) {
    return fail_stream(Next::Kind::too_large,
                "The upload is " + std::to_string(length) + " bytes; the limit is " +
                    std::to_string(spool_policy_.max_body_bytes) +
                    " bytes. Split the file (one month or one area at a time)");
  }
  auto spool = std::make_shared<Spooling>();
  spool->head = head;
  spool->head.kind = Next::Kind::request;
  // Pistache parses the header section alone: its Content-Length says no
  // body follows.
  std::string section;
  const std::string_view all(buffer_.data(), body_start - 2);  // up to the last header's CRLF
  for (std::size_t at = 0; at < all.size();) {
    const std::size_t eol = all.find(kCrlf, at);
    const std::string_view line = all.substr(at, eol - at + kCrlf.size());
    at = eol + kCrlf.size();
    if (!iequals(line.substr(0, std::min<std::size_t>(line.size(), 15)), "content-length:")) {
      section.append(line);
    }
  }
  spool->head.bytes = section + "Content-Length: 0\r\n\r\n";
  spool->remaining = length;
  if (!keep) {
    buffer_.erase(0, body_start);
    spooling_ = std::move(spool);
    return continue_spool();
  }
  std::string path = (spool_policy_.folder / "hotspot-upload-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    return fail_stream(Next::Kind::spool_failed, "The upload cannot be written to the server's disk");
  }
  spool->file = std::make_shared<BodyFile>(path);
  spool->out = ::fdopen(fd, "wb");
  if (spool->out == nullptr) {
    ::close(fd);
    return fail_stream(Next::Kind::spool_failed, "The upload cannot be written to the server's disk");
  }
  buffer_.erase(0, body_start);
  spooling_ = std::move(spool);
  return continue_spool();
}

RequestStream::Next RequestStream::continue_spool() {
  Spooling& spool = *spooling_;
  const std::size_t n = std::min(spool.remaining, buffer_.size());
  if (spool.out == nullptr) {  // discarded: counted, not kept
    buffer_.erase(0, n);
    spool.remaining -= n;
    if (spool.remaining > 0) return Next{};
    Next out = std::move(spool.head);
    spooling_.reset();
    return out;
  }
  if (n > 0 && std::fwrite(buffer_.data(), 1, n, spool.out) != n) {
    return fail_stream(Next::Kind::spool_failed,
                "The server's disk is full: the upload could not be kept; nothing was stored");
  }
  buffer_.erase(0, n);
  spool.remaining -= n;
  spool.file->size += n;
  if (spool.remaining > 0) return Next{};
  if (std::fclose(spool.out) != 0) {
    spool.out = nullptr;
    return fail_stream(Next::Kind::spool_failed,
                "The server's disk is full: the upload could not be kept; nothing was stored");
  }
  spool.out = nullptr;
  Next out = std::move(spool.head);
  out.body_file = std::move(spool.file);
  spooling_.reset();
  return out;
}

}  // namespace hotspot::http
