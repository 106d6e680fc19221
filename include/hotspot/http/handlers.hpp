#pragma once
// The endpoint handlers. Each reads parse -> validate -> compute -> render
// and returns errors through error_response(); none throws on bad input.

#include "hotspot/http/request.hpp"
#include "hotspot/http/service.hpp"

namespace hotspot::http {

Response handle_health(const Request& request, const Context& context);
Response handle_layers(const Request& request, const Context& context);
Response handle_wards(const Request& request, const Context& context);
Response handle_town_centres(const Request& request, const Context& context);
Response handle_incidents(const Request& request, const Context& context);
Response handle_load_report(const Request& request, const Context& context);

}  // namespace hotspot::http
