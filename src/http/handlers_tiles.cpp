// /tiles/{layer}/{z}/{x}/{y}.mvt and /tiles/{layer}.json: the map layers as
// Mapbox Vector Tiles (EPSG:3857, XYZ) and a TileJSON 3.0.0 document each,
// for GIS clients that connect directly. A tile is deferred work like an
// analysis: parameters parsed once (the clusters take /api/hotspots/dbscan's,
// parsed by the same code), the engine run on the snapshot, the features
// disclosed under the server's policy, then written by GDAL's MVT driver.
#include "hotspot/http/handlers.hpp"

#include "hotspot/engine/clusters.hpp"
#include "hotspot/engine/projection.hpp"
#include "hotspot/engine/tiles.hpp"
#include "hotspot/http/layer_extents.hpp"
#include "hotspot/http/serve.hpp"
#include "hotspot/render/disclosure.hpp"
#include "hotspot/render/vector_tiles.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hotspot::http {
namespace {

enum class TileLayer { incidents, wards, town_centres, clusters };

// The layers' names in the path, in TileLayer's order.
constexpr std::array<std::string_view, 4> kTileLayerNames{"incidents", "wards", "town-centres",
                                                          "clusters"};

// The boundary layers take no parameters.
struct NoParams {
  static std::span<const std::string_view> names() { return {}; }
  static Expected<NoParams> parse(const engine::Query&, const data::Snapshot&) { return NoParams{}; }
  engine::Canonical canonical() const { return {}; }
};

// One layer's features for one tile as published (render::disclose done),
// and the CRS they are in.
struct TileFeatures {
  render::FeatureAnswer answer;
  int epsg = 27700;
};
using SharedFeatures = std::shared_ptr<const TileFeatures>;

SharedFeatures published(TileFeatures features, const engine::Disclosure& policy) {
  render::disclose(features.answer, policy);
  return std::make_shared<const TileFeatures>(std::move(features));
}

// The clusters of one parameter set serve every tile of it: DBSCAN runs once
// per parameters, snapshot and disclosure policy, not once per tile. The
// last few sets are kept (a map view asks for a dozen tiles of one set).
class ClusterMemo {
 public:
  SharedFeatures find(const std::string& key) {
    const std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first != key) continue;
      entries_.splice(entries_.begin(), entries_, it);
      return it->second;
    }
    return nullptr;
  }
  void put(std::string key, SharedFeatures features) {
    const std::lock_guard lock(mutex_);
    entries_.emplace_front(std::move(key), std::move(features));
    if (entries_.size() > kCapacity) entries_.pop_back();
  }

 private:
  static constexpr std::size_t kCapacity = 4;
  std::mutex mutex_;
  std::list<std::pair<std::string, SharedFeatures>> entries_;
};

ClusterMemo& cluster_memo() {
  static ClusterMemo memo;
  return memo;
}

Expected<TileLayer> find_layer(std::string_view name) {
  std::string names;
  for (std::size_t k = 0; k < kTileLayerNames.size(); ++k) {
    if (kTileLayerNames[k] == name) return static_cast<TileLayer>(k);
    names += (names.empty() ? "" : ", ") + std::string(kTileLayerNames[k]);
  }
  return make_error(ErrorCode::not_found,
                    "No tile layer '" + std::string(name) + "'; the layers are " + names);
}

// The path's segments after "/tiles/".
std::vector<std::string_view> tile_segments(std::string_view path) {
  path.remove_prefix(std::string_view("/tiles/").size());
  std::vector<std::string_view> out;
  while (true) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

Response tile_answer(const Expected<SharedFeatures>& features, const engine::TileAddress& tile) {
  if (!features) return error_response(features.error());
  auto bytes = render::encode_tile((*features)->answer.table, tile, (*features)->epsg);
  if (!bytes) {
    if (bytes.error().code == ErrorCode::internal) return internal_error("vector tile", bytes.error());
    return error_response(bytes.error());
  }
  Response response;
  response.content_type = std::string(render::kVectorTileType);
  response.body = std::move(*bytes);
  return response;
}

// The layer's parameters, parsed once, under the server's disclosure policy.
template <typename Params>
Expected<Params> parse_params(const Prepared& prepared) {
  auto params = Params::parse(prepared.query, *prepared.snapshot);
  if constexpr (std::is_same_v<Params, NoParams>) {
    return params;
  } else {
    return with_disclosure(std::move(params), prepared);
  }
}

// parse -> cache -> features -> disclose -> MVT, for one layer's parameters.
template <typename Params, typename Make>
Response serve_tile(const Request& request, const Context& context, std::string_view layer,
                    const engine::TileAddress& tile, Make make) {
  auto prepared = prepare(request, context, Params::names(), false);
  if (!prepared) return error_response(prepared.error());
  auto params = parse_params<Params>(*prepared);
  if (!params) return error_response(params.error());
  engine::Canonical canonical = params->canonical();
  for (const auto& [name, value] : {std::pair{"z", tile.z}, {"x", tile.x}, {"y", tile.y}}) {
    canonical.emplace_back(name, std::to_string(value));
  }
  return cached(context, "tiles/" + std::string(layer), canonical, *prepared,
                [prepared = *prepared, params = std::move(*params), tile,
                 make](const Deadline& deadline) {
                  return tile_answer(make(prepared, params, deadline), tile);
                });
}

Expected<SharedFeatures> boundary_features(const Prepared& prepared, engine::AreaLayer layer,
                                           std::string_view name) {
  TileFeatures out{render::boundary_answer(*prepared.snapshot, layer), 27700};
  out.answer.table.name = name;
  return published(std::move(out), prepared.disclosure);
}

Expected<SharedFeatures> incident_features(const Prepared& prepared,
                                           const engine::IncidentTileParams& params,
                                           const engine::TileAddress& tile,
                                           const Deadline& deadline) {
  const data::Snapshot& snapshot = *prepared.snapshot;
  auto result = engine::run_incident_tile(snapshot, params, tile,
                                          !prepared.disclosure.public_mode, deadline);
  if (!result) return result.error();
  if (result->points) {
    return published({render::incident_points_answer(snapshot, params, *result), 27700},
                     prepared.disclosure);
  }
  return published({render::incident_cells_answer(*result), 3857}, prepared.disclosure);
}

Expected<SharedFeatures> cluster_features(const Prepared& prepared,
                                          const engine::DbscanParams& params,
                                          const Deadline& deadline) {
  const data::Snapshot& snapshot = *prepared.snapshot;
  std::string key = engine::to_query(params.canonical()) + "#" + snapshot.version + "#" +
                    prepared.disclosure.cache_key();
  if (auto known = cluster_memo().find(key)) return known;
  auto result = engine::run(snapshot, params, deadline);
  if (!result) return result.error();
  TileFeatures out{render::dbscan_answer(snapshot, params, *result), 27700};
  out.answer.table.name = "clusters";
  SharedFeatures features = published(std::move(out), prepared.disclosure);
  cluster_memo().put(std::move(key), features);
  return features;
}

// --- TileJSON ---------------------------------------------------------------

// One entry of vector_layers: the layer's fields as its tiles carry them
// (the `_suppressed` markers of public mode included).
nlohmann::json vector_layer(render::FeatureAnswer answer, const engine::Disclosure& policy,
                            bool numeric_ids, int minzoom, int maxzoom, std::string_view about) {
  render::disclose(answer, policy);
  auto fields = nlohmann::json::object();
  for (const auto& [name, type] : render::tile_fields(answer.table, numeric_ids)) {
    fields[name] = type;
  }
  return {{"id", answer.table.name},
          {"description", about},
          {"minzoom", minzoom},
          {"maxzoom", maxzoom},
          {"fields", std::move(fields)}};
}

nlohmann::json incident_layers(const data::Snapshot& snapshot,
                               const engine::IncidentTileParams& params,
                               const engine::Disclosure& policy) {
  engine::IncidentTile empty;
  empty.cell_counts.assign(engine::kTileCellsPerSide * engine::kTileCellsPerSide, 0);
  const int last_cells_zoom = policy.public_mode ? engine::kMaxTileZoom : engine::kIncidentPointsMinZoom - 1;
  auto layers = nlohmann::json::array();
  layers.push_back(vector_layer(render::incident_cells_answer(empty), policy, false, 0,
                                last_cells_zoom,
                                "Selected incidents per cell: a tile is cut into " +
                                    std::to_string(engine::kTileCellsPerSide) + " x " +
                                    std::to_string(engine::kTileCellsPerSide) +
                                    " squares; only squares with incidents"));
  if (!policy.public_mode) {
    layers.push_back(vector_layer(render::incident_points_answer(snapshot, params, empty), policy,
                                  true, engine::kIncidentPointsMinZoom, engine::kMaxTileZoom,
                                  "The selected incidents, as /api/incidents gives them"));
  }
  return layers;
}

// "http://host" from the request (https when a proxy says so); empty
// without a Host header, leaving the template relative to the document.
std::string base_url(const Request& request) {
  const std::string* host = request.header("host");
  if (host == nullptr || host->empty()) return "";
  const std::string* proto = request.header("x-forwarded-proto");
  return (proto != nullptr && *proto == "https" ? "https://" : "http://") + *host;
}

// TileJSON 3.0.0 for one layer: the tile URL template carries the
// parameters in their canonical form (the tiles' cache key), bounds are the
// layer's lon/lat extent as /api/layers gives it.
template <typename Params, typename Describe>
Response serve_tilejson(const Request& request, const Context& context, std::string_view layer,
                        Describe describe) {
  auto prepared = prepare(request, context, Params::names(), false);
  if (!prepared) return error_response(prepared.error());
  auto params = parse_params<Params>(*prepared);
  if (!params) return error_response(params.error());
  auto to_lonlat = engine::to_wgs84();
  if (!to_lonlat) return error_response(to_lonlat.error());
  const data::Snapshot& snapshot = *prepared->snapshot;
  auto [layers, bounds] = describe(snapshot, *params, prepared->disclosure, **to_lonlat);
  if (bounds.empty()) bounds = {-180, -85.051129, 180, 85.051129};  // nothing loaded: the world
  std::string url = base_url(request) + "/tiles/" + std::string(layer) + "/{z}/{x}/{y}.mvt";
  if (const std::string query = engine::to_query(params->canonical()); !query.empty()) {
    url += "?" + query;
  }
  auto licences = licences_json(snapshot);
  std::string attribution;
  for (const auto& licence : licences) {
    attribution += (attribution.empty() ? "" : "; ") + licence.get<std::string>();
  }
  return json_response({{"tilejson", "3.0.0"},
                        {"name", "hotspot " + std::string(layer)},
                        {"scheme", "xyz"},
                        {"tiles", {url}},
                        {"minzoom", 0},
                        {"maxzoom", engine::kMaxTileZoom},
                        {"bounds", bbox_json(bounds)},
                        {"center", {(bounds.min_x + bounds.max_x) / 2, (bounds.min_y + bounds.max_y) / 2, 10}},
                        {"attribution", attribution},
                        {"vector_layers", std::move(layers)},
                        {"snapshot_version", snapshot.version}});
}

}  // namespace

Response handle_tile(const Request& request, const Context& context) {
  const auto segments = tile_segments(request.path);
  // The route gives four segments: layer, z, x and "y.mvt".
  std::string_view y = segments.at(3);
  if (!y.ends_with(".mvt")) {
    return error_response(make_error(ErrorCode::not_found,
                                     "Tiles are /tiles/{layer}/{z}/{x}/{y}.mvt; see docs/api.md"));
  }
  y.remove_suffix(4);
  auto layer = find_layer(segments[0]);
  if (!layer) return error_response(layer.error());
  auto tile = engine::parse_tile_address(segments[1], segments[2], y);
  if (!tile) return error_response(tile.error());

  switch (*layer) {
    case TileLayer::wards:
    case TileLayer::town_centres: {
      const bool wards = *layer == TileLayer::wards;
      return serve_tile<NoParams>(
          request, context, segments[0], *tile,
          [wards](const Prepared& p, const NoParams&, const Deadline&) {
            return boundary_features(p,
                                     wards ? engine::AreaLayer::wards : engine::AreaLayer::town_centres,
                                     wards ? "wards" : "town_centres");
          });
    }
    case TileLayer::incidents:
      return serve_tile<engine::IncidentTileParams>(
          request, context, segments[0], *tile,
          [tile = *tile](const Prepared& p, const engine::IncidentTileParams& params,
                         const Deadline& deadline) {
            return incident_features(p, params, tile, deadline);
          });
    case TileLayer::clusters:
      return serve_tile<engine::DbscanParams>(request, context, segments[0], *tile,
                                              &cluster_features);
  }
  return error_response(make_error(ErrorCode::internal, "Unknown tile layer"));
}

}  // namespace hotspot::http

namespace hotspot::http {

Response handle_tilejson(const Request& request, const Context& context) {
  std::string_view name = std::string_view(request.path).substr(std::string_view("/tiles/").size());
  if (!name.ends_with(".json")) {
    return error_response(make_error(ErrorCode::not_found,
                                     "A layer's TileJSON is /tiles/{layer}.json; see docs/api.md"));
  }
  name.remove_suffix(5);
  auto layer = find_layer(name);
  if (!layer) return error_response(layer.error());
  using Layers = std::pair<nlohmann::json, geo::Box>;
  switch (*layer) {
    case TileLayer::wards:
    case TileLayer::town_centres: {
      const bool wards = *layer == TileLayer::wards;
      return serve_tilejson<NoParams>(
          request, context, name,
          [wards](const data::Snapshot& s, const NoParams&, const engine::Disclosure& policy,
                  const geo::Transformer&) {
            const auto area = wards ? engine::AreaLayer::wards : engine::AreaLayer::town_centres;
            auto answer = render::boundary_answer(s, area);
            answer.table.name = wards ? "wards" : "town_centres";
            answer.table.features.clear();
            return Layers{nlohmann::json::array({vector_layer(
                              std::move(answer), policy, false, 0, engine::kMaxTileZoom,
                              wards ? "Wards" : "Town centres")}),
                          lonlat_extent(wards ? *s.wards : *s.town_centres)};
          });
    }
    case TileLayer::incidents:
      return serve_tilejson<engine::IncidentTileParams>(
          request, context, name,
          [](const data::Snapshot& s, const engine::IncidentTileParams& params,
             const engine::Disclosure& policy, const geo::Transformer& to_lonlat) {
            return Layers{incident_layers(s, params, policy),
                          incidents_lonlat_extent(s, policy, to_lonlat)};
          });
    case TileLayer::clusters:
      return serve_tilejson<engine::DbscanParams>(
          request, context, name,
          [](const data::Snapshot& s, const engine::DbscanParams& params,
             const engine::Disclosure& policy, const geo::Transformer& to_lonlat) {
            auto answer = render::dbscan_answer(s, params, engine::DbscanResult{});
            answer.table.name = "clusters";
            return Layers{nlohmann::json::array({vector_layer(
                              std::move(answer), policy, false, 0, engine::kMaxTileZoom,
                              "DBSCAN clusters of the selected incidents, as /api/hotspots/dbscan gives them")}),
                          incidents_lonlat_extent(s, policy, to_lonlat)};
          });
  }
  return error_response(make_error(ErrorCode::internal, "Unknown tile layer"));
}

}  // namespace hotspot::http
