#include "hotspot/auth/tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hotspot::auth {
namespace {

constexpr std::string_view kDigestPrefix = "sha256:";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_digest(std::string_view text, Digest& out) {
  if (!text.starts_with(kDigestPrefix)) return false;
  text.remove_prefix(kDigestPrefix.size());
  if (text.size() != 2 * out.size()) return false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return true;
}

}  // namespace

bool valid_token_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

namespace {

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::string base64url(const unsigned char* bytes, std::size_t n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    bits = (bits << 8) | bytes[i];
    count += 8;
    while (count >= 6) {
      count -= 6;
      out += kAlphabet[(bits >> count) & 63];
    }
  }
  if (count > 0) out += kAlphabet[(bits << (6 - count)) & 63];
  return out;
}

}  // namespace

bool role_allows(Role held, Role needed) {
  return held == Role::editor || needed == Role::viewer;
}

const char* role_name(Role role) { return role == Role::editor ? "editor" : "viewer"; }

Expected<Role> parse_role(std::string_view text) {
  if (text == "editor") return Role::editor;
  if (text == "viewer") return Role::viewer;
  return make_error(ErrorCode::invalid_parameter,
                    "the role '" + std::string(text) + "' is not editor or viewer");
}

Digest sha256(std::string_view text) {
  Digest out{};
  unsigned int length = 0;
  // One-shot EVP digest; it fails only when OpenSSL itself cannot work.
  if (EVP_Digest(text.data(), text.size(), out.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != out.size()) {
    // An all-zero digest matches no entry: a token file never holds it
    // (parse_tokens refuses it), so nothing is accepted.
    out.fill(0);
  }
  return out;
}

std::string to_hex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Expected<std::vector<Token>> parse_tokens(std::string_view text, std::string_view file) {
  std::vector<Token> out;
  std::size_t line_number = 0;
  auto bad = [&](const std::string& why) {
    return make_error(ErrorCode::invalid_parameter, std::string(file) + " line " +
                                                        std::to_string(line_number) + ": " + why);
  };
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto fields = fields_of(line);
    if (fields.empty() || fields[0].starts_with('#')) continue;
    if (fields.size() != 3) {
      return bad("expected 'sha256:<64 hex digits> <role> <name>', found " +
                 std::to_string(fields.size()) + " field(s)");
    }
    Token token;
    if (!parse_digest(fields[0], token.sha256) || token.sha256 == Digest{}) {
      return bad("the first field is not 'sha256:' and 64 hex digits (the token's SHA-256; "
                 "'hotspot token new' prints the line)");
    }
    auto role = parse_role(fields[1]);
    if (!role) return bad(role.error().message);
    token.role = *role;
    if (!valid_token_name(fields[2])) {
      return bad("the name must be 1 to 64 letters, digits, '.', '_', '@' or '-'");
    }
    token.name = std::string(fields[2]);
    for (const Token& earlier : out) {
      if (earlier.sha256 == token.sha256) return bad("the same token as '" + earlier.name + "'");
    }
    out.push_back(std::move(token));
  }
  return out;
}

Expected<std::vector<Token>> read_tokens(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::unreadable_input,
                      "cannot open the tokens file '" + path + "': " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error(ErrorCode::unreadable_input, "cannot read '" + path + "'");
  return parse_tokens(text.str(), path);
}

const Token* match(std::span<const Token> tokens, std::string_view presented) {
  if (presented.empty()) return nullptr;
  const Digest digest = sha256(presented);
  const Token* found = nullptr;
  for (const Token& token : tokens) {
    // No early exit: every entry costs the same whether it matches or not.
    const bool same = CRYPTO_memcmp(token.sha256.data(), digest.data(), digest.size()) == 0;
    if (same && found == nullptr) found = &token;
  }
  return found;
}

std::string_view bearer_token(std::string_view authorization) {
  // RFC 6750: "Bearer" (any case), one or more spaces, the token.
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) return {};
  }
  std::string_view rest = authorization.substr(kScheme.size());
  if (rest.front() != ' ') return {};
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of(" \t") != std::string_view::npos) return {};
  return rest;
}

Expected<std::string> new_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return make_error(ErrorCode::internal, "OpenSSL could not supply random bytes");
  }
  std::string token = base64url(bytes, sizeof bytes);
  OPENSSL_cleanse(bytes, sizeof bytes);
  return token;
}

std::string token_line(std::string_view token, Role role, std::string_view name) {
  return std::string(kDigestPrefix) + to_hex(sha256(token)) + " " + role_name(role) + " " +
         std::string(name);
}

Expected<std::size_t> TokenStore::reload() {
  auto tokens = read_tokens(path_);
  if (!tokens) {
    tokens_.store(std::make_shared<const std::vector<Token>>());
    return tokens.error();
  }
  const std::size_t count = tokens->size();
  tokens_.store(std::make_shared<const std::vector<Token>>(std::move(*tokens)));
  return count;
}

}  // namespace hotspot::auth
