#pragma once
// Dropout as approximate variational inference (Gal & Ghahramani 2016, "Dropout as a
// Bayesian Approximation"). The network is deterministic apart from Bernoulli masks on
// the inputs of every layer after the first (and the network's input if asked),
// drawn fresh per example and step (inverted dropout, see DropoutKernel). Minimised:
//
//   L = -(N / B) (1/S) sum_s sum_{i in batch} log p(y_i | x_i, W, m_{s,i}) + beta R(W),
//   R(W) = sum_l k_l * (-log p(W_l / k_l)) + sum_l (-log p(b_l)),
//
// with k_l = 1 - p for layers whose input is dropped and k_l = 1 otherwise (biases are
// never dropped). Why: Gal & Ghahramani's variational distribution has weights
// M_l diag(m) with m ~ Bernoulli(1 - p); their approximation of KL(q || p) for a
// Gaussian prior N(0, s^2) is (1 - p) ||M_l||^2 / (2 s^2) + ||b_l||^2 / (2 s^2) + const:
// the weight-decay term of weights that follow dropout is scaled by (1 - p), because
// those weights are switched off a fraction p of the time. Our W is stored for inverted
// dropout, so Gal's M_l = W_l / (1 - p), which gives R above; for a Gaussian prior
// R = ||W_l||^2 / (2 s^2 (1 - p)) + ||b||^2 / (2 s^2) + const. For other priors the same
// (1 - p) weighting of -log p(M) is applied (the spike at zero only adds a constant,
// which is dropped, as Gal does). The "kl" column holds beta-free R(W).
//
// The posterior (DropoutPosterior) draws one mask per function, and the predictive is
// the Monte Carlo average over masks.
#include "engine/methods/common/gradient_method.h"
#include "engine/methods/mc_dropout/dropout_kernel.h"

BAYESLAB_BEGIN_NAMESPACE

class McDropoutMethod final : public GradientMethod {
 public:
  explicit McDropoutMethod(const Problem& problem);

  double evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                  StepStats& stats) override;
  std::shared_ptr<const Posterior> posterior() const override;
  void setPrior(std::shared_ptr<const Prior> prior) override;

  const DropoutSettings& settings() const { return m_kernel.settings(); }

 private:
  // beta R(W) and its gradient (added to gradient[0, P) and the hyperparameter part).
  double regulariser(const Vector& params, Real beta, Real* gradient);

  DropoutKernel m_kernel;
  MlpKernel m_network;
  std::shared_ptr<const Likelihood> m_likelihood;
  std::shared_ptr<const Prior> m_prior;
  Index m_weightCount;
  Vector m_scaled, m_priorGradient;  // W / k and the prior's gradient there, sized once
};

MethodDescriptor mcDropoutMethodDescriptor();

BAYESLAB_END_NAMESPACE
