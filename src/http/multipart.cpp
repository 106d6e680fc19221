// multipart/form-data (RFC 7578) read from a spooled body, a block at a
// time: the file part is copied to its own file, never held in memory.

#include "hotspot/http/multipart.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include <unistd.h>

namespace hotspot::http {
namespace {

constexpr std::size_t kBlock = std::size_t{1} << 20;
constexpr std::size_t kMaxPartHeader = 16 * 1024;
constexpr std::size_t kMaxFieldBytes = 4096;

Error malformed(std::string why) {
  return make_error(ErrorCode::invalid_parameter,
                    "The multipart/form-data body cannot be read: " + std::move(why));
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The value of `key` ("name", "filename", "boundary") in a header value such
// as 'form-data; name="file"; filename="march.csv"', unquoted; nullopt when absent.
std::optional<std::string> header_parameter(std::string_view value, std::string_view key) {
  const std::string low = lower(value);
  for (std::size_t at = low.find(';'); at != std::string::npos; at = low.find(';', at + 1)) {
    std::size_t k = at + 1;
    while (k < low.size() && low[k] == ' ') ++k;
    if (low.compare(k, key.size(), key) != 0 || k + key.size() >= low.size() ||
        low[k + key.size()] != '=') {
      continue;
    }
    std::size_t v = k + key.size() + 1;
    if (v < value.size() && value[v] == '"') {
      const std::size_t close = value.find('"', v + 1);
      if (close == std::string::npos) return std::nullopt;
      return std::string(value.substr(v + 1, close - v - 1));
    }
    const std::size_t end = value.find(';', v);
    return std::string(value.substr(v, end == std::string::npos ? std::string::npos : end - v));
  }
  return std::nullopt;
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Reads the body a block at a time, keeping unread bytes in `buffer`.
class Reader {
 public:
  explicit Reader(std::FILE* in) : in_(in) {}
  // Ensures at least `n` buffered bytes unless the body ends first.
  bool fill(std::size_t n) {
    while (buffer.size() < n) {
      const std::size_t old = buffer.size();
      buffer.resize(old + kBlock);
      const std::size_t got = std::fread(buffer.data() + old, 1, kBlock, in_);
      buffer.resize(old + got);
      if (got == 0) return false;
    }
    return true;
  }
  std::string buffer;

 private:
  std::FILE* in_;
};

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  if (lower(content_type.substr(0, 19)) != "multipart/form-data") return std::nullopt;
  auto boundary = header_parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) return std::nullopt;
  return boundary;
}

Expected<MultipartForm> read_multipart(const BodyFile& body, const std::string& boundary,
                                       const std::filesystem::path& folder) {
  File in(std::fopen(body.path().c_str(), "rb"));
  if (!in) return make_error(ErrorCode::internal, "The spooled upload cannot be read");
  Reader reader(in.get());
  const std::string first = "--" + boundary;
  const std::string delimiter = "\r\n--" + boundary;
  // Preamble, then the first boundary line.
  reader.fill(kMaxPartHeader);
  std::size_t at = reader.buffer.find(first);
  if (at == std::string::npos) return malformed("its boundary does not appear");
  reader.buffer.erase(0, at + first.size());
  MultipartForm form;
  for (;;) {
    reader.fill(2);
    if (reader.buffer.compare(0, 2, "--") == 0) break;  // the closing boundary
    if (reader.buffer.compare(0, 2, "\r\n") != 0) return malformed("a boundary line is broken");
    reader.fill(kMaxPartHeader);
    const std::size_t headers_end = reader.buffer.find("\r\n\r\n");
    if (headers_end == std::string::npos) return malformed("a part's headers do not end");
    const std::string headers = reader.buffer.substr(2, headers_end - 2);
    reader.buffer.erase(0, headers_end + 4);
    std::optional<std::string> name, file_name;
    for (std::size_t line = 0; line < headers.size();) {
      std::size_t eol = headers.find("\r\n", line);
      if (eol == std::string::npos) eol = headers.size();
      const std::string_view h(headers.data() + line, eol - line);
      if (lower(h.substr(0, 20)) == "content-disposition:") {
        name = header_parameter(h, "name");
        file_name = header_parameter(h, "filename");
      }
      line = eol + 2;
    }
    if (!name) return malformed("a part has no name in its Content-Disposition");

    // The part's content, up to the next delimiter.
    File out;
    std::string path;
    if (file_name) {
      if (form.file) return malformed("it holds more than one file; upload one at a time");
      path = (folder / "hotspot-part-XXXXXX").string();
      const int fd = ::mkstemp(path.data());
      if (fd < 0) return make_error(ErrorCode::insufficient_storage, "The upload cannot be kept");
      out.reset(::fdopen(fd, "wb"));
      form.file = std::make_shared<BodyFile>(path);
      form.file_name = *file_name;
      form.file_field = *name;
    }
    std::string field;
    for (;;) {
      reader.fill(delimiter.size() + kBlock);
      const std::size_t end = reader.buffer.find(delimiter);
      // Bytes certainly before the delimiter: all but a possible start of it.
      const std::size_t safe = end != std::string::npos
                                   ? end
                                   : reader.buffer.size() >= delimiter.size()
                                         ? reader.buffer.size() - delimiter.size() + 1
                                         : 0;
      if (end == std::string::npos && safe == 0) return malformed("the body ends inside a part");
      if (out) {
        if (std::fwrite(reader.buffer.data(), 1, safe, out.get()) != safe) {
          return make_error(ErrorCode::insufficient_storage,
                            "The server's disk is full: the upload could not be kept");
        }
        form.file->size += safe;
      } else {
        field.append(reader.buffer, 0, safe);
        if (field.size() > kMaxFieldBytes) {
          return malformed("the field '" + *name + "' is longer than 4096 bytes");
        }
      }
      reader.buffer.erase(0, safe);
      if (end != std::string::npos) break;
    }
    reader.buffer.erase(0, delimiter.size());
    if (out && std::fclose(out.release()) != 0) {
      return make_error(ErrorCode::insufficient_storage,
                        "The server's disk is full: the upload could not be kept");
    }
    if (!file_name) form.fields.emplace_back(*name, std::move(field));
  }
  if (!form.file) return malformed("it holds no file part (a field with a filename)");
  return form;
}

}  // namespace hotspot::http
