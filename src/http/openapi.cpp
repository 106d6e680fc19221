// GET /ogc/api: an OpenAPI 3.0 document of every endpoint of the service
// (the /api endpoints and the OGC API, the latter relative to /ogc as OGC
// clients expect), made from the route table: each
// route is looked up in kOperations for its summary and parameter names,
// the names coming from the engine's parameter structs where it has them,
// so the document lists what the parsers accept. A route missing from
// kOperations still appears (tests/http checks that none is).
#include "hotspot/http/handlers.hpp"

#include "hotspot/engine/area_stats.hpp"
#include "hotspot/engine/clusters.hpp"
#include "hotspot/engine/compare.hpp"
#include "hotspot/engine/evaluate.hpp"
#include "hotspot/engine/gistar.hpp"
#include "hotspot/engine/incidents.hpp"
#include "hotspot/engine/kde.hpp"
#include "hotspot/engine/ogc.hpp"
#include "hotspot/engine/profile.hpp"
#include "hotspot/http/ogc.hpp"
#include "hotspot/http/serve.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <span>
#include <string>
#include <utility>

namespace hotspot::http {
namespace {

using nlohmann::json;
using Names = std::span<const std::string_view> (*)();


constexpr std::string_view kFormat[] = {"f"};
constexpr std::string_view kItem[] = {"f", "crs"};
constexpr std::string_view kWithdrawn[] = {"withdrawn"};
constexpr std::string_view kSave[] = {"name", "method"};
constexpr std::string_view kUpload[] = {"kind",     "name",     "licence", "file_name", "id",
                                        "x",        "y",        "category", "time",     "domestic",
                                        "to",       "alcohol",  "subtype", "location",  "venue",
                                        "crs"};
std::span<const std::string_view> none() { return {}; }
std::span<const std::string_view> format_only() { return kFormat; }
std::span<const std::string_view> item_names() { return kItem; }
std::span<const std::string_view> withdrawn() { return kWithdrawn; }
// Besides name and method, the method's own parameters (its endpoint's).
std::span<const std::string_view> save() { return kSave; }
std::span<const std::string_view> upload() { return kUpload; }
std::span<const std::string_view> area_stats() { return engine::AreaStatsParams::names(); }
enum class Answer { json, geojson, files, ogc };

struct Operation {
  std::string_view method;
  std::string_view path;  // as in the route table
  std::string_view summary;
  Names names;
  Answer answer;
};

constexpr std::array kOperations{
    Operation{"GET", "/api/health", "Status, what is loaded, public mode", none, Answer::json},
    Operation{"GET", "/api/layers", "The loaded layers and their sources", none, Answer::json},
    Operation{"GET", "/api/layers/wards", "Ward boundaries", none, Answer::files},
    Operation{"GET", "/api/layers/town-centres", "Town-centre boundaries", none, Answer::files},
    Operation{"GET", "/api/layers/groups", "Area groups and their wards", none, Answer::files},
    Operation{"GET", "/api/incidents", "Incidents, filtered and paged (403 in public mode)",
              engine::IncidentsParams::names, Answer::files},
    Operation{"GET", "/api/load-report", "Every file's accepted and rejected rows", none,
              Answer::json},
    Operation{"GET", "/api/parameters", "Every analysis endpoint's default parameters", none,
              Answer::json},
    Operation{"GET", "/api/hotspots/dbscan", "DBSCAN clusters", engine::DbscanParams::names,
              Answer::files},
    Operation{"GET", "/api/hotspots/kde", "Kernel density (grid or contours)",
              engine::KdeParams::names, Answer::files},
    Operation{"GET", "/api/hotspots/gistar", "Getis-Ord Gi* hot spots",
              engine::GiStarParams::names, Answer::files},
    Operation{"GET", "/api/stats/wards", "Counts and rates per ward", area_stats, Answer::files},
    Operation{"GET", "/api/stats/town-centres", "Counts and rates per town centre", area_stats,
              Answer::files},
    Operation{"GET", "/api/stats/groups", "Counts per area group", area_stats, Answer::files},
    Operation{"GET", "/api/compare", "Two periods compared per area or cluster",
              engine::CompareParams::names, Answer::files},
    Operation{"GET", "/api/profile", "Hour-of-week and monthly profile",
              engine::ProfileParams::names, Answer::json},
    Operation{"POST", "/api/admin/reload", "Reload every file (editor token)", none,
              Answer::json},
    Operation{"GET", "/api/sources", "The store's incident sources", withdrawn, Answer::json},
    Operation{"POST", "/api/sources", "Add a source (editor token; the file is the body)",
              upload, Answer::json},
    Operation{"GET", "/api/sources/*", "One source", none, Answer::json},
    Operation{"PUT", "/api/sources/*", "Replace a source's rows (editor token)", upload,
              Answer::json},
    Operation{"DELETE", "/api/sources/*", "Withdraw a source (editor token)", none, Answer::json},
    Operation{"GET", "/api/evaluate",
              "How well one period's hotspots predicted the next (hit rate, PAI, PEI, RRI)",
              engine::EvaluateParams::names, Answer::files},
    Operation{"GET", "/api/analyses", "The saved analyses", none, Answer::json},
    Operation{"POST", "/api/analyses",
              "Save an analysis: a name, a method and the method's own parameters (a token)",
              save, Answer::json},
    Operation{"GET", "/api/analyses/*", "A saved analysis, answered from the data it was made on",
              none, Answer::files},
    // Clusters' tiles also take /api/hotspots/dbscan's eps and min_points.
    Operation{"GET", "/tiles/*", "A tile layer's TileJSON 3.0.0 document", none, Answer::json},
    Operation{"GET", "/tiles/*/*/*/*", "One vector tile (MVT) of a layer",
              engine::DbscanParams::names, Answer::json},
    Operation{"GET", "/ogc", "OGC API landing page", format_only, Answer::ogc},
    Operation{"GET", "/ogc/", "OGC API landing page", format_only, Answer::ogc},
    Operation{"GET", "/ogc/conformance", "OGC API conformance classes", format_only,
              Answer::ogc},
    Operation{"GET", "/ogc/api", "This document", format_only, Answer::ogc},
    Operation{"GET", "/ogc/collections", "The feature collections", format_only, Answer::ogc},
    Operation{"GET", "/ogc/collections/*", "One collection", format_only, Answer::ogc},
    Operation{"GET", "/ogc/collections/*/items", "A collection's features, a page at a time",
              ogc_items_names, Answer::ogc},
    Operation{"GET", "/ogc/collections/*/items/*", "One feature", item_names, Answer::ogc},
};

// The name of a "*" segment, from the segment before it.
std::string wildcard_name(std::string_view before) {
  if (before == "sources") return "sourceId";
  if (before == "analyses") return "analysisId";
  if (before == "collections") return "collectionId";
  return "featureId";
}

// Paths whose "*" segments are more than an id: the tiles' addresses.
constexpr std::pair<std::string_view, std::string_view> kTemplates[] = {
    {"/tiles/*", "/tiles/{layer}.json"},
    {"/tiles/*/*/*/*", "/tiles/{layer}/{z}/{x}/{y}.mvt"},
};

// "/ogc/collections/*/items" -> "/ogc/collections/{collectionId}/items", and
// the path parameters it has.
std::string templated(std::string_view path, json& parameters) {
  for (const auto& [route, text] : kTemplates) {
    if (route != path) continue;
    for (std::size_t open = text.find('{'); open != std::string_view::npos;
         open = text.find('{', open + 1)) {
      const std::string name(text.substr(open + 1, text.find('}', open) - open - 1));
      parameters.push_back({{"name", name}, {"in", "path"}, {"required", true},
                            {"schema", {{"type", "string"}}}});
    }
    return std::string(text);
  }
  std::string out;
  std::string_view before;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, slash - start);
    out += "/";
    if (segment == "*") {
      const std::string name = wildcard_name(before);
      out += "{" + name + "}";
      parameters.push_back({{"name", name}, {"in", "path"}, {"required", true},
                            {"schema", {{"type", "string"}}}});
    } else {
      out += segment;
    }
    before = segment;
    start = slash + 1;
  }
  return out;
}

json schema_of(std::string_view name, std::string_view path) {
  if (name == "limit") {
    const bool ogc = path.starts_with("/ogc");
    return {{"type", "integer"},
            {"minimum", 1},
            {"maximum", ogc ? engine::OgcItemsParams::kMaxLimit : engine::IncidentsParams::kMaxLimit},
            {"default", ogc ? engine::OgcItemsParams::kDefaultLimit
                            : engine::IncidentsParams::kDefaultLimit}};
  }
  if (name == "offset") return {{"type", "integer"}, {"minimum", 0}, {"default", 0}};
  if (name == "min_points") return {{"type", "integer"}, {"minimum", 1}};
  for (std::string_view number : {"eps", "buffer", "cell", "bandwidth", "threshold",
                                  "concave_ratio", "band"}) {
    if (name == number) return {{"type", "number"}};
  }
  if (name == "f") return {{"type", "string"}, {"enum", {"json", "html"}}};
  if (name == "crs" && path.starts_with("/ogc")) {
    json uris = json::array();
    for (engine::OgcCrs crs : engine::kOgcCrsList) uris.push_back(engine::crs_uri(crs));
    return {{"type", "string"}, {"format", "uri"}, {"enum", uris}};
  }
  if (name == "bbox-crs") return schema_of("crs", path);
  if (name == "format") {
    return {{"type", "string"},
            {"enum", {"geojson", "gpkg", "shp", "shapefile", "kml", "csv", "fgb", "flatgeobuf"}}};
  }
  return {{"type", "string"}};
}

json content_of(Answer answer) {
  const json any = {{"schema", {{"type", "object"}}}};
  switch (answer) {
    case Answer::json: return {{std::string(kJsonType), any}};
    case Answer::geojson: return {{std::string(kGeoJsonType), any}};
    case Answer::files:
      return {{std::string(kGeoJsonType), any},
              {"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
    case Answer::ogc:
      return {{std::string(kJsonType), any},
              {std::string(kGeoJsonType), any},
              {std::string(kHtmlType), {{"schema", {{"type", "string"}}}}}};
  }
  return {{std::string(kJsonType), any}};
}

json operation_json(const Operation& op, std::string& path) {
  json parameters = json::array();
  path = templated(op.path, parameters);
  for (std::string_view name : op.names()) {
    parameters.push_back({{"name", name}, {"in", "query"}, {"required", false},
                          {"schema", schema_of(name, op.path)}});
  }
  if (op.answer == Answer::files) {
    parameters.push_back({{"name", "format"}, {"in", "query"}, {"required", false},
                          {"schema", schema_of("format", op.path)}});
  }
  const json error = {{std::string(kJsonType), {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}};
  json out = {{"summary", op.summary},
              {"parameters", std::move(parameters)},
              {"responses",
               {{"200", {{"description", op.summary}, {"content", content_of(op.answer)}}},
                {"400", {{"description", "A parameter is unknown, repeated or invalid"}, {"content", error}}},
                {"404", {{"description", "No such endpoint, collection or feature"}, {"content", error}}},
                {"503", {{"description", "Not loaded yet, overloaded or past the deadline"},
                         {"content", error}}}}}};
  if (op.method == "POST" || op.method == "PUT") {
    out["requestBody"] = {
        {"required", true},
        {"content", {{"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                     {"multipart/form-data", {{"schema", {{"type", "object"}}}}}}}};
  }
  return out;
}

}  // namespace

Response handle_ogc_api(const Request& request, const Context& context) {
  auto prepared = prepare(request, context, kFormat, false);
  if (!prepared) return error_response(prepared.error());
  auto html = wants_html(request, prepared->query);
  if (!html) return error_response(html.error());
  json paths = json::object();
  for (const Route& route : routes()) {
    const auto op = std::find_if(kOperations.begin(), kOperations.end(), [&](const Operation& o) {
      return o.method == route.method && o.path == route.path;
    });
    const Operation described =
        op != kOperations.end() ? *op : Operation{route.method, route.path, route.path, none, Answer::json};
    // "/ogc/" is "/ogc" again: described once.
    if (route.path == "/ogc/") continue;
    std::string path;
    json operation = operation_json(described, path);
    std::string method(route.method);
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // OGC clients look the OGC paths up relative to the landing page
    // ("/collections/{collectionId}/items"), the document's server; the map's
    // API names the server's root for its own paths.
    if (path.starts_with(kOgcRoot)) {
      path = path.size() == kOgcRoot.size() ? "/" : path.substr(kOgcRoot.size());
    } else {
      paths[path]["servers"] = json::array({{{"url", base_url(request)}}});
    }
    paths[path][method] = std::move(operation);
  }
  const json document = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "hotspot"},
        {"version", "1"},
        {"description", "County Durham crime and disorder hotspots: the map's API under /api "
                        "and OGC API - Features under /ogc. Parameters: docs/api.md."}}},
      {"servers", json::array({{{"url", base_url(request) + std::string(kOgcRoot)}}})},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", {"error"}},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}}}}}}}};
  return ogc_document(document, *html, "hotspot API (OpenAPI 3.0)", kOpenApiType);
}

}  // namespace hotspot::http
