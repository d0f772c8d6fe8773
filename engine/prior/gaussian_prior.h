#pragma once
// Gaussian prior N(0, s^2) on every weight and bias.
//   log p(w) = -w^2 / (2 s^2) - log s - log(2 pi) / 2
//   KL(N(mu, sigma^2) || N(0, s^2)) = log(s / sigma) + (sigma^2 + mu^2) / (2 s^2) - 1/2
//   dKL/dmu = mu / s^2,   dKL/dsigma = -1/sigma + sigma / s^2
// With a MAP network this is L2 regularisation with weight 1 / (2 s^2).
#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

class GaussianPrior final : public Prior {
 public:
  explicit GaussianPrior(double scale) : m_scale(scale) {}
  const char* id() const override { return "gaussian"; }
  std::string describe() const override;
  double scale() const { return m_scale; }
  double logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                    const PriorContext& context = {}) const override;
  double density(double w) const override;
  bool hasClosedFormKl() const override { return true; }
  double klGaussian(const Real* mu, const Real* sigma, Index n, Real gradientScale, Real* dMu,
                    Real* dSigma, const PriorContext& context = {}) const override;

 private:
  double m_scale;
};

PriorDescriptor gaussianPriorDescriptor();

BAYESLAB_END_NAMESPACE
