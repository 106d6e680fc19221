#pragma once
// The one path every endpoint takes: query -> parameters (parsed and
// validated once, one canonical form) -> engine run on the snapshot ->
// renderer (GeoJSON, or a GIS file for `format`). A handler names its
// parameters struct and what to run; this file does the rest, once.

#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/canonical.hpp"
#include "hotspot/engine/query.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/request.hpp"
#include "hotspot/http/service.hpp"
#include "hotspot/render/answers.hpp"
#include "hotspot/render/geojson.hpp"
#include "hotspot/render/vector_export.hpp"

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hotspot::http {

// A request checked against the names its endpoint takes, with the snapshot
// it will be answered from.
struct Prepared {
  std::shared_ptr<const data::Snapshot> snapshot;
  engine::Query query;
  std::optional<render::ExportFormat> format;  // `format`, where the endpoint takes it
  std::size_t max_geojson_bytes = 0;           // Limits::max_geojson_bytes
  engine::Disclosure disclosure;               // Context::disclosure
};

// Parsed parameters under the server's disclosure policy (public mode: no
// domestic incidents, small clusters and cells withheld by the engine); a
// 403 for what the policy cannot answer (domestic=only in public mode).
template <typename Params>
Expected<Params> with_disclosure(Expected<Params> params, const Prepared& prepared) {
  if (!params) return params;
  params->selection.set_disclosure(prepared.disclosure);
  if (auto problem = params->selection.disclosure_problem()) return *problem;
  return params;
}

// Rejects unknown and repeated names; `takes_format` adds `format`.
Expected<Prepared> prepare(const Request& request, const Context& context,
                           std::span<const std::string_view> names, bool takes_format);

// Answers from the cache when the same endpoint, canonical parameters, format,
// snapshot and disclosure policy were computed before (public and private
// answers never share an entry); otherwise answers with `compute` as the
// deferred work, which caches a 200 answer. Sets X-Cache (hit/miss). An
// answer whose deadline passed while it was being made is a 503.
Response cached(const Context& context, std::string_view endpoint, const engine::Canonical& canonical,
                const Prepared& prepared, Deferred compute);

// A feature answer, under the disclosure policy (render::disclose), as
// GeoJSON or as the file `prepared.format` asks for.
// `options`: how the GeoJSON is written (the OGC API's CRS and members).
Response feature_response(Expected<render::FeatureAnswer> answer, const Request& request,
                          const Prepared& prepared, std::string_view endpoint,
                          const engine::Canonical& canonical,
                          const render::GeoJsonOptions& options = {});

// Public mode publishes no incident points, through any endpoint or format:
// the one rule /api/incidents and the OGC API's incidents collection share.
std::optional<Error> incident_points_refused(const Context& context);

Response json_response(const nlohmann::json& body);

// An internal error (a driver failed): logged with `what`, answered as the
// generic 500 without its details.
Response internal_error(std::string_view what, const Error& error);

// parse -> cache -> engine::run -> render for an endpoint answering
// features; the renderer names the parameters and result types.
template <typename Params, typename Result>
Response serve_features(const Request& request, const Context& context, std::string_view endpoint,
                        render::FeatureAnswer (*render_answer)(const data::Snapshot&,
                                                               const Params&, const Result&)) {
  auto prepared = prepare(request, context, Params::names(), true);
  if (!prepared) return error_response(prepared.error());
  auto params = with_disclosure(Params::parse(prepared->query, *prepared->snapshot), *prepared);
  if (!params) return error_response(params.error());
  const engine::Canonical canonical = params->canonical();
  // The work runs later, on the analysis pool: it owns copies of what it uses.
  return cached(context, endpoint, canonical, *prepared,
                [request, prepared = *prepared, params = std::move(*params),
                 endpoint = std::string(endpoint), canonical,
                 render_answer](const Deadline& deadline) {
                  const data::Snapshot& snapshot = *prepared.snapshot;
                  auto result = engine::run(snapshot, params, deadline);
                  if (!result) return error_response(result.error());
                  return feature_response(render_answer(snapshot, params, *result), request,
                                          prepared, endpoint, canonical);
                });
}

}  // namespace hotspot::http
