#include "hotspot/analysis/poisson_test.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace hotspot::analysis {
namespace {

// The two-sided p-value by its definition: add P(X = k) over every k whose
// probability is at most the observed one (with R's 1e-7 relative slack).
// Probabilities by the product formula in long double, no logs, no shortcuts.
double brute_force_p(std::uint64_t x, std::uint64_t n, double p) {
  std::vector<long double> pmf(n + 1);
  for (std::uint64_t k = 0; k <= n; ++k) {
    long double v = 1;
    // C(n, k) p^k (1-p)^(n-k), multiplied in an order that keeps v in range.
    for (std::uint64_t j = 1; j <= k; ++j) {
      v *= static_cast<long double>(n - k + j) / static_cast<long double>(j);
    }
    pmf[k] = v * std::pow(static_cast<long double>(p), static_cast<long double>(k)) *
             std::pow(1.0L - p, static_cast<long double>(n - k));
  }
  long double sum = 0;
  for (std::uint64_t k = 0; k <= n; ++k) {
    if (pmf[k] <= pmf[x] * (1 + 1e-7L)) sum += pmf[k];
  }
  return static_cast<double>(std::min(1.0L, sum));
}

// For p = 1/2 the test is symmetric: p-value = 2 P(X <= min(x, n - x)),
// computed here from exact integer binomial coefficients.
double exact_half_p(std::uint64_t x, std::uint64_t n) {
  const std::uint64_t lo = std::min(x, n - x);
  if (2 * lo == n) return 1;
  std::uint64_t c = 1;  // C(n, 0)
  std::uint64_t tail = 0;
  for (std::uint64_t k = 0; k <= lo; ++k) {
    tail += c;
    c = c * (n - k) / (k + 1);
  }
  return std::min(1.0, 2.0 * static_cast<double>(tail) / std::ldexp(1.0, static_cast<int>(n)));
}

TEST(BinomialTest, PublishedValuesFromR) {
  // binom.test(10, 30, 0.5): p-value = 0.09874; binom.test(5, 25, 0.5): 0.004077.
  EXPECT_NEAR(exact_half_p(10, 30), 0.09874, 5e-6);
  EXPECT_NEAR(exact_half_p(5, 25), 0.004077, 5e-7);
  EXPECT_NEAR(binomial_test_two_sided(10, 30, 0.5), exact_half_p(10, 30), 1e-12);
  EXPECT_NEAR(binomial_test_two_sided(5, 25, 0.5), exact_half_p(5, 25), 1e-13);
  EXPECT_NEAR(binomial_test_two_sided(20, 30, 0.5), exact_half_p(20, 30), 1e-12);
  EXPECT_NEAR(binomial_test_two_sided(10, 30, 0.5), 0.09874, 5e-6);
  EXPECT_NEAR(binomial_test_two_sided(5, 25, 0.5), 0.004077, 5e-7);
}

TEST(PoissonRateTest, PublishedValueFromRDocumentation) {
  // R's ?poisson.test: poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))
  // gives p-value = 0.07967 and rate ratio 1.971488.
  const double t_a = 800;
  const double t_b = 1083 + 1050 + 878;
  const PoissonComparison r = poisson_rate_test(11, 21, t_a, t_b);
  EXPECT_NEAR(r.p_value, 0.07967, 5e-6);
  EXPECT_NEAR(r.p_value, brute_force_p(11, 32, t_a / (t_a + t_b)), 1e-12);
  EXPECT_NEAR(r.rate_ratio, 1.971488, 1e-6);
  // Equal exposures reduce to binom.test(a, a + b, 0.5).
  EXPECT_NEAR(poisson_rate_test(10, 20, 7, 7).p_value, exact_half_p(10, 30), 1e-12);
}

TEST(BinomialTest, MatchesBruteForceEverywhereForSmallN) {
  for (const double p : {0.5, 0.3, 0.123, 0.9, 0.01, 1.0 / 3.0}) {
    for (std::uint64_t n : {1u, 2u, 7u, 20u, 61u, 150u}) {
      for (std::uint64_t x = 0; x <= n; ++x) {
        const double got = binomial_test_two_sided(x, n, p);
        const double want = brute_force_p(x, n, p);
        ASSERT_NEAR(got, want, 1e-9 * std::max(1.0, want) + 1e-300)
            << "x=" << x << " n=" << n << " p=" << p;
        if (want > 1e-250) {
          ASSERT_NEAR(got / want, 1.0, 1e-8) << "x=" << x << " n=" << n << " p=" << p;
        }
      }
    }
  }
}

TEST(BinomialTest, EdgeCases) {
  EXPECT_EQ(binomial_test_two_sided(0, 0, 0.3), 1.0);
  EXPECT_EQ(binomial_test_two_sided(0, 10, 0.0), 1.0);
  EXPECT_EQ(binomial_test_two_sided(1, 10, 0.0), 0.0);
  EXPECT_EQ(binomial_test_two_sided(10, 10, 1.0), 1.0);
  EXPECT_EQ(binomial_test_two_sided(9, 10, 1.0), 0.0);
  EXPECT_EQ(binomial_test_two_sided(5, 10, 0.5), 1.0);  // observed = mean
  EXPECT_TRUE(std::isnan(binomial_test_two_sided(11, 10, 0.5)));
  EXPECT_TRUE(std::isnan(binomial_test_two_sided(1, 10, 1.5)));
  EXPECT_TRUE(std::isnan(poisson_rate_test(1, 2, 0, 1).p_value));
  EXPECT_TRUE(std::isnan(poisson_rate_test(1, 2, 1, std::nan("")).p_value));
  EXPECT_EQ(poisson_rate_test(0, 0, 1, 1).p_value, 1.0);
  EXPECT_TRUE(std::isnan(poisson_rate_test(0, 0, 1, 1).rate_ratio));
  EXPECT_TRUE(std::isinf(poisson_rate_test(3, 0, 1, 1).rate_ratio));
}

TEST(BinomialTest, LogPmfSumsToOne) {
  for (const std::uint64_t n : {10u, 1000u, 100000u}) {
    long double sum = 0;
    for (std::uint64_t k = 0; k <= n; ++k) sum += std::exp(static_cast<long double>(binomial_log_pmf(k, n, 0.37)));
    EXPECT_NEAR(static_cast<double>(sum), 1.0, 1e-9) << n;
  }
}

TEST(PoissonRateTest, SymmetricInItsArguments) {
  for (const auto& [a, b, ta, tb] : std::vector<std::tuple<int, int, double, double>>{
           {3, 9, 30, 45}, {120, 80, 365, 365}, {0, 7, 10, 20}, {55, 55, 3, 4}}) {
    EXPECT_NEAR(poisson_rate_test(a, b, ta, tb).p_value, poisson_rate_test(b, a, tb, ta).p_value,
                1e-12);
  }
}

// Large counts: the exact test must agree with the normal approximation
// (which is accurate at these sizes) and with brute force over the mass.
TEST(BinomialTest, LargeCountsAgreeWithNormalApproximation) {
  const std::uint64_t n = 2'000'000;
  for (const double z : {0.5, 1.0, 2.0, 3.0, 4.0}) {
    const auto x = static_cast<std::uint64_t>(1'000'000 - z * std::sqrt(n / 4.0));
    const double exact = binomial_test_two_sided(x, n, 0.5);
    // With continuity correction.
    const double zc = (static_cast<double>(x) + 0.5 - n / 2.0) / std::sqrt(n / 4.0);
    const double normal = std::erfc(std::fabs(zc) / std::sqrt(2.0));
    EXPECT_NEAR(exact / normal, 1.0, 2e-3) << "z=" << z;
  }
  // Far tail: still finite, positive and tiny, not NaN or zero from underflow
  // of the intermediate terms.
  const double far = binomial_test_two_sided(990'000, 2'000'000, 0.5);
  EXPECT_GT(far, 0.0);
  EXPECT_LT(far, 1e-40);
}

TEST(BinomialTest, MidSizedCountsMatchBruteForce) {
  // n = 3000 with unequal p: brute force over every outcome in long double.
  for (const std::uint64_t x : {700u, 880u, 900u, 950u, 1100u}) {
    const double want = brute_force_p(x, 3000, 0.3);
    const double got = binomial_test_two_sided(x, 3000, 0.3);
    EXPECT_NEAR(got / want, 1.0, 1e-7) << x;
  }
}

}  // namespace
}  // namespace hotspot::analysis
