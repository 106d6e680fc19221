// /api/sources: the partnership's sources in the store. Listing is open as
// every read is; adding, replacing and withdrawing need an editor's token,
// run on the analysis pool with the upload time limit, and answer once the
// change is committed and the new snapshot is served.

#include "hotspot/data/source_arguments.hpp"
#include "hotspot/http/authorize.hpp"
#include "hotspot/http/errors.hpp"
#include "hotspot/http/handlers.hpp"
#include "hotspot/http/log.hpp"
#include "hotspot/http/multipart.hpp"
#include "hotspot/http/report_json.hpp"
#include "hotspot/http/serve.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>

namespace hotspot::http {
namespace {

constexpr std::string_view kPrefix = "/api/sources/";
constexpr std::size_t kMaxNameBytes = 200;

Response no_store() {
  return error_response(make_error(
      ErrorCode::not_found,
      "No source store is configured: start hotspotd with --store FILE.gpkg or --store PG:..."));
}

nlohmann::json record_json(const data::SourceRecord& r) {
  auto text_or_null = [](const std::string& t) {
    return t.empty() ? nlohmann::json(nullptr) : nlohmann::json(t);
  };
  return {{"id", r.id},
          {"kind", r.kind},
          {"name", r.name},
          {"licence", r.licence},
          {"options", r.options},
          {"file_name", r.file_name},
          {"synthetic", r.synthetic},
          {"added_at", r.added_at},
          {"added_by", r.added_by},
          {"replaced_at", text_or_null(r.replaced_at)},
          {"replaced_by", text_or_null(r.replaced_by)},
          {"withdrawn_at", text_or_null(r.withdrawn_at)},
          {"withdrawn_by", text_or_null(r.withdrawn_by)},
          {"rows", {{"read", r.rows_read},
                    {"stored", r.rows_accepted},
                    {"rejected", r.rows_rejected},
                    {"duplicate", r.rows_duplicate}}},
          {"first_occurred", text_or_null(r.first_occurred)},
          {"last_occurred", text_or_null(r.last_occurred)},
          {"url", std::string(kPrefix) + std::to_string(r.id)}};
}

// The id in /api/sources/{id}.
Expected<std::int64_t> source_id(const Request& request) {
  return path_id(request.path, kPrefix, "a source id", "/api/sources");
}

// The caller's name when it may change sources, else the refusal.
Expected<std::string> editor(const Request& request, const Context& context,
                             std::optional<Response>& refusal) {
  std::string who;
  if (context.tokens == nullptr) {
    return make_error(ErrorCode::forbidden,
                      "Changing sources needs a tokens file: start hotspotd with --tokens FILE "
                      "(hotspot token new --role editor --name NAME makes one)");
  }
  refusal = authorize(request, context, auth::Role::editor, &who);
  return who;
}

// What an upload says about itself: the source's description and the
// reader options, from the query and (multipart) the form's text fields.
struct Upload {
  data::SourceDescription description;
  data::IncidentSourceOptions reader;
  std::shared_ptr<BodyFile> file;  // kept until the work is done
};

Expected<Upload> read_upload(const Request& request, const Context& context) {
  Upload upload;
  std::vector<std::pair<std::string, std::string>> params = request.query;
  upload.file = request.body_file;
  if (const std::string* type = request.header("content-type")) {
    if (auto boundary = multipart_boundary(*type)) {
      if (!upload.file) return make_error(ErrorCode::invalid_parameter, "The upload has no body");
      auto form = read_multipart(*upload.file, *boundary, context.sources.upload_folder);
      if (!form) return form.error();
      upload.file = form->file;
      upload.description.file_name = data::file_name(form->file_name);
      for (auto& field : form->fields) params.push_back(std::move(field));
    }
  }
  if (!upload.file || upload.file->size == 0) {
    return make_error(ErrorCode::invalid_parameter,
                      "The upload has no file: send it as the request body (curl --data-binary "
                      "@FILE) or as a multipart/form-data file field");
  }
  std::vector<std::pair<std::string, std::string>> reader_options;
  std::string kind;
  for (const auto& [key, value] : params) {
    std::string* field = key == "kind"        ? &kind
                         : key == "name"      ? &upload.description.name
                         : key == "licence"   ? &upload.description.licence
                         : key == "file_name" ? &upload.description.file_name
                                              : nullptr;
    if (field != nullptr) {
      if (!field->empty() && key != "file_name") {
        return make_error(ErrorCode::invalid_parameter, "Parameter '" + key + "' is given twice");
      }
      *field = value;
    } else {
      reader_options.emplace_back(key, value);
    }
  }
  const auto format = data::parse_incident_format(kind);
  if (!format || *format == data::IncidentFormat::detect) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'kind' must name the source's kind: police-uk, police-extract, "
                      "council-asb, fire, ae-assault, csv or geojson (see docs/sources.md); got '" +
                          kind + "'");
  }
  if (upload.description.name.empty() || upload.description.name.size() > kMaxNameBytes) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'name' must name the source in 1 to 200 bytes, e.g. "
                      "name=Durham%20police.uk%202024-03");
  }
  auto reader = data::incident_source_options(upload.file->path(), reader_options, "/api/sources");
  if (!reader) return reader.error();
  upload.reader = std::move(*reader);
  upload.reader.format = *format;
  upload.description.kind = kind;
  for (const auto& [key, value] : reader_options) {
    upload.description.options += (upload.description.options.empty() ? "" : "&") + key + "=" + value;
  }
  if (upload.description.file_name.empty()) upload.description.file_name = "upload";
  return upload;
}

// After a committed change: the new snapshot, and what to tell the client.
nlohmann::json refreshed(const Context& context) {
  if (!context.reload) return {{"served", false}, {"reason", "reloading is not set up"}};
  const ReloadOutcome outcome = context.reload();
  const auto served = context.store->current();
  return {{"served", outcome.failures.empty()},
          {"snapshot_version", served->version},
          {"incidents", served->incidents->size()},
          {"failures", outcome.failures}};
}

using Change = std::function<Expected<data::SourceRecord>(
    const data::SourceDescription&, data::PreparedRows&, const std::string& who)>;

// Reads the upload against the served wards, applies `change`, swaps in
// the new snapshot: one deferred job on the pool, with the upload limit.
Response store_upload(const Request& request, const Context& context, int status, Change change) {
  std::optional<Response> refusal;
  auto who = editor(request, context, refusal);
  if (!who) return error_response(who.error());
  if (refusal) return *refusal;
  Response response;
  response.time_limit = context.sources.time_limit;
  // Everything after the token check runs on the pool: a multipart body of
  // hundreds of MiB is copied out of its spool file there, not on the
  // connection's thread.
  response.deferred = [&context, request, who = *who, status,
                       change = std::move(change)](const Deadline&) -> Response {
    auto read = read_upload(request, context);
    if (!read) return error_response(read.error());
    const Upload& upload = *read;
    const auto snapshot = context.store->current();
    data::IncidentSourceOptions reader = upload.reader;
    reader.venues = snapshot->venues;  // the served list (--venues), for ae-assault
    auto prepared = data::prepare_rows(reader, *snapshot->wards, context.sources.study_area_buffer);
    if (!prepared) return error_response(prepared.error());
    prepared->report.path = upload.description.file_name;
    if (prepared->report.rows_accepted == 0) {
      Response refused = error_response(make_error(
          ErrorCode::empty_input, "No row of the file could be used; nothing was stored"));
      nlohmann::json body = nlohmann::json::parse(refused.body);
      body["error"]["report"] = file_report_json(prepared->report);
      refused.body = body.dump();
      return refused;
    }
    auto record = change(upload.description, *prepared, who);
    if (!record) return error_response(record.error());
    std::fprintf(stderr, "sources: %s stored source %lld '%s' (%zu rows)\n",
                 escape_for_log(who).c_str(), static_cast<long long>(record->id),
                 escape_for_log(record->name).c_str(), prepared->report.rows_accepted);
    Response done = json_response({{"source", record_json(*record)},
                                   {"report", file_report_json(prepared->report)},
                                   {"snapshot", refreshed(context)}});
    done.status = status;
    done.headers.emplace_back("Location", std::string(kPrefix) + std::to_string(record->id));
    return done;
  };
  return response;
}

}  // namespace

Response handle_sources_list(const Request& request, const Context& context) {
  if (!context.sources.store) return no_store();
  bool withdrawn = false;
  for (const auto& [key, value] : request.query) {
    if (key != "withdrawn" || (value != "true" && value != "false")) {
      return error_response(make_error(ErrorCode::invalid_parameter,
                                       "GET /api/sources takes only withdrawn=true|false"));
    }
    withdrawn = value == "true";
  }
  auto records = context.sources.store->list(withdrawn);
  if (!records) return error_response(records.error());
  auto version = context.sources.store->version();
  auto list = nlohmann::json::array();
  for (const auto& record : *records) list.push_back(record_json(record));
  Response response = json_response(
      {{"sources", std::move(list)},
       {"store", {{"backend", context.sources.store->is_postgres() ? "postgresql" : "geopackage"},
                  {"version", version ? nlohmann::json(*version) : nlohmann::json(nullptr)},
                  {"served_version", context.store->current()->store_version}}}});
  return response;
}

Response handle_source_get(const Request& request, const Context& context) {
  if (!context.sources.store) return no_store();
  auto id = source_id(request);
  if (!id) return error_response(id.error());
  auto record = context.sources.store->get(*id);
  if (!record) return error_response(record.error());
  Response response = json_response({{"source", record_json(*record)}});
  return response;
}

Response handle_source_add(const Request& request, const Context& context) {
  if (!context.sources.store) return no_store();
  auto store = context.sources.store;
  return store_upload(request, context, 201,
                      [store](const data::SourceDescription& source, data::PreparedRows& rows,
                              const std::string& who) { return store->add(source, rows, who); });
}

Response handle_source_replace(const Request& request, const Context& context) {
  if (!context.sources.store) return no_store();
  auto id = source_id(request);
  if (!id) return error_response(id.error());
  auto store = context.sources.store;
  return store_upload(request, context, 200,
                      [store, id = *id](const data::SourceDescription& source,
                                        data::PreparedRows& rows, const std::string& who) {
                        return store->replace(id, source, rows, who);
                      });
}

Response handle_source_remove(const Request& request, const Context& context) {
  if (!context.sources.store) return no_store();
  std::optional<Response> refusal;
  auto who = editor(request, context, refusal);
  if (!who) return error_response(who.error());
  if (refusal) return *refusal;
  auto id = source_id(request);
  if (!id) return error_response(id.error());
  if (!request.query.empty()) {
    return error_response(make_error(ErrorCode::unknown_parameter,
                                     "DELETE /api/sources/{id} takes no parameters"));
  }
  Response response;
  response.time_limit = context.sources.time_limit;
  response.deferred = [&context, id = *id, who = *who](const Deadline&) -> Response {
    auto record = context.sources.store->remove(id, who);
    if (!record) return error_response(record.error());
    std::fprintf(stderr, "sources: %s withdrew source %lld '%s'\n", escape_for_log(who).c_str(),
                 static_cast<long long>(id), escape_for_log(record->name).c_str());
    Response done = json_response({{"source", record_json(*record)}, {"snapshot", refreshed(context)}});
    return done;
  };
  return response;
}

}  // namespace hotspot::http
