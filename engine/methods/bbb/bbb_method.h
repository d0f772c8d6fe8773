#pragma once
// Bayes by Backprop (Blundell et al. 2015).
//
// q(w) = prod_i N(w_i; mu_i, sigma_i^2) with sigma = softplus(rho). Each step
// draws S weight vectors w_s = mu + sigma * eps_s (eps_s ~ N(0, I)) and
// minimises the negative ELBO estimate
//   L = -(N / (B S)) sum_s sum_{i in batch} log p(y_i | x_i, w_s) + beta KL(q || p).
// Reparameterisation gradients, with g_s = dL/dw_s from backprop:
//   dL/dmu  = sum_s g_s + beta dKL/dmu
//   dL/drho = (sum_s g_s * eps_s + beta dKL/dsigma) * sigmoid(rho).
// KL is closed form when the prior has one; otherwise the Monte Carlo estimate
// (1/S) sum_s [log q(w_s) - log p(w_s)], whose pathwise gradient adds
// -(beta / S) d log p(w_s)/dw_s to g_s and -beta / sigma to dL/dsigma.
#include "engine/methods/common/batch_evaluator.h"
#include "engine/methods/common/gradient_method.h"

BAYESLAB_BEGIN_NAMESPACE

class BbbMethod final : public GradientMethod {
 public:
  explicit BbbMethod(const Problem& problem);

  double evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                  StepStats& stats) override;
  std::shared_ptr<const Posterior> posterior() const override;
  void setPrior(std::shared_ptr<const Prior> prior) override { m_prior = std::move(prior); }

 private:
  BatchEvaluator m_evaluator;
  std::shared_ptr<const Prior> m_prior;
  Index m_weightCount;
  // Per-evaluation buffers, sized once.
  Vector m_sigma, m_sigmoid;
  Matrix m_eps, m_weights, m_weightGradient;  // P x S
  std::vector<double> m_blockKl;
};

MethodDescriptor bbbMethodDescriptor();

BAYESLAB_END_NAMESPACE
