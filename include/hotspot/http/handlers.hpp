#pragma once
// The endpoint handlers. Each is parse -> run -> render (see serve.hpp) and
// returns errors through error_response(); none throws on bad input.

#include "hotspot/http/request.hpp"
#include "hotspot/http/service.hpp"

namespace hotspot::http {

Response handle_health(const Request& request, const Context& context);
Response handle_layers(const Request& request, const Context& context);
Response handle_wards(const Request& request, const Context& context);
Response handle_town_centres(const Request& request, const Context& context);
Response handle_groups(const Request& request, const Context& context);
Response handle_incidents(const Request& request, const Context& context);
Response handle_load_report(const Request& request, const Context& context);
Response handle_parameters(const Request& request, const Context& context);

Response handle_dbscan(const Request& request, const Context& context);
Response handle_kde(const Request& request, const Context& context);
Response handle_gistar(const Request& request, const Context& context);
Response handle_ward_stats(const Request& request, const Context& context);
Response handle_town_centre_stats(const Request& request, const Context& context);
Response handle_group_stats(const Request& request, const Context& context);
Response handle_compare(const Request& request, const Context& context);
Response handle_evaluate(const Request& request, const Context& context);
Response handle_profile(const Request& request, const Context& context);

// /tiles/{layer}/{z}/{x}/{y}.mvt and /tiles/{layer}.json (handlers_tiles.cpp).
Response handle_tile(const Request& request, const Context& context);
Response handle_tilejson(const Request& request, const Context& context);

// POST /api/admin/reload: an editor's token reloads every file, as SIGHUP does.
Response handle_admin_reload(const Request& request, const Context& context);

// /api/sources (handlers_sources.cpp).
Response handle_sources_list(const Request& request, const Context& context);
Response handle_source_add(const Request& request, const Context& context);
Response handle_source_get(const Request& request, const Context& context);
Response handle_source_replace(const Request& request, const Context& context);
Response handle_source_remove(const Request& request, const Context& context);

// OGC API - Features at /ogc (handlers_ogc.cpp; the OpenAPI document of the
// whole service in openapi.cpp).
Response handle_ogc_landing(const Request& request, const Context& context);
Response handle_ogc_conformance(const Request& request, const Context& context);
Response handle_ogc_api(const Request& request, const Context& context);
Response handle_ogc_collections(const Request& request, const Context& context);
Response handle_ogc_collection(const Request& request, const Context& context);
Response handle_ogc_items(const Request& request, const Context& context);
Response handle_ogc_item(const Request& request, const Context& context);

// /api/analyses (handlers_analyses.cpp).
Response handle_analyses_list(const Request& request, const Context& context);
Response handle_analysis_save(const Request& request, const Context& context);
Response handle_analysis_get(const Request& request, const Context& context);

}  // namespace hotspot::http
