#pragma once
// Bearer tokens for the admin endpoints. The tokens file holds only the
// SHA-256 of each token, one per line:
//
//   # comment
//   sha256:<64 hex digits> <role> <name>
//
// roles: editor (may reload and change sources, and read), viewer (may read
// when reading is private, hotspotd --private). A presented token is hashed
// and compared with every entry in constant time. SHA-256 and the random
// bytes of a new token come from OpenSSL's libcrypto.

#include "hotspot/common/error.hpp"

#include <array>
#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::auth {

enum class Role { viewer, editor };
const char* role_name(Role role);
// Whether a token of role `held` may do what `needed` may: an editor may
// also read (viewer), a viewer only read.
bool role_allows(Role held, Role needed);

using Digest = std::array<unsigned char, 32>;

struct Token {
  Digest sha256{};
  Role role = Role::viewer;
  std::string name;  // who holds it, for the log
};

// SHA-256 of `text` (OpenSSL EVP).
Digest sha256(std::string_view text);
std::string to_hex(const Digest& digest);

// Parses a tokens file's text. A malformed line (not the form above, an
// unknown role, a digest seen before) is an Error naming `file` and the
// line number. Blank lines and lines starting with '#' are skipped.
Expected<std::vector<Token>> parse_tokens(std::string_view text, std::string_view file);
Expected<std::vector<Token>> read_tokens(const std::string& path);

// The entry for the token a client presented, or nullptr. Every entry is
// compared (CRYPTO_memcmp, no early exit), so the time taken does not say
// how much of a digest matched or which entry did.
const Token* match(std::span<const Token> tokens, std::string_view presented);

// The token in an "Authorization: Bearer <token>" header value, or empty
// when the value is not of that form.
std::string_view bearer_token(std::string_view authorization);

// A new token: 32 random bytes (RAND_bytes) in base64url without padding.
Expected<std::string> new_token();
// The tokens-file line for `token`.
std::string token_line(std::string_view token, Role role, std::string_view name);
// A token's name goes into the log: 1 to 64 letters, digits, '.', '_', '@', '-'.
bool valid_token_name(std::string_view name);
// "editor" or "viewer"; anything else is an Error.
Expected<Role> parse_role(std::string_view text);

// The tokens in force, read from one file and replaced whole by reload().
class TokenStore {
 public:
  explicit TokenStore(std::string path) : path_(std::move(path)) {}
  // Re-reads the file. On an error no token is accepted until a reload
  // succeeds (a revoked token must not stay valid because the file was
  // broken while it was edited); returns the number of tokens read.
  Expected<std::size_t> reload();
  std::shared_ptr<const std::vector<Token>> current() const { return tokens_.load(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::atomic<std::shared_ptr<const std::vector<Token>>> tokens_{
      std::make_shared<const std::vector<Token>>()};
};

}  // namespace hotspot::auth
