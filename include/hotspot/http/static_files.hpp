#pragma once
// Static files (the map page) from one root directory: "/" is index.html,
// a short list of MIME types, no directory listings, and nothing outside the
// root: ".." segments are refused and the resolved path (symlinks followed)
// must still lie inside the root.

#include "hotspot/http/request.hpp"

#include <filesystem>
#include <string_view>

namespace hotspot::http {

// The MIME type for a file name's extension; empty for types we do not serve.
std::string_view mime_type(std::string_view filename);

// Answers GET `request.path` from `root` (404 for anything not servable).
Response serve_static(const Request& request, const std::filesystem::path& root);

}  // namespace hotspot::http
