// OGC API - Features at /ogc: landing page, conformance, collections, items
// and single features (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS
// by reference). Items take the one path every endpoint takes: prepare ->
// engine::OgcItemsParams -> the collection kind's run -> feature_response.
#include "hotspot/http/handlers.hpp"

#include "hotspot/data/local_time.hpp"
#include "hotspot/engine/ogc.hpp"
#include "hotspot/http/ogc.hpp"
#include "hotspot/http/ogc_collections.hpp"
#include "hotspot/http/serve.hpp"
#include "hotspot/render/disclosure.hpp"
#include "hotspot/render/geojson.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace hotspot::http {
namespace {

using nlohmann::json;

constexpr std::string_view kTitle = "hotspot: crime and disorder hotspots, County Durham";
constexpr std::string_view kFormatName[] = {"f"};
constexpr std::array<std::string_view, 2> kItemNames{"f", "crs"};

constexpr std::array kConformance{
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
};

json link(std::string href, std::string_view rel, std::string_view type, std::string_view title) {
  return {{"href", std::move(href)}, {"rel", rel}, {"type", type}, {"title", title}};
}

// self and alternate links of a document at `url` (which has no query).
json self_links(const std::string& url, bool html) {
  return json::array({link(url + (html ? "?f=html" : "?f=json"), "self",
                           html ? kHtmlType : kJsonType, "This document"),
                      link(url + (html ? "?f=json" : "?f=html"), "alternate",
                           html ? kJsonType : kHtmlType,
                           html ? "This document as JSON" : "This document as HTML")});
}

// The path segments after /ogc/collections/: {collection} or {collection, "items", feature}.
std::vector<std::string_view> segments_after_collections(std::string_view path) {
  path.remove_prefix(std::string_view("/ogc/collections/").size());
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

// A request taking `names` (and f): the snapshot and whether to answer HTML.
struct OgcRequest {
  Prepared prepared;
  bool html = false;
};
Expected<OgcRequest> prepare_ogc(const Request& request, const Context& context,
                                 std::span<const std::string_view> names) {
  auto prepared = prepare(request, context, names, false);
  if (!prepared) return prepared.error();
  auto html = wants_html(request, prepared->query);
  if (!html) return html.error();
  return OgcRequest{std::move(*prepared), *html};
}

// The collection a path names, if the server may publish it.
Expected<OgcCollection> find_collection(const data::Snapshot& snapshot, const Context& context,
                                        std::string_view id) {
  for (OgcCollection& collection : ogc_collections(snapshot)) {
    if (collection.id != id) continue;
    if (auto refused = collection.kind->refused(context)) return *refused;
    return std::move(collection);
  }
  return make_error(ErrorCode::not_found, "No collection '" + std::string(id) +
                                              "'; /ogc/collections lists them");
}

json collection_json(const OgcCollection& c, const std::string& base) {
  const std::string url = base + "/ogc/collections/" + c.id;
  json extent = json::object();
  if (!c.extent.empty()) {
    extent["spatial"] = {{"bbox", json::array({json::array({c.extent.min_x, c.extent.min_y,
                                                             c.extent.max_x, c.extent.max_y})})},
                         {"crs", engine::kCrs84Uri}};
  }
  if (c.interval) {
    auto end = [](const std::optional<std::int64_t>& t) {
      return t ? json(data::utc_iso8601(*t)) : json(nullptr);
    };
    extent["temporal"] = {
        {"interval", json::array({json::array({end(c.interval->start), end(c.interval->end)})})},
        {"trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}};
  }
  json crs = json::array();
  for (engine::OgcCrs each : engine::kOgcCrsList) crs.push_back(engine::crs_uri(each));
  return {{"id", c.id},
          {"title", c.title},
          {"description", c.description},
          {"links", json::array({link(url + "?f=json", "self", kJsonType, c.title),
                                 link(url + "?f=html", "alternate", kHtmlType, c.title),
                                 link(url + "/items?f=json", "items", kGeoJsonType,
                                      c.title + " as GeoJSON"),
                                 link(url + "/items?f=html", "items", kHtmlType,
                                      c.title + " as HTML")})},
          {"extent", std::move(extent)},
          {"itemType", "feature"},
          {"crs", std::move(crs)},
          {"storageCrs", engine::kBngUri}};
}

// The members an items page adds beside its features: links (self,
// alternate, prev/next by offset, collection), numberMatched, numberReturned.
json items_members(const std::string& url, const engine::OgcItemsParams& params,
                   const engine::OgcPage& page, bool html) {
  auto href = [&](std::size_t offset, bool as_html) {
    engine::OgcItemsParams at = params;
    at.offset = offset;
    engine::Canonical query = at.canonical();
    query.emplace_back("f", as_html ? "html" : "json");
    return url + "/items?" + engine::to_query(query);
  };
  const std::string_view type = html ? kHtmlType : kGeoJsonType;
  json links = json::array({link(href(page.begin, html), "self", type, "This page"),
                            link(href(page.begin, !html), "alternate",
                                 html ? kGeoJsonType : kHtmlType,
                                 html ? "This page as GeoJSON" : "This page as HTML")});
  if (page.end < page.matched) links.push_back(link(href(page.end, html), "next", type, "Next page"));
  if (page.begin > 0) {
    links.push_back(link(href(page.begin - std::min(page.begin, params.limit), html), "prev",
                         type, "Previous page"));
  }
  links.push_back(link(url + "?f=json", "collection", kJsonType, "The collection"));
  return {{"links", std::move(links)},
          {"numberMatched", page.matched},
          {"numberReturned", page.end - page.begin},
          {"timeStamp", data::utc_now_iso8601()}};
}

// Content-Crs names the CRS of the coordinates answered (Part 2).
void add_content_crs(Response& response, engine::OgcCrs crs) {
  response.headers.emplace_back("Content-Crs", "<" + std::string(engine::crs_uri(crs)) + ">");
}

// A GeoJSON answer as it is, or its HTML view; either way it varies by Accept.
Response as_requested(Response geojson, bool html, std::string_view title) {
  if (html && geojson.status == 200) {
    Response page = ogc_document(json::parse(geojson.body), true, title);
    for (auto& header : geojson.headers) page.headers.push_back(std::move(header));
    return page;
  }
  geojson.headers.emplace_back("Vary", "Accept");
  return geojson;
}

}  // namespace

Response handle_ogc_landing(const Request& request, const Context& context) {
  auto ogc = prepare_ogc(request, context, kFormatName);
  if (!ogc) return error_response(ogc.error());
  const std::string base = base_url(request) + std::string(kOgcRoot);
  json links = self_links(base, ogc->html);
  for (const json& each :
       {link(base + "/api", "service-desc", kOpenApiType, "The API definition (OpenAPI 3.0)"),
        link(base + "/api?f=html", "service-doc", kHtmlType, "The API definition as HTML"),
        link(base + "/conformance", "conformance", kJsonType, "Conformance classes"),
        link(base + "/conformance", "http://www.opengis.net/def/rel/ogc/1.0/conformance",
             kJsonType, "Conformance classes"),
        link(base + "/collections", "data", kJsonType, "The collections"),
        link(base + "/collections", "http://www.opengis.net/def/rel/ogc/1.0/data", kJsonType,
             "The collections")}) {
    links.push_back(each);
  }
  return ogc_document({{"title", kTitle},
                   {"description",
                    "Wards, town centres, area groups and incidents of the County Durham "
                    "Community Safety Partnership's hotspot service, as OGC API - Features"},
                   {"links", std::move(links)}},
                  ogc->html, kTitle);
}

Response handle_ogc_conformance(const Request& request, const Context& context) {
  auto ogc = prepare_ogc(request, context, kFormatName);
  if (!ogc) return error_response(ogc.error());
  return ogc_document({{"links", self_links(base_url(request) + "/ogc/conformance", ogc->html)},
                   {"conformsTo", kConformance}},
                  ogc->html, "Conformance");
}

Response handle_ogc_collections(const Request& request, const Context& context) {
  auto ogc = prepare_ogc(request, context, kFormatName);
  if (!ogc) return error_response(ogc.error());
  const std::string base = base_url(request);
  json list = json::array();
  // Collections the server may not publish (refused) are left out of the list.
  for (const OgcCollection& c : ogc_collections(*ogc->prepared.snapshot)) {
    if (!c.kind->refused(context)) list.push_back(collection_json(c, base));
  }
  return ogc_document({{"links", self_links(base + "/ogc/collections", ogc->html)},
                   {"collections", std::move(list)}},
                  ogc->html, "Collections");
}

Response handle_ogc_collection(const Request& request, const Context& context) {
  auto ogc = prepare_ogc(request, context, kFormatName);
  if (!ogc) return error_response(ogc.error());
  const auto segments = segments_after_collections(request.path);
  auto collection = find_collection(*ogc->prepared.snapshot, context, segments[0]);
  if (!collection) return error_response(collection.error());
  return ogc_document(collection_json(*collection, base_url(request)), ogc->html, collection->title);
}

Response handle_ogc_items(const Request& request, const Context& context) {
  auto ogc = prepare_ogc(request, context, ogc_items_names());
  if (!ogc) return error_response(ogc.error());
  const auto segments = segments_after_collections(request.path);
  auto collection = find_collection(*ogc->prepared.snapshot, context, segments[0]);
  if (!collection) return error_response(collection.error());
  auto params = engine::OgcItemsParams::parse(ogc->prepared.query, collection->temporal);
  if (!params) return error_response(params.error());

  const std::string url = base_url(request) + "/ogc/collections/" + collection->id;
  const std::string endpoint = "ogc/collections/" + collection->id + "/items";
  // The cache key: the canonical parameters, the format and the links' base.
  engine::Canonical key = params->canonical();
  key.emplace_back("f", ogc->html ? "html" : "json");
  key.emplace_back("base", url);
  const bool html = ogc->html;
  const bool deferred = collection->kind->deferred;
  Response response = cached(
      context, endpoint, key, ogc->prepared,
      [request, prepared = ogc->prepared, collection = std::move(*collection),
       params = std::move(*params), url, endpoint, key, html](const Deadline& deadline) {
        auto items = collection.kind->items(*prepared.snapshot, collection, params,
                                            prepared.disclosure, deadline);
        if (!items) return error_response(items.error());
        const json members = items_members(url, params, items->page, html);
        const render::GeoJsonOptions options{params.crs == engine::OgcCrs::bng, &members};
        Response out = feature_response(std::move(items->answer), request, prepared, endpoint,
                                        key, options);
        if (out.status == 200) add_content_crs(out, params.crs);
        return as_requested(std::move(out), html, collection.title);
      });
  // Boundary layers are few and quick: answered here, never queued behind analyses.
  return deferred ? response : run_deferred(std::move(response));
}

Response handle_ogc_item(const Request& request, const Context& context) {
  auto ogc = prepare_ogc(request, context, kItemNames);
  if (!ogc) return error_response(ogc.error());
  auto crs = ogc->prepared.query.parsed("crs", engine::parse_crs);
  if (!crs) return error_response(crs.error());
  const engine::OgcCrs output = crs->value_or(engine::OgcCrs::crs84);
  const auto segments = segments_after_collections(request.path);
  const data::Snapshot& snapshot = *ogc->prepared.snapshot;
  auto collection = find_collection(snapshot, context, segments[0]);
  if (!collection) return error_response(collection.error());
  auto answer = collection->kind->item(snapshot, *collection, segments[2], context.disclosure);
  if (!answer) return error_response(answer.error());
  render::disclose(*answer, context.disclosure);

  const std::string url = base_url(request) + "/ogc/collections/" + collection->id;
  const std::string self = url + "/items/" + std::string(segments[2]);
  const std::string query = "?" + engine::to_query({{"crs", std::string(engine::crs_uri(output))}});
  const json members = {
      {"links", json::array({link(self + query + "&f=json", "self", kGeoJsonType, "This feature"),
                             link(self + query + "&f=html", "alternate", kHtmlType,
                                  "This feature as HTML"),
                             link(url + "?f=json", "collection", kJsonType, "The collection")})},
      {"timeStamp", data::utc_now_iso8601()}};
  auto text = render::to_geojson_feature(answer->table, 0, answer->metadata,
                                         {output == engine::OgcCrs::bng, &members});
  if (!text) return error_response(text.error());
  Response response;
  response.content_type = std::string(kGeoJsonType);
  response.body = std::move(*text);
  add_content_crs(response, output);
  return as_requested(std::move(response), ogc->html, collection->title);
}

}  // namespace hotspot::http
