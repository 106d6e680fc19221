// The OGC API's HTML: one generic view of its JSON documents, and the
// choices every OGC handler makes (links' base, JSON or HTML).
#include "hotspot/http/ogc.hpp"

#include "hotspot/engine/ogc.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <vector>

namespace hotspot::http {
namespace {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

bool is_link(const nlohmann::json& value) {
  return value.is_object() && value.contains("href") && value["href"].is_string();
}

std::string scalar(const nlohmann::json& value) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.starts_with("http://") || text.starts_with("https://")) {
      return "<a href=\"" + escape(text) + "\">" + escape(text) + "</a>";
    }
    return escape(text);
  }
  return escape(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void write(std::string& out, const nlohmann::json& value, int depth);

// A link as an anchor, with its relation and media type beside it.
void write_link(std::string& out, const nlohmann::json& link) {
  out += "<a href=\"" + escape(link["href"].get<std::string>()) + "\">";
  out += escape(link.value("title", link["href"].get<std::string>())) + "</a>";
  out += " <small>" + escape(link.value("rel", "")) + " " + escape(link.value("type", "")) +
         "</small>";
}

// An array of objects as a table, one column per member (geometry shown by type).
void write_table(std::string& out, const nlohmann::json& rows, int depth) {
  std::vector<std::string> columns;
  std::set<std::string> seen;
  for (const auto& row : rows) {
    const nlohmann::json& cells = row.contains("properties") ? row["properties"] : row;
    if (row.contains("id") && seen.insert("id").second) columns.insert(columns.begin(), "id");
    for (const auto& [key, value] : cells.items()) {
      if (seen.insert(key).second) columns.push_back(key);
    }
  }
  out += "<table><tr>";
  for (const auto& column : columns) out += "<th>" + escape(column) + "</th>";
  out += "</tr>";
  for (const auto& row : rows) {
    const nlohmann::json& cells = row.contains("properties") ? row["properties"] : row;
    out += "<tr>";
    for (const auto& column : columns) {
      out += "<td>";
      const nlohmann::json* cell = cells.contains(column) ? &cells[column]
                                   : row.contains(column) ? &row[column]
                                                          : nullptr;
      if (cell) write(out, *cell, depth + 1);
      out += "</td>";
    }
    out += "</tr>";
  }
  out += "</table>";
}

void write(std::string& out, const nlohmann::json& value, int depth) {
  if (is_link(value)) {
    write_link(out, value);
  } else if (value.is_object()) {
    if (value.contains("type") && value.contains("coordinates")) {
      out += escape(value["type"].get<std::string>());  // a geometry: its type is enough here
      return;
    }
    out += "<dl>";
    for (const auto& [key, member] : value.items()) {
      out += "<dt>" + escape(key) + "</dt><dd>";
      write(out, member, depth + 1);
      out += "</dd>";
    }
    out += "</dl>";
  } else if (value.is_array()) {
    const bool objects = !value.empty() && std::all_of(value.begin(), value.end(), [](const auto& v) {
      return v.is_object() && !is_link(v);
    });
    if (objects && depth < 3) {
      write_table(out, value, depth);
      return;
    }
    out += "<ul>";
    for (const auto& item : value) {
      out += "<li>";
      write(out, item, depth + 1);
      out += "</li>";
    }
    out += "</ul>";
  } else {
    out += scalar(value);
  }
}

bool host_is_plain(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::span<const std::string_view> ogc_items_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out(engine::OgcItemsParams::names().begin(),
                                      engine::OgcItemsParams::names().end());
    out.emplace_back("f");
    return out;
  }();
  return names;
}

std::string base_url(const Request& request) {
  const std::string* host = request.header("host");
  return "http://" + (host && host_is_plain(*host) ? *host : std::string("localhost"));
}

Expected<bool> wants_html(const Request& request, const engine::Query& query) {
  if (const auto* f = query.get("f")) {
    if (*f == "html") return true;
    if (*f == "json") return false;
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'f': '" + *f + "' is not a format served here; use json or html");
  }
  const std::string* accept = request.header("accept");
  if (!accept) return false;
  const std::size_t html = accept->find("text/html");
  const std::size_t json = accept->find("json");
  return html != std::string::npos && (json == std::string::npos || html < json);
}

std::string ogc_html(std::string_view title, const nlohmann::json& document) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
      escape(title) +
      "</title><style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top;text-align:left}"
      "dt{font-weight:bold}small{color:#666}</style></head><body><h1>" +
      escape(title) + "</h1>";
  if (document.is_object() && document.contains("links")) {
    out += "<ul>";
    for (const auto& link : document["links"]) {
      if (!is_link(link)) continue;
      out += "<li>";
      write_link(out, link);
      out += "</li>";
    }
    out += "</ul>";
  }
  nlohmann::json rest = document;
  if (rest.is_object()) {
    rest.erase("links");
    rest.erase("metadata");  // the JSON answer has it; it would drown the features
  }
  write(out, rest, 0);
  out += "</body></html>\n";
  return out;
}

Response ogc_document(const nlohmann::json& body, bool html, std::string_view title,
                      std::string_view json_type) {
  Response response;
  if (html) {
    response.content_type = std::string(kHtmlType) + "; charset=utf-8";
    response.body = ogc_html(title, body);
  } else {
    response = json_response(body);
    response.content_type = std::string(json_type);
  }
  response.headers.emplace_back("Vary", "Accept");
  return response;
}

}  // namespace hotspot::http
