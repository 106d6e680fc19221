#pragma once
// What the OGC API's handlers share: the links they write (absolute, from
// the request's Host), the choice between JSON and HTML, and the HTML view
// a browser gets of any of its JSON documents.

#include "hotspot/common/error.hpp"
#include "hotspot/engine/query.hpp"
#include "hotspot/http/request.hpp"
#include "hotspot/http/serve.hpp"

#include <nlohmann/json_fwd.hpp>

#include <span>
#include <string>
#include <string_view>

namespace hotspot::http {

// Where the OGC API lives; the OpenAPI document's paths are relative to it.
inline constexpr std::string_view kOgcRoot = "/ogc";
inline constexpr std::string_view kGeoJsonType = "application/geo+json";
inline constexpr std::string_view kJsonType = "application/json";
inline constexpr std::string_view kHtmlType = "text/html";
inline constexpr std::string_view kOpenApiType = "application/vnd.oai.openapi+json;version=3.0";

// "http://host:port" as the client addressed the server (the Host header,
// when it is a plain host[:port]; "http://localhost" otherwise), so that
// links work through whatever name the client used.
std::string base_url(const Request& request);

// The names /ogc/collections/{id}/items takes: OgcItemsParams's and `f`.
std::span<const std::string_view> ogc_items_names();

// HTML for `f=html`, JSON for `f=json`; without `f`, HTML when the Accept
// header names text/html before any JSON type (a browser), else JSON.
Expected<bool> wants_html(const Request& request, const engine::Query& query);

// A browser's view of one of the API's JSON documents: its links as links,
// arrays of objects (collections, features) as tables, the rest as lists.
std::string ogc_html(std::string_view title, const nlohmann::json& document);

// The JSON document (as `json_type`), or its HTML view; Vary: Accept.
Response ogc_document(const nlohmann::json& body, bool html, std::string_view title,
                      std::string_view json_type = kJsonType);

}  // namespace hotspot::http
