#pragma once
// Laplace prior p(w) = exp(-|w| / b) / (2 b): sparsity-inducing (MAP = L1).
// The KL from a Gaussian q = N(mu, sigma^2) is closed form through the mean of
// the folded normal, E_q|w| = sigma sqrt(2/pi) exp(-mu^2 / 2 sigma^2) + mu erf(mu / (sigma sqrt
// 2)):
//   KL = -log sigma - (1 + log 2 pi) / 2 + log 2b + E_q|w| / b,
//   dKL/dmu = erf(mu / (sigma sqrt 2)) / b,
//   dKL/dsigma = -1/sigma + sqrt(2/pi) exp(-mu^2 / 2 sigma^2) / b.
#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

class LaplacePrior final : public Prior {
 public:
  explicit LaplacePrior(double scale) : m_scale(scale) {}
  const char* id() const override { return "laplace"; }
  std::string describe() const override;
  double logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                    const PriorContext& context = {}) const override;
  double density(double w) const override;
  bool hasClosedFormKl() const override { return true; }
  double klGaussian(const Real* mu, const Real* sigma, Index n, Real gradientScale, Real* dMu,
                    Real* dSigma, const PriorContext& context = {}) const override;

 private:
  double m_scale;
};

PriorDescriptor laplacePriorDescriptor();

BAYESLAB_END_NAMESPACE
