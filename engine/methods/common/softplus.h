#pragma once
// sigma = softplus(rho) = log(1 + e^rho) and its derivative sigmoid(rho),
// evaluated together from one exponential, vectorised, allocation-free.
//
// Eigen 3.4 has no vectorised log1p for float (it calls the scalar libm one,
// which profiling showed to be a quarter of a Bayes-by-Backprop step), so
// log1p(e) is computed as log(u) * e / (u - 1) with u = 1 + e (Goldberg 1991):
// the rounding of u cancels between numerator and denominator, leaving a
// relative error of a few ulps even for tiny e.
#include <algorithm>
#include <cmath>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

// sigma[i] = softplus(rho[i]), dsigma[i] = sigmoid(rho[i]) for i in [0, n).
// With t = exp(-|rho|) in (0, 1], u = 1 + t and v = 1 / u:
//   softplus(rho) = max(rho, 0) + log1p(t),  log1p(t) = log(u) - ((u - 1) - t) v,
//   sigmoid(rho) = v for rho > 0 and t v for rho < 0, i.e. v (t + m (1 - t)),
// with one exponential, one logarithm and one division per value. The branch
// indicator m = clamp(rho * 1e30, 0, 1) is arithmetic because Eigen 3.4 cannot
// vectorise select(); it is fractional only for |rho| < 1e-30, where both
// branches agree (sigmoid = 1/2).
inline void softplusWithDerivative(const Real* rho, Index n, Real* sigma, Real* dsigma) {
  constexpr Index kChunk = 256;  // t and v stay in registers and L1
  constexpr Real kHuge = Real(1e30);
  Eigen::Array<Real, kChunk, 1> tBuffer, vBuffer;
  for (Index begin = 0; begin < n; begin += kChunk) {
    const Index m = std::min(kChunk, n - begin);
    const ConstArrayMap r(rho + begin, m);
    auto t = tBuffer.head(m);
    auto v = vBuffer.head(m);
    t = (-r.abs()).exp();
    v = (Real(1) + t).inverse();
    ArrayMap(sigma + begin, m) =
        r.max(Real(0)) + (Real(1) + t).log() - ((Real(1) + t) - Real(1) - t) * v;
    ArrayMap(dsigma + begin, m) = v * (t + (r * kHuge).max(Real(0)).min(Real(1)) * (Real(1) - t));
  }
}

// rho such that softplus(rho) = sigma (sigma > 0).
inline double inverseSoftplus(double sigma) {
  return sigma > 20.0 ? sigma : std::log(std::expm1(sigma));
}

BAYESLAB_END_NAMESPACE
