#include "engine/methods/mnf/conditional_weight_kl.h"

#include <cmath>
#include <numbers>

BAYESLAB_BEGIN_NAMESPACE

double ConditionalWeightKl::evaluate(const Prior& prior, Index rows, Index columns, const Real* mu,
                                     const Real* sigma, const Real* z, Real scale, Real* dMean,
                                     Real* dSigma, PriorContext context, RandomStream& mc) {
  const Index count = rows * columns;
  if (m_mean.size() < count) {
    m_mean.resize(count);
    m_eps.resize(count);
    m_dWeight.resize(count);
  }
  ArrayMap mean(m_mean.data(), count);
  if (z) {
    for (Index c = 0; c < columns; ++c)
      mean.segment(c * rows, rows) = ConstArrayMap(mu + c * rows, rows) * z[c];
  } else {
    mean = ConstArrayMap(mu, count);
  }
  const ConstArrayMap s(sigma, count);
  if (prior.hasClosedFormKl())
    return prior.klGaussian(mean.data(), sigma, count, scale, dMean, dSigma, context);
  // w = M + sigma eps, written over the means; the gradient flows through w.
  ArrayMap eps(m_eps.data(), count);
  mc.fillNormal(eps.data(), count);
  mean += s * eps;
  const double logQ = -static_cast<double>(s.log().sum()) -
                      0.5 * static_cast<double>(eps.square().sum()) -
                      0.5 * static_cast<double>(count) * std::log(2.0 * std::numbers::pi);
  Real* dWeight = dMean ? m_dWeight.data() : nullptr;
  if (dWeight) m_dWeight.head(count).setZero();
  const double logP = prior.logDensity(mean.data(), count, -scale, dWeight, context);
  if (dWeight) {
    const ConstArrayMap gw(dWeight, count);
    ArrayMap(dMean, count) += gw;
    ArrayMap(dSigma, count) += gw * eps - scale * s.inverse();
  }
  return logQ - logP;
}

void chainConditionalGradient(Index rows, Index columns, const Real* mu, const Real* sigma,
                              const Real* z, const Real* dMean, const Real* dSigma, Real* dMu,
                              Real* dLogSigma, Real* dz) {
  const Index count = rows * columns;
  ArrayMap(dLogSigma, count) += ConstArrayMap(sigma, count) * ConstArrayMap(dSigma, count);
  if (!z) {
    ArrayMap(dMu, count) += ConstArrayMap(dMean, count);
    return;
  }
  for (Index c = 0; c < columns; ++c) {
    const ConstArrayMap g(dMean + c * rows, rows);
    ArrayMap(dMu + c * rows, rows) += z[c] * g;
    dz[c] = (ConstArrayMap(mu + c * rows, rows) * g).sum();
  }
}

BAYESLAB_END_NAMESPACE
