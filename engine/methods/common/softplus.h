#pragma once
// sigma = softplus(rho) = log(1 + e^rho) and its derivative sigmoid(rho),
// evaluated together from one exponential, vectorised, allocation-free.
//
// Eigen 3.4 has no vectorised log1p for float (it calls the scalar libm one,
// which profiling showed to be a quarter of a Bayes-by-Backprop step), so
// log1p(e) is computed as log(u) * e / (u - 1) with u = 1 + e (Goldberg 1991):
// the rounding of u cancels between numerator and denominator, leaving a
// relative error of a few ulps even for tiny e.
#include <cmath>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

// sigma[i] = softplus(rho[i]), dsigma[i] = sigmoid(rho[i]) for i in [0, n).
// With t = exp(-|rho|) in (0, 1]:
//   softplus(rho) = max(rho, 0) + log1p(t),
//   sigmoid(rho) = 1 / (1 + t) for rho > 0 and t / (1 + t) for rho < 0,
// the branch taken by blending with m = (1 + rho / |rho|) / 2: Eigen 3.4 cannot
// vectorise select(), arithmetic it can.
inline void softplusWithDerivative(const Real* rho, Index n, Real* sigma, Real* dsigma) {
  const ConstArrayMap r(rho, n);
  ArrayMap s(sigma, n), d(dsigma, n);
  constexpr Real kTiny = Real(1e-30);
  d = (-r.abs()).exp();  // t
  s = Real(1) + d;       // u = fl(1 + t); log1p(t) = log(u) - ((u - 1) - t) / u
  s = r.max(Real(0)) + s.log() - ((s - Real(1)) - d) / s;
  d = ((Real(0.5) + Real(0.5) * r / (r.abs() + kTiny)) * (Real(1) - d) + d) / (Real(1) + d);
}

// rho such that softplus(rho) = sigma (sigma > 0).
inline double inverseSoftplus(double sigma) {
  return sigma > 20.0 ? sigma : std::log(std::expm1(sigma));
}

BAYESLAB_END_NAMESPACE
