#pragma once
// A Gaussian prior with its own mean and standard deviation per entry,
//   p(w) = prod_i N(w_i; m_i, s_i^2),
// used in sequential (online) learning: the posterior q_k after part k of the
// data becomes the prior for part k+1. Closed-form KL:
//   KL(N(mu, sigma^2) || N(m, s^2)) = log(s / sigma) + (sigma^2 + (mu - m)^2) / (2 s^2) - 1/2.
#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

class DiagonalGaussianPrior final : public Prior {
 public:
  DiagonalGaussianPrior(Vector mean, Vector std, std::string label);
  const char* id() const override { return "diagonal_gaussian"; }
  std::string describe() const override { return m_label; }
  double logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                    const PriorContext& context = {}) const override;
  bool isIdentical() const override { return false; }
  // The average of the per-entry densities (what a histogram of all weights would show).
  double density(double w) const override;
  bool hasClosedFormKl() const override { return true; }
  double klGaussian(const Real* mu, const Real* sigma, Index n, Real gradientScale, Real* dMu,
                    Real* dSigma, const PriorContext& context = {}) const override;

  const Vector& mean() const { return m_mean; }
  const Vector& std() const { return m_std; }

 private:
  Vector m_mean, m_std;
  std::string m_label;
};

BAYESLAB_END_NAMESPACE
