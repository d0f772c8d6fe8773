#pragma once
// Variational inference with a fully factorised Gaussian,
//   q(w) = prod_i N(w_i; mu_i, sigma_i^2),   sigma = softplus(rho),
// minimising the negative ELBO estimate
//   L = -(N / B) D(mu, sigma) + beta KL(q || p),
// where the data term D and its gradient come from a DataTermEstimator
// (reparameterisation, local reparameterisation, Flipout, score function).
//
// KL: closed form when the prior has one; otherwise the Monte Carlo estimate
// (1/S) sum_s [log q(w_s) - log p(w_s)] at w_s = mu + sigma eps_s, whose
// pathwise gradient is -(beta/S) sum_s grad log p(w_s) (times eps_s for sigma)
// and -beta / sigma for sigma (Blundell et al. 2015). Chain rule to rho:
// dL/drho = dL/dsigma * sigmoid(rho). Learned prior hyperparameters (empirical
// Bayes) are optimised jointly with (mu, rho).
//
// Parameters: [mu (P) | rho (P) | likelihood (L) | prior hyperparameters (H)].
#include <memory>
#include <vector>

#include "engine/methods/common/data_term_estimator.h"
#include "engine/methods/common/gradient_method.h"

BAYESLAB_BEGIN_NAMESPACE

class MeanFieldMethod final : public GradientMethod {
 public:
  MeanFieldMethod(const Problem& problem, std::unique_ptr<DataTermEstimator> estimator);

  double evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                  StepStats& stats) override;
  std::shared_ptr<const Posterior> posterior() const override;
  void setPrior(std::shared_ptr<const Prior> prior) override;

  Index weightCount() const { return m_weightCount; }

 protected:
  // Update block b: (mu, rho) of the weights' block b, and with block 0 the
  // likelihood and prior parameters (applied in the estimator's first pass).
  bool defersUpdate() const override { return true; }
  Index updateBlockCount() const override;
  void updateBlock(Index b) const override;

 private:
  MlpKernel m_kernel;
  std::shared_ptr<const Likelihood> m_likelihood;
  std::shared_ptr<const Prior> m_prior;
  std::unique_ptr<DataTermEstimator> m_estimator;
  Index m_weightCount;
  // Per-evaluation buffers, sized once.
  Vector m_sigma, m_sigmoid, m_klEps, m_klWeights, m_klGradient;
  // Per part of the estimator's finish pass (DataTermEstimator::finishParts).
  std::vector<double> m_partKl;
  std::vector<Real> m_partGradientNorm;
  Matrix m_partHyperGradient;  // H x parts
};

// The option every mean-field method shares.
OptionSpec initialRhoOption();

// The lecture's count for every mean-field method: a mean and a rho per weight and bias.
inline constexpr const char* kMeanFieldParameterFormula = "2 \u03a3 (d_in d_out + d_out)";
Index meanFieldParameterCount(const MlpLayout& layout, const OptionValues& options);

BAYESLAB_END_NAMESPACE
