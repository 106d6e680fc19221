#pragma once
// Each endpoint's engine result as features plus metadata: the one place
// that decides an answer's properties, their order and precision, and its
// metadata. GeoJSON and every download format are written from this.

#include "hotspot/data/snapshot.hpp"
#include "hotspot/engine/area_stats.hpp"
#include "hotspot/engine/clusters.hpp"
#include "hotspot/engine/compare.hpp"
#include "hotspot/engine/evaluate.hpp"
#include "hotspot/engine/gistar.hpp"
#include "hotspot/engine/incidents.hpp"
#include "hotspot/engine/kde.hpp"
#include "hotspot/engine/profile.hpp"
#include "hotspot/render/features.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace hotspot::render {

struct FeatureAnswer {
  FeatureTable table;
  nlohmann::json metadata;
  // A row over table.fields summing every feature (compare's all-groups
  // total), also written to metadata.total; public mode treats it like a
  // feature (render::disclose).
  std::optional<Feature> total;
};

FeatureAnswer dbscan_answer(const data::Snapshot& snapshot, const engine::DbscanParams& params,
                            const engine::DbscanResult& result);
FeatureAnswer kde_answer(const data::Snapshot& snapshot, const engine::KdeParams& params,
                         const engine::KdeResult& result);
FeatureAnswer gistar_answer(const data::Snapshot& snapshot, const engine::GiStarParams& params,
                            const engine::GiStarResult& result);

FeatureAnswer area_stats_answer(const data::Snapshot& snapshot,
                                const engine::AreaStatsParams& params,
                                const engine::AreaStatsResult& result);
FeatureAnswer compare_answer(const data::Snapshot& snapshot, const engine::CompareParams& params,
                             const engine::CompareResult& result);
FeatureAnswer evaluate_answer(const data::Snapshot& snapshot, const engine::EvaluateParams& params,
                              const engine::EvaluateResult& result);
FeatureAnswer incidents_answer(const data::Snapshot& snapshot,
                               const engine::IncidentsParams& params,
                               const engine::IncidentsResult& result);
// /api/layers/wards and /api/layers/town-centres.
FeatureAnswer boundary_answer(const data::Snapshot& snapshot, engine::AreaLayer layer);

// /api/profile answers a plain JSON object.
nlohmann::json profile_answer(const data::Snapshot& snapshot, const engine::ProfileParams& params,
                              const engine::ProfileResult& result);

// Method versions, for metadata and for saved analyses to compare against.
inline constexpr std::string_view kDbscanVersion = "dbscan/2";
inline constexpr std::string_view kKdeVersion = "kde-quartic/2";
inline constexpr std::string_view kGiStarVersion = "gistar/2";
inline constexpr std::string_view kAreaStatsVersion = "area-stats/1";
inline constexpr std::string_view kCompareVersion = "compare-poisson-exact/1";
inline constexpr std::string_view kProfileVersion = "profile/1";
inline constexpr std::string_view kIncidentsVersion = "incidents/1";
inline constexpr std::string_view kLayerVersion = "layers/1";
inline constexpr std::string_view kEvaluateVersion = "evaluate/1";

}  // namespace hotspot::render
