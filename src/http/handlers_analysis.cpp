// The analysis endpoints: each is parse -> run -> render through serve.hpp.
#include "hotspot/http/handlers.hpp"

#include "hotspot/http/serve.hpp"
#include "hotspot/render/disclosure.hpp"

namespace hotspot::http {
namespace {

Response area_stats(const Request& request, const Context& context, engine::AreaLayer layer) {
  auto prepared = prepare(request, context, engine::AreaStatsParams::names(), true);
  if (!prepared) return error_response(prepared.error());
  auto params = with_disclosure(
      engine::AreaStatsParams::parse(prepared->query, *prepared->snapshot, layer), *prepared);
  if (!params) return error_response(params.error());
  const std::string_view endpoint = layer == engine::AreaLayer::wards    ? "stats/wards"
                                    : layer == engine::AreaLayer::groups ? "stats/groups"
                                                                         : "stats/town-centres";
  const engine::Canonical canonical = params->canonical();
  return cached(context, endpoint, canonical, *prepared,
                [request, prepared = *prepared, params = std::move(*params), endpoint,
                 canonical](const Deadline& deadline) {
                  const data::Snapshot& snapshot = *prepared.snapshot;
                  auto result = engine::run(snapshot, params, deadline);
                  if (!result) return error_response(result.error());
                  return feature_response(render::area_stats_answer(snapshot, params, *result),
                                          request, prepared, endpoint, canonical);
                });
}

}  // namespace

Response handle_dbscan(const Request& request, const Context& context) {
  return serve_features(request, context, "hotspots/dbscan", &render::dbscan_answer);
}

Response handle_kde(const Request& request, const Context& context) {
  return serve_features(request, context, "hotspots/kde", &render::kde_answer);
}

Response handle_gistar(const Request& request, const Context& context) {
  return serve_features(request, context, "hotspots/gistar", &render::gistar_answer);
}

Response handle_compare(const Request& request, const Context& context) {
  return serve_features(request, context, "compare", &render::compare_answer);
}

Response handle_evaluate(const Request& request, const Context& context) {
  return serve_features(request, context, "evaluate", &render::evaluate_answer);
}

Response handle_ward_stats(const Request& request, const Context& context) {
  return area_stats(request, context, engine::AreaLayer::wards);
}

Response handle_town_centre_stats(const Request& request, const Context& context) {
  return area_stats(request, context, engine::AreaLayer::town_centres);
}

Response handle_group_stats(const Request& request, const Context& context) {
  return area_stats(request, context, engine::AreaLayer::groups);
}

Response handle_profile(const Request& request, const Context& context) {
  auto prepared = prepare(request, context, engine::ProfileParams::names(), false);
  if (!prepared) return error_response(prepared.error());
  auto params =
      with_disclosure(engine::ProfileParams::parse(prepared->query, *prepared->snapshot), *prepared);
  if (!params) return error_response(params.error());
  // The key is taken before the work takes the parameters.
  const engine::Canonical canonical = params->canonical();
  return cached(context, "profile", canonical, *prepared,
                [snapshot = prepared->snapshot, disclosure = prepared->disclosure,
                 params = std::move(*params)](const Deadline& deadline) {
                  auto result = engine::run(*snapshot, params, deadline);
                  if (!result) return error_response(result.error());
                  auto answer = render::profile_answer(*snapshot, params, *result);
                  render::disclose_profile(answer, disclosure);
                  return json_response(answer);
                });
}

Response handle_incidents(const Request& request, const Context& context) {
  if (auto refused = incident_points_refused(context)) return error_response(*refused);
  return serve_features(request, context, "incidents", &render::incidents_answer);
}

}  // namespace hotspot::http
