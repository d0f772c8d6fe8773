#include "engine/methods/bbb_flipout/flipout_estimator.h"

BAYESLAB_BEGIN_NAMESPACE

FlipoutEstimator::FlipoutEstimator(const Problem& problem)
    : m_kernel(problem.layout, problem.activation, problem.likelihood) {}

double FlipoutEstimator::estimate(const StepInput& input, const Real* mu, const Real* sigma,
                                  const Real* phi, Real gradientScale, Real* dMu, Real* dSigma,
                                  Real* dPhi) {
  const Index S = std::max(1, input.mcSamples);
  const double logLik =
      m_kernel.evaluate(*input.batch, S, mu, sigma, phi, gradientScale / static_cast<Real>(S), dMu,
                        dSigma, dPhi, input.rng, input.threads);
  return logLik / static_cast<double>(S);
}

BAYESLAB_END_NAMESPACE
