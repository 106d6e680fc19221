#pragma once
// FNV-1a (64-bit), the one implementation: a stable hash (std::hash may
// differ between builds) for the snapshot version (a cache key part), cluster
// ids and the short hash in download file names. Not for security: anyone
// can make two inputs with the same FNV-1a hash on purpose.
//
// File contents go through content_hash(): FNV-1a of each 1 MiB piece, then
// FNV-1a over the pieces' hashes and the length. The pieces are independent,
// so a large file in memory is hashed in parallel and several pieces at once
// per thread (FNV-1a alone is one multiply chain, about 4 cycles a byte); a
// file read in blocks (ContentHasher) gives the same value.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hotspot::data {

struct Fnv1a {
  static constexpr std::uint64_t kOffset = 14695981039346656037ull;
  static constexpr std::uint64_t kPrime = 1099511628211ull;

  std::uint64_t h = kOffset;

  void add(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint64_t v = h;
    for (std::size_t i = 0; i < n; ++i) {
      v ^= p[i];
      v *= kPrime;
    }
    h = v;
  }
  void add(std::string_view s) { add(s.data(), s.size()); }
  // A field of a record: the text and a terminator, so that ("ab", "c") and
  // ("a", "bc") differ.
  void add_field(std::string_view s) {
    add(s);
    add("", 1);
  }
  void add(std::int64_t v) { add(&v, sizeof v); }
  void add(std::uint64_t v) { add(&v, sizeof v); }
  void add(double v) { add(&v, sizeof v); }
};

// FNV-1a of `bytes`.
inline std::uint64_t fnv1a(std::string_view bytes) {
  Fnv1a hash;
  hash.add(bytes);
  return hash.h;
}

// 16 lower-case hex digits.
std::string hex64(std::uint64_t value);

// The content hash of bytes fed in order, in blocks of any size.
class ContentHasher {
 public:
  static constexpr std::size_t kPiece = std::size_t{1} << 20;

  void add(const void* data, std::size_t n);
  std::uint64_t finish() const;

 private:
  Fnv1a pieces_;       // over the hashes of the finished pieces
  Fnv1a piece_;        // the piece being filled
  std::size_t in_piece_ = 0;
  std::uint64_t total_ = 0;
};

// The content hash of a whole buffer (equal to ContentHasher's), on up to
// `threads` threads (0: one per hardware thread).
std::uint64_t content_hash(std::string_view bytes, unsigned threads = 0);

}  // namespace hotspot::data
