#include "hotspot/analysis/poisson_test.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hotspot::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
// R's binom.test: outcomes within this relative factor of the observed
// probability count as "no more likely" (guards against rounding).
constexpr double kRelErr = 1 + 1e-7;
// A tail sum stops when the next term is this small relative to the sum.
constexpr double kNegligible = 1e-18;

// lgamma without touching the global signgam, so tests may run in any thread.
double log_gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

// Sum of P(X = j) over j = k, k-1, ..., 0 (downward) or k, k+1, ..., n
// (upward), starting at a term on the side of the mode away from which the
// terms shrink. Summed as multiples of the first term, then scaled, so no
// single term under- or overflows.
double tail_sum(std::uint64_t k, std::uint64_t n, double p, bool downward) {
  const double log_first = binomial_log_pmf(k, n, p);
  if (log_first == -kInf) return 0;
  const double odds = p / (1 - p);
  double term = 1;
  double sum = 1;
  if (downward) {
    // P(j-1) / P(j) = j (1 - p) / ((n - j + 1) p)
    for (std::uint64_t j = k; j > 0; --j) {
      term *= static_cast<double>(j) / (static_cast<double>(n - j + 1) * odds);
      sum += term;
      if (term < kNegligible * sum) break;
    }
  } else {
    // P(j+1) / P(j) = (n - j) p / ((j + 1) (1 - p))
    for (std::uint64_t j = k; j < n; ++j) {
      term *= static_cast<double>(n - j) * odds / static_cast<double>(j + 1);
      sum += term;
      if (term < kNegligible * sum) break;
    }
  }
  return std::exp(log_first + std::log(sum));
}

}  // namespace

double binomial_log_pmf(std::uint64_t k, std::uint64_t n, double p) {
  if (k > n || !(p >= 0 && p <= 1)) return -kInf;
  if (p == 0) return k == 0 ? 0 : -kInf;
  if (p == 1) return k == n ? 0 : -kInf;
  const double kd = static_cast<double>(k);
  const double nd = static_cast<double>(n);
  return log_gamma(nd + 1) - log_gamma(kd + 1) - log_gamma(nd - kd + 1) + kd * std::log(p) +
         (nd - kd) * std::log1p(-p);
}

double binomial_test_two_sided(std::uint64_t x, std::uint64_t n, double p) {
  if (!(p >= 0 && p <= 1) || x > n) return kNaN;
  if (n == 0) return 1;
  // Degenerate p: the one possible outcome has p-value 1, every other 0.
  if (p == 0) return x == 0 ? 1 : 0;
  if (p == 1) return x == n ? 1 : 0;

  const double mean = static_cast<double>(n) * p;
  const double xd = static_cast<double>(x);
  if (xd == mean) return 1;
  const double log_threshold = binomial_log_pmf(x, n, p) + std::log(kRelErr);
  double pv = 0;
  if (xd < mean) {
    // Observed below the mean. On [ceil(mean), n] the pmf does not increase,
    // so the outcomes there no more likely than x form a suffix [k, n]; find
    // its start by bisection.
    std::uint64_t lo = static_cast<std::uint64_t>(std::ceil(mean));
    std::uint64_t hi = n + 1;  // first index known to qualify (n + 1: none)
    while (lo < hi) {
      const std::uint64_t mid = lo + (hi - lo) / 2;
      if (binomial_log_pmf(mid, n, p) <= log_threshold) hi = mid; else lo = mid + 1;
    }
    pv = tail_sum(x, n, p, /*downward=*/true) + (hi <= n ? tail_sum(hi, n, p, false) : 0);
  } else {
    // Observed above the mean. On [0, floor(mean)] the pmf does not decrease,
    // so the qualifying outcomes form a prefix [0, y); find y by bisection.
    std::uint64_t lo = 0;
    std::uint64_t hi = static_cast<std::uint64_t>(std::floor(mean)) + 1;  // y lies in [0, hi]
    while (lo < hi) {
      const std::uint64_t mid = lo + (hi - lo) / 2;
      if (binomial_log_pmf(mid, n, p) <= log_threshold) lo = mid + 1; else hi = mid;
    }
    const std::uint64_t y = lo;
    pv = (y > 0 ? tail_sum(y - 1, n, p, true) : 0) + tail_sum(x, n, p, /*downward=*/false);
  }
  return std::min(1.0, pv);
}

PoissonComparison poisson_rate_test(std::uint64_t a, std::uint64_t b, double t_a, double t_b) {
  PoissonComparison out;
  if (!(t_a > 0) || !(t_b > 0) || !std::isfinite(t_a) || !std::isfinite(t_b)) {
    out.p_value = kNaN;
    out.rate_ratio = kNaN;
    return out;
  }
  const double rate_a = static_cast<double>(a) / t_a;
  const double rate_b = static_cast<double>(b) / t_b;
  out.rate_ratio = (a == 0 && b == 0) ? kNaN : (b == 0 ? kInf : rate_a / rate_b);
  out.p_value = binomial_test_two_sided(a, a + b, t_a / (t_a + t_b));
  return out;
}

}  // namespace hotspot::analysis
