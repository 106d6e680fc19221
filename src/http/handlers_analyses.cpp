// /api/analyses: saving an analysis (a name, a method and its parameters,
// parsed as the method's endpoint parses them), listing them, and
// answering one again, from the data it was made on, in any format its
// endpoint serves. Reading is open as every read is; saving needs a token
// (any role) because it writes to the server's persistent state.

#include "hotspot/http/authorize.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/handlers.hpp"
#include "hotspot/http/saved_analyses.hpp"
#include "hotspot/http/serve.hpp"

#include <nlohmann/json.hpp>


namespace hotspot::http {
namespace {

constexpr std::string_view kPrefix = "/api/analyses/";

// The id in /api/analyses/{id}.
Expected<std::int64_t> analysis_id(const Request& request) {
  return path_id(request.path, kPrefix, "an analysis id", "/api/analyses");
}

std::string method_names() {
  std::string out;
  for (const SavedMethod& m : saved_methods()) out += (out.empty() ? "" : ", ") + std::string(m.endpoint);
  return out;
}

// The request's `method`, read before the names are checked: it decides
// which other names are allowed.
Expected<const SavedMethod*> requested_method(const Request& request) {
  for (const auto& [name, value] : request.query) {
    if (name != "method") continue;
    if (const SavedMethod* m = saved_method(value)) return m;
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'method': '" + value + "' is not one of " + method_names());
  }
  return make_error(ErrorCode::invalid_parameter,
                    "Parameter 'method' is required: one of " + method_names());
}

// A name a user can read back in a list: 1..kMaxAnalysisNameBytes bytes,
// not only spaces, no control characters.
Expected<std::string> analysis_name(const engine::Query& query) {
  const std::string* name = query.get("name");
  if (name == nullptr || name->find_first_not_of(' ') == std::string::npos) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'name' is required: what the analysis is called in the list");
  }
  if (name->size() > data::kMaxAnalysisNameBytes) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'name': " + std::to_string(name->size()) + " bytes; at most " +
                          std::to_string(data::kMaxAnalysisNameBytes));
  }
  for (unsigned char c : *name) {
    if (c < 0x20 || c == 0x7f) {
      return make_error(ErrorCode::invalid_parameter,
                        "Parameter 'name' holds a control character");
    }
  }
  return *name;
}

// Who saves: any token's holder. Without a tokens file nobody can.
std::optional<Response> saver(const Request& request, const Context& context, std::string* who) {
  if (context.tokens == nullptr) {
    return error_response(make_error(
        ErrorCode::forbidden,
        "Saving analyses needs a tokens file: start hotspotd with --tokens FILE (hotspot token "
        "new --role viewer --name NAME makes one)"));
  }
  // A viewer's role is the least: an editor's token allows it too.
  return authorize(request, context, auth::Role::viewer, who);
}

}  // namespace

Response handle_analyses_list(const Request& request, const Context& context) {
  auto prepared = prepare(request, context, {}, false);
  if (!prepared) return error_response(prepared.error());
  auto records = list_saved_analyses(context);
  if (!records) return error_response(records.error());
  std::vector<data::SourceRecord> sources;
  if (context.sources.store) {
    auto listed = context.sources.store->list(true);
    if (!listed) return error_response(listed.error());
    sources = std::move(*listed);
  }
  auto list = nlohmann::json::array();
  for (const auto& record : *records) {
    list.push_back(analysis_json(record, data::saved_data_problem(*prepared->snapshot, record, sources,
                                                                  context.sources.store != nullptr)));
  }
  auto methods = nlohmann::json::array();
  for (const SavedMethod& m : saved_methods()) methods.push_back(m.endpoint);
  return json_response({{"analyses", std::move(list)},
                        {"methods", std::move(methods)},
                        {"max_count", context.analyses.max_count}});
}

Response handle_analysis_save(const Request& request, const Context& context) {
  if (!context.analyses.book) return error_response(saving_off());
  std::string who;
  if (auto refusal = saver(request, context, &who)) return *refusal;
  auto method = requested_method(request);
  if (!method) return error_response(method.error());
  std::vector<std::string_view> names((*method)->names().begin(), (*method)->names().end());
  names.insert(names.end(), {"name", "method"});
  auto prepared = prepare(request, context, names, false);
  if (!prepared) return error_response(prepared.error());
  auto name = analysis_name(prepared->query);
  if (!name) return error_response(name.error());
  auto canonical = (*method)->canonical(*prepared);
  if (!canonical) return error_response(canonical.error());
  // What the user asked for; the data part is added on the pool.
  data::AnalysisRecord asked;
  asked.name = std::move(*name);
  asked.method = std::string((*method)->endpoint);
  asked.parameters = engine::to_query(*canonical);
  asked.created_by = who;
  // The store and the table are read and written on the analysis pool, not
  // on the connection's thread.
  Response later;
  later.deferred = [&context, snapshot = prepared->snapshot,
                    asked = std::move(asked)](const Deadline&) mutable -> Response {
    std::vector<data::SourceRecord> sources;
    if (context.sources.store) {
      // The sources' records must describe the snapshot served: a change
      // committed elsewhere and not yet served would be saved as its rows.
      auto version = context.sources.store->version();
      if (!version) return error_response(version.error());
      if (*version != snapshot->store_version) {
        return error_response(make_error(
            ErrorCode::unavailable, "The source store changed a moment ago and this server has "
                                    "not served the change yet; try again shortly"));
      }
      auto listed = context.sources.store->list(true);
      if (!listed) return error_response(listed.error());
      sources = std::move(*listed);
    }
    data::AnalysisRecord record = data::describe_data(*snapshot, sources);
    record.name = std::move(asked.name);
    record.method = std::move(asked.method);
    record.parameters = std::move(asked.parameters);
    record.created_by = std::move(asked.created_by);
    auto saved = context.analyses.book->add(std::move(record), context.analyses.max_count);
    if (!saved) return error_response(saved.error());
    Response response = json_response({{"analysis", analysis_json(*saved, std::nullopt)}});
    response.status = 201;
    response.headers.emplace_back("Location", std::string(kPrefix) + std::to_string(saved->id));
    return response;
  };
  return later;
}

Response handle_analysis_get(const Request& request, const Context& context) {
  auto id = analysis_id(request);
  if (!id) return error_response(id.error());
  auto checked = prepare(request, context, {}, true);
  if (!checked) return error_response(checked.error());
  auto run = prepare_saved(context, *id, checked->format);
  if (!run) return error_response(run.error());
  // The key: the analysis, its data version and the snapshot served (the
  // live one's version too, as every entry's key has it).
  const std::string key = "analyses/" + std::to_string(*id) + "@" + run->record.snapshot_version;
  // Taken before the work takes the run.
  const engine::Canonical canonical = run->canonical;
  const Prepared prepared = run->prepared;
  if (run->method->json_answer != nullptr) {
    // Its endpoint answers JSON only, without downloads.
    if (prepared.format) {
      return error_response(make_error(
          ErrorCode::unknown_parameter,
          "Parameter 'format': analysis " + std::to_string(*id) + " (" + run->record.method +
              ") answers JSON only, without downloads"));
    }
    return cached(context, key, canonical, prepared,
                  [run = std::move(*run)](const Deadline& deadline) {
                    auto answer = run_saved_json(run, deadline);
                    return answer ? json_response(*answer) : error_response(answer.error());
                  });
  }
  return cached(context, key, canonical, prepared,
                [request, run = std::move(*run), id = *id](const Deadline& deadline) {
                  return feature_response(run_saved(run, deadline), request, run.prepared,
                                          "analyses/" + std::to_string(id), run.canonical);
                });
}

}  // namespace hotspot::http
