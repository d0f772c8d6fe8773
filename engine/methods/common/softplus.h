#pragma once
// sigma = softplus(rho) = log(1 + e^rho) and its derivative sigmoid(rho),
// evaluated together from one exponential, vectorised, allocation-free.
#include <cmath>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

// sigma[i] = softplus(rho[i]), dsigma[i] = sigmoid(rho[i]) for i in [0, n).
inline void softplusWithDerivative(const Real* rho, Index n, Real* sigma, Real* dsigma) {
  const ConstArrayMap r(rho, n);
  ArrayMap s(sigma, n), d(dsigma, n);
  constexpr Real kLinear = Real(20);  // softplus(x) = x to working precision beyond this
  d = r.min(kLinear).exp();
  s = (r > kLinear).select(r, d.log1p());
  d = d / (Real(1) + d);
}

// rho such that softplus(rho) = sigma (sigma > 0).
inline double inverseSoftplus(double sigma) {
  return sigma > 20.0 ? sigma : std::log(std::expm1(sigma));
}

BAYESLAB_END_NAMESPACE
