#pragma once
// The synthetic generators' random numbers (private to the data module).
// Distributions written out so that a seed means the same numbers with any
// standard library (only the engine, mt19937_64, is fully specified).

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <random>
#include <utility>

namespace hotspot::data::detail {

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  std::size_t below(std::size_t n) {
    return std::min(n - 1, static_cast<std::size_t>(uniform() * static_cast<double>(n)));
  }
  // Two independent standard normal draws (Box-Muller).
  std::pair<double, double> normal_pair() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double a = 2.0 * std::numbers::pi * u2;
    return {r * std::cos(a), r * std::sin(a)};
  }
  // Index drawn with the given weights (summing to about 1).
  template <std::size_t N>
  std::size_t pick(const std::array<double, N>& weights) {
    double u = uniform();
    for (std::size_t i = 0; i + 1 < N; ++i) {
      if (u < weights[i]) return i;
      u -= weights[i];
    }
    return N - 1;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace hotspot::data::detail
