// /api/parameters: every endpoint's parameters with their defaults, from the
// engine's own parameter structs, so the page (and any client) takes its
// defaults from the one source instead of a copy.
#include "hotspot/http/handlers.hpp"

#include "hotspot/engine/area_stats.hpp"
#include "hotspot/engine/compare.hpp"
#include "hotspot/engine/evaluate.hpp"
#include "hotspot/engine/gistar.hpp"
#include "hotspot/engine/incidents.hpp"
#include "hotspot/engine/kde.hpp"
#include "hotspot/engine/profile.hpp"
#include "hotspot/http/serve.hpp"
#include "hotspot/render/disclosure.hpp"

#include <nlohmann/json.hpp>

namespace hotspot::http {
namespace {

// The canonical echo of a default request, as metadata.parameters shows it.
nlohmann::json echo(const engine::Canonical& canonical) {
  auto out = nlohmann::json::object();
  for (const auto& [name, value] : canonical) {
    out[name] = value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
  }
  return out;
}

}  // namespace

Response handle_parameters(const Request& request, const Context& context) {
  auto prepared = prepare(request, context, {}, false);
  if (!prepared) return error_response(prepared.error());
  engine::CompareParams compare;
  engine::Canonical compare_defaults = compare.canonical();
  // The periods have no default: they are required.
  for (auto& [name, value] : compare_defaults) {
    if (name == "a_from" || name == "a_to" || name == "b_from" || name == "b_to") value.clear();
  }
  engine::Canonical evaluate_defaults = engine::EvaluateParams{}.canonical();
  for (auto& [name, value] : evaluate_defaults) {
    if (name.ends_with("_from") || name.ends_with("_to")) value.clear();
  }
  const engine::Canonical stats = engine::AreaStatsParams{}.canonical();
  Response response = json_response(
      {{"defaults",
        {{"hotspots/dbscan", echo(engine::DbscanParams{}.canonical())},
         {"hotspots/kde", echo(engine::KdeParams{}.canonical())},
         {"hotspots/gistar", echo(engine::GiStarParams{}.canonical())},
         {"stats/wards", echo(stats)},
         {"stats/town-centres", echo(stats)},
         {"stats/groups", echo(stats)},
         {"compare", echo(compare_defaults)},
         {"profile", echo(engine::ProfileParams{}.canonical())},
         {"evaluate", echo(evaluate_defaults)},
         {"incidents", echo(engine::IncidentsParams{}.canonical())}}},
       // The page reads these: public mode draws no points and shows
       // suppressed counts as "fewer than min_count".
       {"public", context.disclosure.public_mode},
       {"min_count", context.disclosure.min_count},
       {"disclosure", render::disclosure_json(context.disclosure)}});
  return response;
}

}  // namespace hotspot::http
