#pragma once
// multipart/form-data bodies (RFC 7578), as the page sends a file with
// fetch(FormData): read from the spooled body file, the file part copied
// to a file of its own.

#include "hotspot/common/error.hpp"
#include "hotspot/http/request.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotspot::http {

struct MultipartForm {
  std::shared_ptr<BodyFile> file;  // the one part with a filename
  std::string file_name;           // as the client named it
  std::string file_field;          // the part's field name
  // The other (text) fields, in order; each at most 4 KiB.
  std::vector<std::pair<std::string, std::string>> fields;
};

// The boundary of a multipart/form-data Content-Type; nullopt for any
// other type or a missing or over-long boundary.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Reads `body`. Malformed bodies, more than one file or none are Errors
// (invalid_parameter); a full disk is insufficient_storage.
Expected<MultipartForm> read_multipart(const BodyFile& body, const std::string& boundary,
                                       const std::filesystem::path& folder);

}  // namespace hotspot::http
