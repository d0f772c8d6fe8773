#pragma once
// Convergence diagnostics for Markov chains of one scalar (a chosen weight):
// split R-hat and the effective sample size.
//
// Both work on split chains: each of the M chains is cut into a first and a
// second half of n = floor(N / 2) draws (the middle draw of an odd N is dropped),
// giving M' = 2M chains x_{m,i}, i = 1..n. Chains of unequal length are first
// truncated to the shortest.
//
// Split R-hat (Gelman et al., Bayesian Data Analysis, 3rd ed. 2013, sec. 11.4):
//   chain means xbar_m, chain variances s_m^2 = 1/(n-1) sum_i (x_{m,i} - xbar_m)^2,
//   W = (1/M') sum_m s_m^2,   B / n = 1/(M'-1) sum_m (xbar_m - xbar)^2,
//   var+ = (n - 1)/n W + B/n,   R-hat = sqrt(var+ / W).
// Values near 1 (below about 1.01 to 1.1) mean the chains agree; the halves also
// catch a single chain that is still drifting.
//
// Effective sample size (Vehtari, Gelman, Simpson, Carpenter, Buerkner 2021,
// "Rank-normalization, folding, and localization: an improved R-hat", eq. 10,
// without the rank normalisation; BDA3 sec. 11.5):
//   gamma_m(t) = (1/n) sum_{i=1}^{n-t} (x_{m,i} - xbar_m)(x_{m,i+t} - xbar_m),
//   rho_t = 1 - (W - (1/M') sum_m n/(n-1) gamma_m(t)) / var+        (rho_0 = 1),
// truncated by Geyer's (1992) initial monotone sequence: the pair sums
// P_k = rho_{2k} + rho_{2k+1} are summed while positive and made non-increasing,
//   tau = max(-1 + 2 sum_k P_k, 1 / log10(M' n)),   ESS = M' n / tau,
// so ESS is at most M' n log10(M' n), as in Stan (antithetic chains can exceed M' n).
// All quantities are NaN when there are fewer than 4 draws per chain or the
// draws do not vary.
#include <vector>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

using ChainDraws = std::vector<std::vector<double>>;  // chains x draws

// The M' = 2M half-chains of equal length n (see above); empty if n < 2.
ChainDraws splitChains(const ChainDraws& chains);

double splitRhat(const ChainDraws& chains);
double effectiveSampleSize(const ChainDraws& chains);

// The combined autocorrelation estimates rho_0 .. rho_{n-1} of the split chains
// (before Geyer's truncation), for plots and tests.
std::vector<double> combinedAutocorrelation(const ChainDraws& chains);

BAYESLAB_END_NAMESPACE
