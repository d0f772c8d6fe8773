#include "engine/methods/mnf/conditional_weight_kl.h"

#include <cmath>
#include <numbers>

BAYESLAB_BEGIN_NAMESPACE

double ConditionalWeightKl::evaluate(const Prior& prior, Index rows, Index columns, const Real* mu,
                                     const Real* sigma, const Real* z, Real scale, Real* dMu,
                                     Real* dLogSigma, Real* dz, PriorContext context,
                                     RandomStream& mc) {
  const Index count = rows * columns;
  if (m_mean.size() < count) {
    m_mean.resize(count);
    m_dMean.resize(count);
    m_dSigma.resize(count);
    m_eps.resize(count);
  }
  ArrayMap mean(m_mean.data(), count);
  if (z) {
    for (Index c = 0; c < columns; ++c)
      mean.segment(c * rows, rows) = ConstArrayMap(mu + c * rows, rows) * z[c];
  } else {
    mean = ConstArrayMap(mu, count);
  }
  const ConstArrayMap s(sigma, count);
  const bool wantGradient = dMu != nullptr;
  Real* dMean = wantGradient ? m_dMean.data() : nullptr;
  Real* dSigma = wantGradient ? m_dSigma.data() : nullptr;
  if (wantGradient) {
    m_dMean.head(count).setZero();
    m_dSigma.head(count).setZero();
  }
  double kl = 0.0;
  if (prior.hasClosedFormKl()) {
    kl = prior.klGaussian(mean.data(), sigma, count, scale, dMean, dSigma, context);
  } else {
    // w = M + sigma eps, written over the means.
    ArrayMap eps(m_eps.data(), count);
    mc.fillNormal(eps.data(), count);
    mean += s * eps;
    const double logQ = -static_cast<double>(s.log().sum()) -
                        0.5 * static_cast<double>(eps.square().sum()) -
                        0.5 * static_cast<double>(count) * std::log(2.0 * std::numbers::pi);
    const double logP = prior.logDensity(mean.data(), count, -scale, dMean, context);
    kl = logQ - logP;
    if (wantGradient) ArrayMap(dSigma, count) = ArrayMap(dMean, count) * eps - scale * s.inverse();
  }
  if (!wantGradient) return kl;
  const ConstArrayMap gMean(dMean, count), gSigma(dSigma, count);
  ArrayMap(dLogSigma, count) += s * gSigma;
  if (!z) {
    ArrayMap(dMu, count) += gMean;
    return kl;
  }
  for (Index c = 0; c < columns; ++c) {
    const auto g = gMean.segment(c * rows, rows);
    ArrayMap(dMu + c * rows, rows) += z[c] * g;
    dz[c] += (ConstArrayMap(mu + c * rows, rows) * g).sum();
  }
  return kl;
}

BAYESLAB_END_NAMESPACE
