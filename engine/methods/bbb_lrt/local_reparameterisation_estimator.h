#pragma once
// The data term of the mean-field ELBO estimated with the local reparameterisation
// trick (Kingma, Salimans & Welling 2015): every example of the minibatch gets its
// own Gaussian draw of every pre-activation, whose mean and variance follow from q,
//   D ~ (1/S) sum_s sum_i log p(y_i | b_L(x_i; eps_{s,i})),
// differentiated through the draws (see LocalReparameterisationKernel). Unbiased for
// the same D as the plain reparameterisation estimator, with lower variance because
// the examples no longer share one weight sample.
#include "engine/methods/bbb_lrt/local_reparameterisation_kernel.h"
#include "engine/methods/common/data_term_estimator.h"

BAYESLAB_BEGIN_NAMESPACE

class LocalReparameterisationEstimator final : public DataTermEstimator {
 public:
  explicit LocalReparameterisationEstimator(const Problem& problem);
  double estimate(const StepInput& input, const Real* mu, const Real* sigma, const Real* phi,
                  Real gradientScale, Real* dMu, Real* dSigma, Real* dPhi) override;
  // Runs `prepare` inside the kernel's sigma^2 pass and `finish` on each
  // weight-gradient job as it completes: two passes over the parameters and
  // three thread synchronisations per step instead of four and five.
  double estimateWithPasses(const StepInput& input, const Real* mu, const Real* sigma,
                            const Real* phi, Real gradientScale, Real* dMu, Real* dSigma,
                            Real* dPhi, Index weightCount, const BlockPasses& passes) override;
  Index finishParts(const StepInput& input, Index weightCount) override;

 private:
  LocalReparameterisationKernel m_kernel;
};

BAYESLAB_END_NAMESPACE
