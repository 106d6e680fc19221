#pragma once
// The `format` parameter: every endpoint that answers a GeoJSON
// FeatureCollection can instead serve it as a GeoPackage, zipped Shapefile,
// KML, CSV or FlatGeobuf download. Handled once, around the handler, so the
// handlers (and the response cache) only ever deal in GeoJSON.

#include "hotspot/http/request.hpp"
#include "hotspot/http/service.hpp"

#include <string_view>

namespace hotspot::http {

// True for the paths whose answer is a GeoJSON FeatureCollection; only these
// take `format` (elsewhere it stays an unknown parameter).
bool takes_format(std::string_view path);

// Runs `handler` without the `format` parameter, then converts its 200
// GeoJSON answer to the format asked for, with Content-Disposition:
// attachment and a file name made of the endpoint, the parameters and the
// date. Without `format` this is just handler(request, context).
Response with_format(Handler handler, const Request& request, const Context& context);

}  // namespace hotspot::http
