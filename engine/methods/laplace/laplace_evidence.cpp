#include "engine/methods/laplace/laplace_evidence.h"

#include <cmath>
#include <numbers>

BAYESLAB_BEGIN_NAMESPACE

double laplaceLogEvidence(double logLikelihood, double logPrior, Index parameters,
                          double logDetPrecision) {
  return logLikelihood + logPrior +
         0.5 * static_cast<double>(parameters) * std::log(2.0 * std::numbers::pi) -
         0.5 * logDetPrecision;
}

double IsotropicEvidence::value(double logLambda) const {
  const double lambda = std::exp(logLambda);
  const auto P = static_cast<double>(spectrum.size());
  return logLikelihood + 0.5 * P * logLambda - 0.5 * lambda * squaredNorm -
         0.5 * (spectrum.array() + lambda).log().sum();
}

double IsotropicEvidence::effectiveParameters(double lambda) const {
  return (spectrum.array() / (spectrum.array() + lambda)).sum();
}

double IsotropicEvidence::derivative(double logLambda) const {
  const double lambda = std::exp(logLambda);
  return 0.5 * (effectiveParameters(lambda) - lambda * squaredNorm);
}

double IsotropicEvidence::optimalPrecision() const {
  double lo = std::log(1e-8), hi = std::log(1e8);
  if (derivative(hi) >= 0) return std::exp(hi);
  if (derivative(lo) <= 0) return std::exp(lo);
  for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
    const double mid = 0.5 * (lo + hi);
    (derivative(mid) > 0 ? lo : hi) = mid;
  }
  return std::exp(0.5 * (lo + hi));
}

BAYESLAB_END_NAMESPACE
