#include "wire.hpp"

#include "hotspot/http/log.hpp"

#include <cerrno>
#include <cstdio>
#include <sys/socket.h>
#include <sys/uio.h>

namespace hotspot::http::wire {
namespace {

namespace P = Pistache;

// The page may run only its own scripts, from this server; it is never
// framed. Styles allow 'unsafe-inline': the page's HTML templates (innerHTML)
// carry style="" attributes. Images allow data: (Leaflet) and any http(s)
// host: the optional basemap's tiles come from an address the user gives.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: http: https:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

}  // namespace

void add_security_headers(Response& response) {
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (response.content_type.starts_with("text/html")) {
    response.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  }
}

void log_request(std::string_view method, std::string_view path, int status, std::size_t bytes,
                 Clock::time_point started) {
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  std::fprintf(stderr, "%s %s %d %zu %.1fms\n", escape_for_log(method).c_str(),
               escape_for_log(path).c_str(), status, bytes, ms);
}

std::string head(const Response& response, P::Http::Version version, bool keep_alive) {
  std::string out = version == P::Http::Version::Http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(response.status) + " " +
         P::Http::codeString(static_cast<P::Http::Code>(response.status)) + "\r\n";
  out += keep_alive ? "Connection: Keep-Alive\r\n" : "Connection: Close\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  // RFC 9110: a 204 or 304 has no content, and a 304's Content-Length could
  // only be the 200's, which it does not have.
  if (!has_no_content(response.status)) {
    out += "Content-Type: " + response.content_type + "\r\n";
    out += "Content-Length: " + std::to_string(response.payload().size()) + "\r\n";
  }
  out += "\r\n";
  return out;
}

bool has_no_content(int status) { return status == 204 || status == 304 || status < 200; }

std::size_t send_now(int fd, std::string_view head, std::string_view body) {
  const std::size_t total = head.size() + body.size();
  std::size_t sent = 0;
  while (sent < total) {
    iovec parts[2];
    std::size_t count = 0;
    if (sent < head.size()) {
      parts[count++] = {const_cast<char*>(head.data() + sent), head.size() - sent};
      parts[count++] = {const_cast<char*>(body.data()), body.size()};
    } else {
      const std::size_t from = sent - head.size();
      parts[count++] = {const_cast<char*>(body.data() + from), body.size() - from};
    }
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = count;
    const ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return kBroken;
    }
    sent += static_cast<std::size_t>(n);
  }
  return sent;
}

}  // namespace hotspot::http::wire
