#pragma once
// Empirical Bayes: a Gaussian prior N(0, s^2) whose scale is learned with the
// model by maximising the objective (type-II maximum likelihood through the
// ELBO). The hyperparameter is h = log s:
//   KL = sum_i [h - log sigma_i + (sigma_i^2 + mu_i^2) e^{-2h} / 2 - 1/2],
//   dKL/dh = sum_i [1 - (sigma_i^2 + mu_i^2) / s^2]
// (its stationary point s^2 = mean(mu^2 + sigma^2) is the ELBO-optimal scale),
//   log p(w) = sum_i [-w_i^2 e^{-2h} / 2 - h] - n log(2 pi) / 2,  d/dh = sum_i [w_i^2 / s^2 - 1].
#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

class EmpiricalBayesPrior final : public Prior {
 public:
  explicit EmpiricalBayesPrior(double initialScale) : m_initialScale(initialScale) {}
  const char* id() const override { return "empirical_bayes"; }
  std::string describe() const override;
  double logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                    const PriorContext& context = {}) const override;
  double density(double w) const override;
  bool hasClosedFormKl() const override { return true; }
  double klGaussian(const Real* mu, const Real* sigma, Index n, Real gradientScale, Real* dMu,
                    Real* dSigma, const PriorContext& context = {}) const override;

  Index hyperparameterCount() const override { return 1; }
  void initialHyperparameters(Real* h) const override;
  const char* hyperparameterName(Index) const override { return "prior_scale"; }
  double hyperparameterValue(Index, const Real* h) const override;
  std::shared_ptr<const Prior> withHyperparameters(const Real* h) const override;

 private:
  double scale(const PriorContext& context) const;
  double m_initialScale;
};

PriorDescriptor empiricalBayesPriorDescriptor();

BAYESLAB_END_NAMESPACE
