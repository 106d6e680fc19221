// Content hashes: FNV-1a per 1 MiB piece, combined (see fnv1a.hpp).

#include "hotspot/data/fnv1a.hpp"

#include "hotspot/geo/parallel.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace hotspot::data {
namespace {

constexpr std::size_t kPiece = ContentHasher::kPiece;

// FNV-1a of four whole pieces at once: four independent multiply chains
// keep the multiplier busy (one chain waits on each multiply's latency).
void hash_four(const unsigned char* p, std::uint64_t out[4]) {
  std::uint64_t a = Fnv1a::kOffset, b = a, c = a, d = a;
  const unsigned char* pa = p;
  const unsigned char* pb = p + kPiece;
  const unsigned char* pc = p + 2 * kPiece;
  const unsigned char* pd = p + 3 * kPiece;
  for (std::size_t i = 0; i < kPiece; ++i) {
    a = (a ^ pa[i]) * Fnv1a::kPrime;
    b = (b ^ pb[i]) * Fnv1a::kPrime;
    c = (c ^ pc[i]) * Fnv1a::kPrime;
    d = (d ^ pd[i]) * Fnv1a::kPrime;
  }
  out[0] = a;
  out[1] = b;
  out[2] = c;
  out[3] = d;
}

// Combines the pieces' hashes and the length: the one definition both
// ContentHasher and content_hash() end with.
std::uint64_t combine(const std::uint64_t* pieces, std::size_t count, std::uint64_t total) {
  Fnv1a hash;
  for (std::size_t i = 0; i < count; ++i) hash.add(pieces[i]);
  hash.add(total);
  return hash.h;
}

}  // namespace

std::string hex64(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

void ContentHasher::add(const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  total_ += n;
  while (n > 0) {
    const std::size_t take = std::min(n, kPiece - in_piece_);
    piece_.add(p, take);
    in_piece_ += take;
    p += take;
    n -= take;
    if (in_piece_ == kPiece) {
      pieces_.add(piece_.h);
      piece_ = Fnv1a{};
      in_piece_ = 0;
    }
  }
}

std::uint64_t ContentHasher::finish() const {
  Fnv1a hash = pieces_;
  if (in_piece_ > 0) hash.add(piece_.h);
  hash.add(total_);
  return hash.h;
}

std::uint64_t content_hash(std::string_view bytes, unsigned threads) {
  const std::size_t whole = bytes.size() / kPiece;
  const bool partial = bytes.size() % kPiece != 0;
  std::vector<std::uint64_t> pieces(whole + (partial ? 1 : 0));
  const auto* base = reinterpret_cast<const unsigned char*>(bytes.data());
  // Pass 1: whole pieces in groups of four, the groups shared by the threads.
  const std::size_t groups = whole / 4;
  geo::parallel_slices(groups, threads, 1, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t g = begin; g < end; ++g) hash_four(base + g * 4 * kPiece, &pieces[g * 4]);
  });
  // Pass 2: the whole pieces left over and the partial last one, one by one.
  for (std::size_t i = groups * 4; i < pieces.size(); ++i) {
    const std::size_t length = std::min(kPiece, bytes.size() - i * kPiece);
    pieces[i] = fnv1a(bytes.substr(i * kPiece, length));
  }
  return combine(pieces.data(), pieces.size(), bytes.size());
}

}  // namespace hotspot::data
