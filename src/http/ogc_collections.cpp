// The OGC API's collections: one table of kinds (kKinds), each listing its
// collections and answering their items through the API's own answer
// builders (render::boundary_answer, render::incidents_answer).
#include "hotspot/http/ogc_collections.hpp"

#include "hotspot/engine/projection.hpp"
#include "hotspot/http/serve.hpp"
#include "hotspot/render/metadata.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace hotspot::http {
namespace {

Error not_found(const OgcCollection& collection, std::string_view feature_id) {
  return make_error(ErrorCode::not_found, "Collection '" + collection.id + "' has no feature '" +
                                              std::string(feature_id) + "'; see /ogc/collections/" +
                                              collection.id + "/items");
}

// The answer's endpoint and parameters echo the OGC request, not the
// endpoint whose builder made it.
void describe(render::FeatureAnswer& answer, const data::Snapshot& snapshot,
              const OgcCollection& collection, const engine::Canonical& canonical) {
  const std::string endpoint = "ogc/collections/" + collection.id + "/items";
  const nlohmann::json base = render::base_metadata(snapshot, endpoint, "ogc/1", canonical);
  answer.metadata["endpoint"] = endpoint;
  answer.metadata["parameters"] = base["parameters"];
}

// --- boundary layers: wards, town centres, area groups -------------------

constexpr std::array kLayers{engine::AreaLayer::wards, engine::AreaLayer::town_centres,
                             engine::AreaLayer::groups};

engine::AreaLayer layer_at(const OgcCollection& collection) { return kLayers[collection.index]; }

geo::Box lonlat_extent(const data::BoundaryLayer& layer) {
  geo::Box box;
  for (const auto& parts : layer.lonlat) box.expand(engine::rings_envelope(parts));
  return box;
}

void list_boundaries(const data::Snapshot& snapshot, std::vector<OgcCollection>& out);

// The whole layer's answer, cut to the features at `rows[begin, end)`.
render::FeatureAnswer boundary_subset(const data::Snapshot& snapshot, engine::AreaLayer layer,
                                      const std::vector<std::size_t>& rows, std::size_t begin,
                                      std::size_t end) {
  render::FeatureAnswer answer = render::boundary_answer(snapshot, layer);
  std::vector<render::Feature> kept;
  kept.reserve(end - begin);
  for (std::size_t k = begin; k < end; ++k) kept.push_back(std::move(answer.table.features[rows[k]]));
  answer.table.features = std::move(kept);
  return answer;
}

Expected<OgcItemsAnswer> boundary_items(const data::Snapshot& snapshot,
                                        const OgcCollection& collection,
                                        const engine::OgcItemsParams& params,
                                        const engine::Disclosure&, const Deadline&) {
  const engine::AreaLayer which = layer_at(collection);
  const engine::BoundaryItems items =
      engine::boundary_items(engine::layer_of(snapshot, which), params);
  OgcItemsAnswer out{boundary_subset(snapshot, which, items.rows, items.page.begin,
                                     items.page.end),
                     items.page};
  describe(out.answer, snapshot, collection, params.canonical());
  return out;
}

Expected<render::FeatureAnswer> boundary_item(const data::Snapshot& snapshot,
                                              const OgcCollection& collection,
                                              std::string_view feature_id,
                                              const engine::Disclosure&) {
  const engine::AreaLayer which = layer_at(collection);
  const std::int32_t index = engine::layer_of(snapshot, which).find(std::string(feature_id));
  if (index < 0) return not_found(collection, feature_id);
  return boundary_subset(snapshot, which, {static_cast<std::size_t>(index)}, 0, 1);
}

std::optional<Error> published(const Context&) { return std::nullopt; }

// --- incidents ---------------------------------------------------------

void list_incidents(const data::Snapshot& snapshot, std::vector<OgcCollection>& out);

engine::IncidentsParams incidents_params(const engine::Disclosure& disclosure,
                                         std::size_t limit, std::size_t offset) {
  engine::IncidentsParams params;
  params.selection.set_disclosure(disclosure);
  params.limit = limit;
  params.offset = offset;
  return params;
}

Expected<OgcItemsAnswer> incident_items(const data::Snapshot& snapshot,
                                        const OgcCollection& collection,
                                        const engine::OgcItemsParams& params,
                                        const engine::Disclosure& disclosure,
                                        const Deadline& deadline) {
  engine::IncidentsParams own = incidents_params(disclosure, params.limit, params.offset);
  auto result = engine::incident_items(snapshot, own.selection, params, deadline);
  if (!result) return result.error();
  OgcItemsAnswer out{render::incidents_answer(snapshot, own, *result),
                     {result->selection.rows.size(), result->begin, result->end}};
  describe(out.answer, snapshot, collection, params.canonical());
  return out;
}

Expected<render::FeatureAnswer> incident_item(const data::Snapshot& snapshot,
                                              const OgcCollection& collection,
                                              std::string_view feature_id,
                                              const engine::Disclosure& disclosure) {
  const data::IncidentTable& table = *snapshot.incidents;
  std::uint32_t row = 0;
  const auto [end, ec] = std::from_chars(feature_id.data(), feature_id.data() + feature_id.size(), row);
  const bool number = ec == std::errc{} && end == feature_id.data() + feature_id.size() &&
                      (feature_id.size() == 1 || feature_id.front() != '0');
  // A row public mode would not select is not there either.
  if (!number || row >= table.size() ||
      (disclosure.public_mode && row < table.domestic.size() && table.domestic[row] != 0)) {
    return not_found(collection, feature_id);
  }
  engine::IncidentsResult one;
  one.selection.rows = {row};
  one.selection.considered = table.size();
  one.end = 1;
  return render::incidents_answer(snapshot, incidents_params(disclosure, 1, 0), one);
}

// The one table of collection kinds.
const std::array<OgcCollectionKind, 2> kKinds{{
    {list_boundaries, boundary_items, boundary_item, published, false},
    {list_incidents, incident_items, incident_item, incident_points_refused, true},
}};

void list_boundaries(const data::Snapshot& snapshot, std::vector<OgcCollection>& out) {
  constexpr std::array<std::pair<const char*, const char*>, kLayers.size()> kTexts{{
      {"Wards", "Electoral wards: the areas incidents are counted in (feature id: ward code)"},
      {"Town centres", "Town-centre polygons of the night-time economy (feature id: its id)"},
      {"Area groups", "Groups of wards such as constituencies or policing areas, each with "
                      "the wards assigned to it (feature id: group code)"},
  }};
  for (std::size_t k = 0; k < kLayers.size(); ++k) {
    const data::BoundaryLayer& layer = engine::layer_of(snapshot, kLayers[k]);
    if (layer.size() == 0) continue;
    out.push_back({std::string(engine::layer_name(kLayers[k])), kTexts[k].first,
                   kTexts[k].second, lonlat_extent(layer), std::nullopt, false, &kKinds[0], k});
  }
}

void list_incidents(const data::Snapshot& snapshot, std::vector<OgcCollection>& out) {
  const data::IncidentTable& table = *snapshot.incidents;
  OgcCollection collection{"incidents", "Incidents",
                           "Geocoded incidents, one point each (feature id: the row number, "
                           "stable for one snapshot_version); datetime selects by when they "
                           "happened, at each record's precision",
                           {}, std::nullopt, true, &kKinds[1], 0};
  if (table.size() > 0) {
    if (auto transformer = engine::to_wgs84()) {
      collection.extent = engine::box_to_lonlat(table.extent(), **transformer);
    }
    // The latest end is that of a row starting at most a month before the
    // latest start (a month-precision record is the longest span), so the
    // per-row spans are worked out for those rows only.
    const auto [first, last] = std::minmax_element(table.instant.begin(), table.instant.end());
    engine::TimeInterval span{*first, *last};
    constexpr std::int64_t kLongestSpan = 31 * 86400;
    for (std::size_t i = 0; i < table.size(); ++i) {
      if (table.instant[i] >= *last - kLongestSpan) {
        span.end = std::max(*span.end, *engine::incident_time(table, i).end);
      }
    }
    collection.interval = span;
  }
  out.push_back(std::move(collection));
}

}  // namespace

std::vector<OgcCollection> ogc_collections(const data::Snapshot& snapshot) {
  std::vector<OgcCollection> out;
  for (const OgcCollectionKind& kind : kKinds) kind.list(snapshot, out);
  return out;
}

}  // namespace hotspot::http
