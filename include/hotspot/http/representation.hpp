#pragma once
// What every GET answer with data goes through once it is made, whatever
// its endpoint: Cache-Control from one table, an ETag, If-None-Match (304),
// and gzip when the client accepts it. A cached answer keeps its bytes in a
// Representation made once (identity and gzip forms, their ETags), which
// every answer sending it shares without copying.

#include "hotspot/http/request.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace hotspot::http {

// Smaller answers are sent as they are: gzip's header and trailer and a
// compressor's start-up cost more than the few bytes saved.
inline constexpr std::size_t kMinCompressBytes = 1024;

struct Representation {
  std::string identity;
  std::string gzip;       // empty when not made (small, an incompressible type, or not asked)
  std::string etag;       // the identity form's strong tag, quoted: "9ff9141afcaaa3ff"
  std::string gzip_etag;  // the gzip form's: "9ff9141afcaaa3ff-gzip" (RFC 9110: a tag per encoding)
  bool varies = false;    // worth compressing: the answer depends on Accept-Encoding
};

// The bytes of an answer with their ETags. `validator` (the response
// cache's key: endpoint, canonical parameters, format, snapshot version,
// disclosure policy) names the answer; empty, the body's own bytes do.
// With `compress`, the gzip form is made when it is worth it.
std::shared_ptr<const Representation> make_representation(std::string body,
                                                           std::string_view content_type,
                                                           std::string_view validator,
                                                           bool compress);

// Types whose bytes compress: JSON, GeoJSON, text (CSV, HTML, JS, CSS), KML,
// SVG, GeoPackage (SQLite pages keep much free and repeated space). Not zip
// (Shapefile downloads are deflated already), images, fonts or FlatGeobuf
// (binary coordinates: little to gain for the time it takes).
bool compressible(std::string_view content_type);

// gzip (RFC 1952) of `bytes`, zlib's default level.
std::string gzip(std::string_view bytes);

// Whether an Accept-Encoding value lets the answer be gzip: "gzip" or
// "x-gzip" or "*" with q > 0, and not less wanted than "identity" when that
// is listed. No header: no.
bool accepts_gzip(const std::string* accept_encoding);

// RFC 9110 13.1.2: whether an If-None-Match value matches `etag`: "*", or a
// list of entity tags of which one is equal under the weak comparison (W/
// ignored). A malformed list matches nothing, so the full answer is sent.
bool none_match(std::string_view if_none_match, std::string_view etag);

// The Cache-Control value of an answer to `path` with `status` (the one
// table, docs/api.md "Caching"); empty for the static files, which keep
// their own.
std::string_view cache_control_for(std::string_view path, int status);

// The last step of every answer: Cache-Control from the table, then for a
// 200 to GET or HEAD that may be stored: the representation (made now,
// compressed only when the client takes gzip, unless the answer has one
// already), the ETag of the form sent, Vary: Accept-Encoding, and a 304
// when If-None-Match matches. Afterwards the body to send is
// Response::payload().
void represent(const Request& request, Response& response);

// Before an analysis is run: a 304 when If-None-Match names the tag its
// answer will carry (known from `validator` alone, when the form the client
// gets is certain), else nothing and the analysis runs.
std::optional<Response> not_modified_before(const Request& request, std::string_view path,
                                            std::string_view validator);

}  // namespace hotspot::http
