#pragma once
// The reparameterisation trick (Kingma & Welling 2014; Blundell et al. 2015):
// draw S weight vectors w_s = mu + sigma * eps_s, eps_s ~ N(0, I), one per step
// for the whole minibatch, and differentiate through them:
//   D ~ (1/S) sum_s sum_i log p(y_i | x_i, w_s),
//   dD/dmu = (1/S) sum_s g_s,   dD/dsigma = (1/S) sum_s g_s * eps_s,
// with g_s = d/dw sum_i log p(y_i | x_i, w) at w_s (backprop).
#include "engine/methods/common/batch_evaluator.h"
#include "engine/methods/common/data_term_estimator.h"

BAYESLAB_BEGIN_NAMESPACE

class ReparameterisationEstimator final : public DataTermEstimator {
 public:
  explicit ReparameterisationEstimator(const Problem& problem);
  double estimate(const StepInput& input, const Real* mu, const Real* sigma, const Real* phi,
                  Real gradientScale, Real* dMu, Real* dSigma, Real* dPhi) override;
  // Fuses `prepare` into the weight draws and `finish` into the reduction of
  // the gradients: three passes over the parameters per step instead of five.
  double estimateWithPasses(const StepInput& input, const Real* mu, const Real* sigma,
                            const Real* phi, Real gradientScale, Real* dMu, Real* dSigma,
                            Real* dPhi, Index weightCount, const BlockPasses& passes) override;

 private:
  BatchEvaluator m_evaluator;
  double run(const StepInput& input, const Real* mu, const Real* sigma, const Real* phi,
             Real gradientScale, Real* dMu, Real* dSigma, Real* dPhi, const BlockPasses* passes);

  Index m_weightCount;
  Matrix m_eps, m_weights, m_weightGradient;  // P x S
};

BAYESLAB_END_NAMESPACE
