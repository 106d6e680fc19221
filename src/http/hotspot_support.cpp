#include "hotspot/http/hotspot_support.hpp"

#include "hotspot/geo/types.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace hotspot::http {

geo::Box study_extent(const data::Snapshot& snapshot) {
  return snapshot.wards->extent.empty() ? snapshot.incidents->extent() : snapshot.wards->extent;
}

Error too_many_cells(std::size_t cells) {
  return make_error(ErrorCode::payload_too_large,
                    std::to_string(cells) + " cells would be returned, over the limit of " +
                        std::to_string(kMaxOutputCells) +
                        "; use a larger 'cell', a higher threshold, or a narrower selection");
}

nlohmann::json grid_json(const analysis::GridGeometry& g) {
  return {{"crs", geo::kWorkingCrs}, {"origin_x", g.origin_x}, {"origin_y", g.origin_y},
          {"cell", g.cell},          {"nx", g.nx},             {"ny", g.ny}};
}

void begin_feature_collection(JsonWriter& w) { w.raw(R"({"type":"FeatureCollection","features":[)"); }

void end_feature_collection(JsonWriter& w, const nlohmann::json& metadata) {
  w.raw(R"(],"metadata":)");
  w.raw(metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  w.raw("}");
}

}  // namespace hotspot::http
