#pragma once
// The data term of the mean-field ELBO estimated with Flipout (Wen et al. 2018): one
// base weight perturbation per Monte Carlo sample, decorrelated across the examples
// of the minibatch by per-example random signs (see FlipoutKernel),
//   D ~ (1/S) sum_s sum_i log p(y_i | z_L(x_i; mu + r_i s_i^T * Delta_s)),
// differentiated through the perturbation Delta_s = sigma * E_s.
#include "engine/methods/bbb_flipout/flipout_kernel.h"
#include "engine/methods/common/data_term_estimator.h"

BAYESLAB_BEGIN_NAMESPACE

class FlipoutEstimator final : public DataTermEstimator {
 public:
  explicit FlipoutEstimator(const Problem& problem);
  double estimate(const StepInput& input, const Real* mu, const Real* sigma, const Real* phi,
                  Real gradientScale, Real* dMu, Real* dSigma, Real* dPhi) override;

 private:
  FlipoutKernel m_kernel;
};

BAYESLAB_END_NAMESPACE
