#include "wire.hpp"

#include "hotspot/http/log.hpp"

#include <cstdio>
#include <ostream>

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

// A header with any name. Pistache 0.0.5 writes only typed headers (raw
// ones are dropped on output), so each of ours travels as one of these.
class AnyHeader : public P::Http::Header::Header {
 public:
  AnyHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& stream) const override { stream << value_; }
#ifdef SAFE_HEADER_CAST
  // Only used by typed look-ups, which never ask for these headers.
  std::uint64_t hash() const override { return P::Http::Header::detail::hash(name_.c_str()); }
#endif

 private:
  std::string name_;
  std::string value_;
};

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

std::string head_only(const Response& response, P::Http::Version version, bool keep_alive) {
  std::string out = version == P::Http::Version::Http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(response.status) + " " +
         P::Http::codeString(static_cast<P::Http::Code>(response.status)) + "\r\n";
  out += keep_alive ? "Connection: Keep-Alive\r\n" : "Connection: Close\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  out += "Content-Type: " + response.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
  return out;
}

void add_headers(P::Http::ResponseWriter& writer, const Response& response) {
  for (const auto& [name, value] : response.headers) {
    writer.headers().add(std::make_shared<AnyHeader>(name, value));
  }
  writer.headers().add(std::make_shared<AnyHeader>("Content-Type", response.content_type));
}

}  // namespace hotspot::http::wire
