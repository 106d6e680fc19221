#include "hotspot/http/static_files.hpp"

#include "hotspot/http/errors.hpp"

#include <array>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace hotspot::http {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kMimeTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".geojson", "application/geo+json"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
    {".ico", "image/x-icon"},
    {".map", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
    {".webmanifest", "application/manifest+json"},
}};

constexpr std::uintmax_t kMaxStaticFileBytes = 64u << 20;

Response not_found(std::string_view path) {
  return error_response(make_error(ErrorCode::not_found, "No such file: " + std::string(path)));
}

// True when `inner` is `root` or lies below it (both canonical).
bool inside(const std::filesystem::path& root, const std::filesystem::path& inner) {
  auto r = root.begin();
  auto i = inner.begin();
  for (; r != root.end(); ++r, ++i) {
    if (i == inner.end() || *r != *i) return false;
  }
  return true;
}

}  // namespace

std::string_view mime_type(std::string_view filename) {
  const std::size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos) return {};
  const std::string_view ext = filename.substr(dot);
  for (const auto& [e, type] : kMimeTypes) {
    if (e == ext) return type;
  }
  return {};
}

Response serve_static(const Request& request, const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::string_view path = request.path;
  if (path.empty() || path.front() != '/') return not_found(path);
  // The path is already percent-decoded, so "%2e%2e" arrives here as "..".
  // Refuse any dot-segment, backslash or empty segment outright rather than
  // normalising it: a well-behaved client never sends one.
  std::string relative;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::string_view segment =
        path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    const bool last = slash == std::string_view::npos;
    if (segment == "." || segment == ".." || segment.find('\\') != std::string_view::npos) {
      return not_found(path);
    }
    if (segment.empty() && !last) return not_found(path);
    if (!relative.empty() && !segment.empty()) relative.push_back('/');
    relative.append(segment);
    if (last) break;
    start = slash + 1;
  }
  if (relative.empty() || path.back() == '/') {
    // "/" is the page; any other directory path is not listed.
    if (path != "/") return not_found(path);
    relative = "index.html";
  }

  std::error_code ec;
  const fs::path canonical_root = fs::weakly_canonical(root, ec);
  if (ec) return not_found(path);
  const fs::path resolved = fs::weakly_canonical(canonical_root / relative, ec);
  // weakly_canonical follows symlinks: a link pointing out of the root lands
  // outside and is refused here.
  if (ec || !inside(canonical_root, resolved)) return not_found(path);
  const auto status = fs::status(resolved, ec);
  if (ec || !fs::is_regular_file(status)) return not_found(path);
  const std::string_view type = mime_type(resolved.filename().string());
  if (type.empty()) return not_found(path);
  const auto size = fs::file_size(resolved, ec);
  if (ec || size > kMaxStaticFileBytes) return not_found(path);

  std::ifstream in(resolved, std::ios::binary);
  if (!in) return not_found(path);
  Response response;
  response.content_type = std::string(type);
  response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

}  // namespace hotspot::http
