#pragma once
// The collections the OGC API serves, from one table of kinds
// (ogc_collections.cpp): wards, town centres, area groups and incidents.
// A kind lists its collections in a snapshot and answers their items; one
// more kind of collection (saved analyses) is one more entry in the table.

#include "hotspot/common/deadline.hpp"
#include "hotspot/common/error.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/disclosure.hpp"
#include "hotspot/engine/ogc.hpp"
#include "hotspot/geo/types.hpp"
#include "hotspot/http/service.hpp"
#include "hotspot/render/answers.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::http {

struct OgcCollection;

// One page of a collection's items: the features (EPSG:27700, as every
// answer builder makes them) with the answer's metadata, and the page.
struct OgcItemsAnswer {
  render::FeatureAnswer answer;
  engine::OgcPage page;
};

struct OgcCollectionKind {
  // Appends this kind's collections in the snapshot, if it holds any.
  void (*list)(const data::Snapshot& snapshot, std::vector<OgcCollection>& out);
  // A page of items, in feature-id order, under the disclosure policy.
  Expected<OgcItemsAnswer> (*items)(const data::Snapshot& snapshot,
                                    const OgcCollection& collection,
                                    const engine::OgcItemsParams& params,
                                    const engine::Disclosure& disclosure,
                                    const Deadline& deadline);
  // The answer holding the one feature with this id, or not_found.
  Expected<render::FeatureAnswer> (*item)(const data::Snapshot& snapshot,
                                          const OgcCollection& collection,
                                          std::string_view feature_id,
                                          const engine::Disclosure& disclosure);
  // Why the server may not publish the collection at all (incident points
  // in public mode), or nullopt.
  std::optional<Error> (*refused)(const Context& context);
  // Items scan the incident table: run on the analysis pool, within the
  // deadline, rather than on the connection's thread.
  bool deferred = false;
};

struct OgcCollection {
  std::string id;
  std::string title;
  std::string description;
  geo::Box extent;                               // WGS84 lon/lat; empty: none
  std::optional<engine::TimeInterval> interval;  // temporal extent, for temporal ones
  bool temporal = false;                         // items take datetime
  const OgcCollectionKind* kind = nullptr;
  std::size_t index = 0;  // which of its kind's collections (a layer, an analysis)
};

// Every collection in the snapshot, in table order, whether or not the
// server may publish it (see OgcCollectionKind::refused).
std::vector<OgcCollection> ogc_collections(const data::Snapshot& snapshot);

}  // namespace hotspot::http
