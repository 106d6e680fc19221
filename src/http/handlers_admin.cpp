// POST /api/admin/reload: what SIGHUP does, for an editor's bearer token.
#include "hotspot/http/handlers.hpp"

#include "hotspot/auth/tokens.hpp"
#include "hotspot/data/load_report.hpp"
#include "hotspot/http/authorize.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/log.hpp"
#include "hotspot/http/serve.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>

namespace hotspot::http {
namespace {

nlohmann::json files_json(const data::LoadReport& report) {
  auto files = nlohmann::json::array();
  for (const auto& file : report.files) {
    files.push_back({{"path", data::file_name(file.path)},
                     {"kind", file.kind},
                     {"loaded", file.loaded},
                     {"rows_read", file.rows_read},
                     {"rows_accepted", file.rows_accepted},
                     {"rows_rejected", file.rows_rejected},
                     {"seconds", file.seconds}});
  }
  return files;
}

}  // namespace

Response handle_admin_reload(const Request& request, const Context& context) {
  // route() answers 404 before this while no tokens file is configured.
  if (context.tokens == nullptr || !context.reload) {
    return error_response(make_error(ErrorCode::unavailable, "Reloading is not set up"));
  }
  std::string who;
  if (auto refusal = authorize(request, context, auth::Role::editor, &who)) return *refusal;
  if (!request.query.empty()) {
    return error_response(make_error(ErrorCode::unknown_parameter,
                                     "/api/admin/reload takes no parameters; got '" +
                                         request.query.front().first + "'"));
  }
  std::fprintf(stderr, "admin: reload requested by %s\n", escape_for_log(who).c_str());

  const auto previous = context.store->current();
  const ReloadOutcome outcome = context.reload();
  const auto served = context.store->current();
  const data::LoadReport& report = outcome.loaded->report;
  const auto timing = report.timings.find("total");
  const double seconds = timing == report.timings.end() ? 0.0 : timing->second;
  nlohmann::json tokens = outcome.tokens_error.empty()
                              ? nlohmann::json(nullptr)
                              : nlohmann::json(data::without_directories(outcome.tokens_error));
  if (!outcome.failures.empty()) {
    // The body of error_response(), with what a caller needs to act on.
    const Error error = make_error(
        ErrorCode::reload_refused,
        "The reload was refused: " + std::to_string(outcome.failures.size()) +
            " file(s) cannot be used; still serving the data loaded at " +
            served->report.loaded_at);
    Response response = error_response(error);
    nlohmann::json body = {{"error",
                            {{"code", error_code_name(error.code)},
                             {"message", error.message},
                             {"failures", outcome.failures},
                             {"snapshot_version", served->version},
                             {"files", files_json(report)},
                             {"tokens_error", tokens}}}};
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return response;
  }
  Response response = json_response({{"status", "reloaded"},
                                     {"snapshot_version", served->version},
                                     {"previous_version", previous ? previous->version : ""},
                                     {"changed", !previous || previous->version != served->version},
                                     {"loaded_at", served->report.loaded_at},
                                     {"seconds", seconds},
                                     {"incidents", served->incidents->size()},
                                     {"wards", served->wards->size()},
                                     {"town_centres", served->town_centres->size()},
                                     {"files", files_json(report)},
                                     {"tokens_error", tokens}});
  return response;
}

}  // namespace hotspot::http
