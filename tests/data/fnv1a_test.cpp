// The one FNV-1a: the published test values, and the content hash giving one
// value however the bytes arrive (whole, in blocks, on any thread count).

#include "hotspot/data/fnv1a.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hotspot::data {
namespace {

TEST(Fnv1a, MatchesThePublishedValues) {
  // From the FNV reference (isthe.com/chongo/tech/comp/fnv): FNV-1a 64.
  EXPECT_EQ(fnv1a(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a("foobar"), 0x85944171f73967e8ull);
  EXPECT_EQ(hex64(fnv1a("a")), "af63dc4c8601ec8c");
}

TEST(Fnv1a, FieldsAreSeparated) {
  Fnv1a ab_c, a_bc;
  ab_c.add_field("ab");
  ab_c.add_field("c");
  a_bc.add_field("a");
  a_bc.add_field("bc");
  EXPECT_NE(ab_c.h, a_bc.h);
}

std::string bytes(std::size_t n) {
  std::string out(n, '\0');
  std::uint32_t x = 12345;
  for (char& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

TEST(ContentHash, SameValueWholeInBlocksAndOnAnyThreads) {
  constexpr std::size_t kPiece = ContentHasher::kPiece;
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, kPiece - 1, kPiece, kPiece + 1,
                        4 * kPiece, 9 * kPiece + 7}) {
    const std::string data = bytes(n);
    const std::uint64_t whole = content_hash(data, 1);
    EXPECT_EQ(content_hash(data, 2), whole) << n;
    EXPECT_EQ(content_hash(data, 3), whole) << n;
    for (std::size_t block : {std::size_t{1000}, std::size_t{65536}, kPiece + 3}) {
      if (n > 3 * kPiece && block == 1000) continue;  // slow and adds nothing
      ContentHasher streamed;
      for (std::size_t at = 0; at < n; at += block) {
        const std::size_t take = std::min(block, n - at);
        streamed.add(data.data() + at, take);
      }
      EXPECT_EQ(streamed.finish(), whole) << n << " in blocks of " << block;
    }
  }
}

TEST(ContentHash, EveryByteAndTheLengthCount) {
  const std::string data = bytes(5 * ContentHasher::kPiece + 11);
  const std::uint64_t base = content_hash(data);
  for (std::size_t at : {std::size_t{0}, ContentHasher::kPiece, 3 * ContentHasher::kPiece + 5,
                         data.size() - 1}) {
    std::string changed = data;
    changed[at] = static_cast<char>(changed[at] ^ 1);
    EXPECT_NE(content_hash(changed), base) << at;
  }
  EXPECT_NE(content_hash(std::string(10, '\0')), content_hash(std::string(11, '\0')));
}

}  // namespace
}  // namespace hotspot::data
