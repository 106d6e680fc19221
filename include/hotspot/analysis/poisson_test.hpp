#pragma once
// Exact tests for counts: the two-sided binomial test and the conditional
// test for the ratio of two Poisson rates built on it.
//
// Two-sided p-value as R's binom.test defines it: the sum of the
// probabilities of every outcome no more likely than the observed one, where
// "no more likely" allows a relative tolerance of 1e-7 so that outcomes of
// equal probability (up to rounding) are counted together. Probabilities are
// handled in log space, and only the terms that matter are summed, so counts
// in the millions are fine.

#include <cstdint>

namespace hotspot::analysis {

// log P(X = k) for X ~ Binomial(n, p); -inf when k > n or the outcome is impossible.
double binomial_log_pmf(std::uint64_t k, std::uint64_t n, double p);

// Two-sided exact binomial test of x successes in n trials against p.
// Returns 1 for n == 0; p outside [0, 1] or x > n gives NaN.
double binomial_test_two_sided(std::uint64_t x, std::uint64_t n, double p);

struct PoissonComparison {
  double p_value = 1;      // two-sided, exact, conditional on a + b
  double rate_ratio = 0;   // (a / t_a) / (b / t_b); +inf when b == 0 < a; NaN when both 0
};

// Compares counts a and b observed over exposures t_a and t_b (any unit, e.g.
// days): conditional on n = a + b, a ~ Binomial(n, t_a / (t_a + t_b)) under
// equal rates. Same as R's poisson.test(c(a, b), c(t_a, t_b)). Exposures must
// be positive and finite, else the p-value is NaN.
PoissonComparison poisson_rate_test(std::uint64_t a, std::uint64_t b, double t_a, double t_b);

}  // namespace hotspot::analysis
