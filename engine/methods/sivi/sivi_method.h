#pragma once
// Semi-implicit variational inference over the weights (Yin & Zhou 2018),
// reporting both K-sample bounds of Molchanov et al. (2019) every step.
//
//   q(w) = E_{eps ~ N(0, I_D)} N(w; g(eps), diag sigma^2),   sigma = softplus(rho),
//   g(eps) = m + z(eps),   z_i(eps) = exp(tau_i) (A tanh(B eps + c))_i,
//
// with the mixing network of mixing_network.h. Per Monte Carlo sample s
// (input.mcSamples of them) the step draws eps_s0..eps_sK, the offsets
// z_sk = z(eps_sk) (psi_sk = m + z_sk), e_s ~ N(0, I_P) and
// w_s = psi_s0 + sigma e_s. In the standardised weights (w - m) / sigma the
// kernels are unit Gaussians: with zh_sk = z_sk / sigma and u_s = zh_s0 + e_s,
//
//   objective = -( (N/B) (1/S) sum_s sum_{i in batch} log p(y_i | x_i, w_s)
//                  - beta (1/S) sum_s [ lambda_s - log p(w_s) ] ),
//   lambda_s = log (1/(K+1)) sum_{k=0..K} N(w_s; psi_sk, diag sigma^2)
//            = log (1/(K+1)) sum_k exp(-|u_s - zh_sk|^2 / 2) - sum_i log sigma_i
//              - (P/2) log 2 pi,
//
// i.e. beta-weighted minus the lower bound L_K of k_sample_bounds.h (minibatch
// estimate, likelihood scaled by N/B as every method). The reported terms:
//   kl         = (1/S) sum_s [lambda_s - log p(w_s)]  (E >= KL(q || p), -> it as K grows)
//   elbo       = expected_log_likelihood - kl = L_K's estimate  (extra elbo_lower)
//   elbo_upper = expected_log_likelihood - (1/S) sum_s [lambda^_s - log p(w_s)],
//                lambda^_s the average over psi_s1..psi_sK only: L^K's estimate,
// from the same draws, so the upper bound costs almost nothing.
//
// Gradient (reparameterisation, the noise eps, e held fixed): the data term's
// gradient G_s with respect to w_s comes from BatchEvaluator, the prior's is
// added by Prior::logDensity (any prior, learned hyperparameters included).
// Through w = m + z_s0 + sigma e_s: dm += G_s, dsigma += G_s e_s, and
// dL/du_s = sigma G_s. lambda adds d lambda/du_s and d lambda/dzh_sk
// (k_sample_bounds.h), -beta/sigma to dsigma for -sum log sigma, and, since
// zh = z / sigma, -(1/sigma) times its derivative with respect to the log of
// the offsets' scale (e fixed). u_s = zh_s0 + e_s sends dL/du_s to zh_s0;
// dL/dz = dL/dzh / sigma flows through the mixing network to tau, A, B, c,
// and dsigma/drho = sigmoid(rho).
//
// Parameters: [mixing network (P (H + 2) + H (D + 1)) | rho (P) |
//              likelihood (L) | prior hyperparameters].
// Work runs over the fixed blocks of parameterBlocks(P) weights (draws, the
// Gaussian kernels, the prior, the gradients of m, A, sigma) and over the
// batch chunks of BatchEvaluator; the K+1 log-densities and the hidden units'
// gradient are reduced over blocks in a fixed order: thread-count independent.
#include <memory>
#include <vector>

#include "engine/methods/common/batch_evaluator.h"
#include "engine/methods/common/gradient_method.h"
#include "engine/methods/sivi/mixing_network.h"

BAYESLAB_BEGIN_NAMESPACE

class SiviMethod final : public GradientMethod {
 public:
  explicit SiviMethod(const Problem& problem);

  double evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                  StepStats& stats) override;
  std::shared_ptr<const Posterior> posterior() const override;
  void setPrior(std::shared_ptr<const Prior> prior) override;
  // mixing_draws (K) takes effect from the next step.
  void setLiveOptions(const OptionValues& options) override;

  Index mixingDraws() const { return m_mixingDraws; }
  const MixingNetwork& mixingNetwork() const { return m_network; }
  Index weightCount() const { return m_weightCount; }
  // Offset of rho in the parameter vector.
  Index rhoOffset() const { return m_network.parameterCount(); }

 private:
  BatchEvaluator m_evaluator;
  std::shared_ptr<const Likelihood> m_likelihood;
  std::shared_ptr<const Prior> m_prior;
  MixingNetwork m_network;
  Index m_weightCount;
  Index m_mixingDraws;

  // Per-evaluation buffers, sized by the first step (and again when K or S change).
  Matrix m_eps, m_hidden, m_dHiddenTotal;          // D x M, H x M, H x M (M = S (K+1))
  std::vector<Matrix> m_z;                         // per block: offsets z, rows x M (then dL/dz)
  std::vector<Matrix> m_dHidden;                   // per block: H x M
  Matrix m_u, m_w, m_wGradient;                    // P x S: u = (w - m) / sigma, w, dL/dw
  Vector m_sigma, m_sigmoid, m_scale, m_logScale;  // P: sigma, its derivative, exp(tau), dL/dlog t
  Eigen::MatrixXd m_quadratic;                     // M x blocks
  Eigen::MatrixXd m_blockLogPrior;                 // S x blocks
  Eigen::VectorXd m_blockLogSigma;                 // blocks
  Eigen::VectorXd m_logDensity, m_responsibility;  // M
  Matrix m_blockHyperGradient;                     // prior hyperparameters x blocks
};

MethodDescriptor siviMethodDescriptor();

BAYESLAB_END_NAMESPACE
