#include "hotspot/http/representation.hpp"

#include "hotspot/data/fnv1a.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace hotspot::http {
namespace {

struct CachePolicy {
  std::string_view path;  // exact, or a prefix when it ends in '/'
  std::string_view value;
};

// Cache-Control of a 200 (and its 304) by path, first match wins. Anything
// else (errors, 201, preflights) is no-store: only a 200 is worth keeping.
constexpr std::array kCachePolicies{
    // Liveness and the load state: always asked afresh.
    CachePolicy{"/api/health", "no-store"},
    // Admin answers and the source store's records (who uploaded what)
    // change under an editor's hand and are nobody else's to keep.
    CachePolicy{"/api/admin/", "no-store"},
    CachePolicy{"/api/sources", "no-store"},
    CachePolicy{"/api/sources/", "no-store"},
    // Data: clients may keep it but ask each time whether it still holds
    // (If-None-Match), so a reload is seen at once and costs a 304 otherwise.
    CachePolicy{"/api/", "no-cache"},
};

constexpr std::array kCompressibleTypes{
    std::string_view("application/json"),
    std::string_view("application/geo+json"),
    std::string_view("application/vnd.google-earth.kml+xml"),
    std::string_view("application/geopackage+sqlite3"),
    std::string_view("application/javascript"),
    std::string_view("application/xml"),
    std::string_view("image/svg+xml"),
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// RFC 9110 12.4.2 qvalue: "0", "0.", up to three decimals, or "1" with only
// zeros after its point; anything else is nullopt.
std::optional<double> parse_qvalue(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  if (text.size() == 1) return text[0] == '1' ? 1.0 : 0.0;
  if (text[1] != '.' || text.size() > 5) return std::nullopt;
  double value = text[0] - '0';
  double scale = 0.1;
  for (char c : text.substr(2)) {
    if (c < '0' || c > '9' || (text[0] == '1' && c != '0')) return std::nullopt;
    value += (c - '0') * scale;
    scale /= 10;
  }
  return value;
}

// An entry's weight: its q parameter, 1 without one, 0 when malformed (a
// coding the client cannot be understood to take is not used).
double weight(std::string_view parameters) {
  double q = 1;
  while (!parameters.empty()) {
    const std::size_t semicolon = parameters.find(';');
    const std::string_view parameter = trim(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos ? "" : parameters.substr(semicolon + 1);
    if (parameter.size() < 2 || (parameter[0] != 'q' && parameter[0] != 'Q') ||
        parameter[1] != '=') {
      continue;
    }
    q = parse_qvalue(trim(parameter.substr(2))).value_or(0);
  }
  return q;
}

std::string quoted_tag(std::uint64_t hash, bool gzip) {
  return "\"" + data::hex64(hash) + (gzip ? "-gzip\"" : "\"");
}

void set_header(Response& response, std::string_view name, std::string_view value) {
  std::erase_if(response.headers, [&](const auto& header) { return header.first == name; });
  response.headers.emplace_back(std::string(name), std::string(value));
}

const std::string* header_of(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

bool reads(const Request& request) { return request.method == "GET" || request.method == "HEAD"; }

}  // namespace

bool compressible(std::string_view content_type) {
  const std::string type = lower(trim(content_type.substr(0, content_type.find(';'))));
  if (type.starts_with("text/")) return true;
  return std::find(kCompressibleTypes.begin(), kCompressibleTypes.end(), type) !=
         kCompressibleTypes.end();
}

std::string gzip(std::string_view bytes) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  return out;
}

bool accepts_gzip(const std::string* accept_encoding) {
  if (accept_encoding == nullptr) return false;
  std::optional<double> gzip_q, identity_q, any_q;
  std::string_view rest = *accept_encoding;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view entry = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    const std::size_t semicolon = entry.find(';');
    const std::string coding = lower(trim(entry.substr(0, semicolon)));
    const double q =
        semicolon == std::string_view::npos ? 1.0 : weight(entry.substr(semicolon + 1));
    if (coding == "gzip" || coding == "x-gzip") gzip_q = q;
    if (coding == "identity") identity_q = q;
    if (coding == "*") any_q = q;
  }
  const double gzip = gzip_q.value_or(any_q.value_or(0));
  // identity is always acceptable, but wanted less than any coding the
  // client lists unless it gives identity (or "*") a weight of its own.
  const std::optional<double> identity = identity_q ? identity_q : any_q;
  return gzip > 0 && (!identity || gzip >= *identity);
}

bool none_match(std::string_view if_none_match, std::string_view etag) {
  if (trim(if_none_match) == "*") return true;
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  std::string_view rest = if_none_match;
  for (;;) {
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t' || rest.front() == ',')) {
      rest.remove_prefix(1);
    }
    if (rest.empty()) return false;
    if (rest.starts_with("W/")) rest.remove_prefix(2);
    if (rest.empty() || rest.front() != '"') return false;
    const std::size_t close = rest.find('"', 1);
    if (close == std::string_view::npos) return false;
    // Weak comparison (RFC 9110 8.8.3.2): the opaque tags alone.
    if (rest.substr(0, close + 1) == etag) return true;
    rest.remove_prefix(close + 1);
    rest = trim(rest);
    if (!rest.empty() && rest.front() != ',') return false;
  }
}

std::string_view cache_control_for(std::string_view path, int status) {
  const bool api = path == "/api" || path.starts_with("/api/");
  if (status != 200 && status != 304) return "no-store";
  if (!api) return {};
  for (const CachePolicy& policy : kCachePolicies) {
    const bool match = policy.path.ends_with('/') ? path.starts_with(policy.path)
                                                  : path == policy.path;
    if (match) return policy.value;
  }
  return "no-store";
}

std::shared_ptr<const Representation> make_representation(std::string body,
                                                           std::string_view content_type,
                                                           std::string_view validator,
                                                           bool compress) {
  auto out = std::make_shared<Representation>();
  out->varies = body.size() >= kMinCompressBytes && compressible(content_type);
  if (compress && out->varies) {
    out->gzip = gzip(body);
    // Random or packed bytes may come out larger: then identity is sent.
    if (out->gzip.size() >= body.size()) out->gzip.clear();
  }
  const std::uint64_t hash = data::fnv1a(validator.empty() ? std::string_view(body) : validator);
  out->etag = quoted_tag(hash, false);
  out->gzip_etag = quoted_tag(hash, true);
  out->identity = std::move(body);
  return out;
}

void represent(const Request& request, Response& response) {
  if (const std::string_view value = cache_control_for(request.path, response.status);
      !value.empty()) {
    set_header(response, "Cache-Control", value);
  }
  const std::string* cache_control = header_of(response, "Cache-Control");
  if (!reads(request) || response.status != 200 ||
      (cache_control && *cache_control == "no-store")) {
    return;
  }
  const bool wants_gzip = accepts_gzip(request.header("accept-encoding"));
  if (!response.representation) {
    response.representation = make_representation(std::move(response.body),
                                                  response.content_type, response.validator,
                                                  wants_gzip);
    response.body.clear();
  }
  const Representation& chosen = *response.representation;
  const bool gzip = wants_gzip && !chosen.gzip.empty();
  const std::string& etag = gzip ? chosen.gzip_etag : chosen.etag;
  if (chosen.varies) response.headers.emplace_back("Vary", "Accept-Encoding");
  response.headers.emplace_back("ETag", etag);
  if (const std::string* condition = request.header("if-none-match");
      condition && none_match(*condition, etag)) {
    response.status = 304;
    response.representation.reset();
    response.shared_body.reset();
    return;
  }
  if (gzip) response.headers.emplace_back("Content-Encoding", "gzip");
  // Aliasing: the chosen form lives as long as its representation.
  response.shared_body = std::shared_ptr<const std::string>(
      response.representation, gzip ? &chosen.gzip : &chosen.identity);
}

std::optional<Response> not_modified_before(const Request& request, std::string_view path,
                                            std::string_view validator) {
  const std::string* condition = request.header("if-none-match");
  // "*" asks whether any answer exists, which only running the analysis tells.
  if (!reads(request) || validator.empty() || condition == nullptr || trim(*condition) == "*") {
    return std::nullopt;
  }
  // A client taking gzip holding the gzip tag, or one not taking it holding
  // the identity tag, gets that form again; a client taking gzip with the
  // identity tag may have had a small answer, sent uncompressed: not certain.
  const bool wants_gzip = accepts_gzip(request.header("accept-encoding"));
  const std::string etag = quoted_tag(data::fnv1a(validator), wants_gzip);
  if (!none_match(*condition, etag)) return std::nullopt;
  Response response;
  response.status = 304;
  response.headers.emplace_back("Cache-Control", std::string(cache_control_for(path, 304)));
  if (wants_gzip) response.headers.emplace_back("Vary", "Accept-Encoding");
  response.headers.emplace_back("ETag", etag);
  return response;
}

}  // namespace hotspot::http
