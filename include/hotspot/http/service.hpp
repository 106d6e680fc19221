#pragma once
// The service: what every handler may use (Context), the route table, and
// handle(), which routes a Request, answers static files, and is the one
// place where exceptions are caught.

#include "hotspot/data/saved_analyses.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/source_store.hpp"
#include "hotspot/engine/disclosure.hpp"
#include "hotspot/http/cors.hpp"
#include "hotspot/http/request.hpp"
#include "hotspot/http/request_stream.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace hotspot::auth {
class TokenStore;
}

namespace hotspot::http {

class ResponseCache;

// What one reload did (hotspotd's SIGHUP and POST /api/admin/reload run the
// same one).
struct ReloadOutcome {
  // The snapshot loaded; served when `failures` is empty, else refused.
  std::shared_ptr<const data::Snapshot> loaded;
  std::vector<std::string> failures;  // data::Store::reload's answer
  std::string tokens_error;           // the tokens file could not be re-read
};

// Bounds on the work and size of any one request.
struct Limits {
  std::size_t max_request_bytes = 64 * 1024;        // request line + headers + body
  std::size_t max_response_bytes = 512u << 20;      // the server's write buffer cap
  // A GeoJSON answer larger than this is refused (413) in favour of a larger
  // cell or a file download: a browser cannot draw it anyway.
  std::size_t max_geojson_bytes = 20u << 20;
  // An upload to /api/sources (spooled to disk as it arrives, never held in
  // memory); larger ones are refused with 413 before their body is read.
  std::size_t max_upload_bytes = std::size_t{512} << 20;
  // Grids are capped by analysis::GridGeometry::kMaxCells and grid answers by
  // the hotspot handlers' output-cell cap.
};

// The partnership's source store behind /api/sources (hotspotd --store).
struct Sources {
  std::shared_ptr<data::SourceStore> store;  // nullptr: no store, /api/sources is 404
  double study_area_buffer = 0;              // as the snapshot's (--study-area-buffer)
  std::filesystem::path upload_folder = std::filesystem::temp_directory_path();
  // Reading, storing and the new snapshot of one upload, at most.
  std::chrono::milliseconds time_limit{std::chrono::minutes(10)};
};

// Saved analyses (/api/analyses): in the store, or hotspotd --analyses FILE.
struct SavedAnalyses {
  std::shared_ptr<data::AnalysisBook> book;  // nullptr: none, /api/analyses is 404
  std::size_t max_count = 1000;              // saving more is refused (413)
};

struct Context {
  const data::Store* store = nullptr;
  std::filesystem::path static_root;
  Limits limits;
  ResponseCache* cache = nullptr;  // nullptr: no caching
  std::string started_at;          // ISO 8601 UTC
  // Who may use the admin endpoints; nullptr: they are disabled (404).
  const auth::TokenStore* tokens = nullptr;
  // Private reading (hotspotd --private, needs tokens): every GET of the
  // route table but /api/health needs a viewer's or an editor's token. The
  // page's own files stay open: they hold no data, and the page asks for
  // the token.
  bool private_reads = false;
  // Reloads every file (and the tokens); empty: the admin reload answers 503.
  std::function<ReloadOutcome()> reload;
  CorsPolicy cors;  // off unless origins are configured
  // Public mode (--public, --min-count): what every answer may disclose.
  engine::Disclosure disclosure;
  Sources sources;
  SavedAnalyses analyses;
};

// Which requests the server spools to disk as their bodies arrive: uploads
// to /api/sources when a store is configured.
SpoolPolicy upload_spool(const Context& context);

using Handler = Response (*)(const Request&, const Context&);

struct Route {
  std::string_view method;
  std::string_view path;
  Handler handler;
};

// Every route the service answers, in the order they are matched.
std::span<const Route> routes();

// Routes the request: an API route, 405 (with Allow) for a known path and a
// wrong method, 404 JSON for unknown /api/ paths (and /api/admin/ ones when
// no tokens are configured), static files otherwise. With CORS on, an
// OPTIONS on an API path is a preflight and API answers carry its headers.
// An analysis that is not cached comes back as Response::deferred, to be
// run by the caller within a deadline. Never throws, nor does the deferred
// work: an unexpected exception is logged with the request and answered
// with a generic 500.
Response dispatch(const Request& request, const Context& context) noexcept;
// The same over another route table (tests use it to reach the 500 path).
Response dispatch(std::span<const Route> table, const Request& request,
                  const Context& context) noexcept;

// dispatch(), with any deferred work run here and now, without a deadline:
// the whole answer, for tests and tools.
Response handle(const Request& request, const Context& context) noexcept;
Response handle(std::span<const Route> table, const Request& request,
                const Context& context) noexcept;

// Runs the deferred work of an answer, if any, on this thread.
Response run_deferred(Response response, const Deadline& deadline = Deadline::none());

}  // namespace hotspot::http
