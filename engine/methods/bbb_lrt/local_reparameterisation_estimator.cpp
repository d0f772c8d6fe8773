#include "engine/methods/bbb_lrt/local_reparameterisation_estimator.h"

BAYESLAB_BEGIN_NAMESPACE

LocalReparameterisationEstimator::LocalReparameterisationEstimator(const Problem& problem)
    : m_kernel(problem.layout, problem.activation, problem.likelihood) {}

double LocalReparameterisationEstimator::estimate(const StepInput& input, const Real* mu,
                                                  const Real* sigma, const Real* phi,
                                                  Real gradientScale, Real* dMu, Real* dSigma,
                                                  Real* dPhi) {
  const Index S = std::max(1, input.mcSamples);
  const double logLik =
      m_kernel.evaluate(*input.batch, S, mu, sigma, phi, gradientScale / static_cast<Real>(S), dMu,
                        dSigma, dPhi, input.rng, input.threads);
  return logLik / static_cast<double>(S);
}

double LocalReparameterisationEstimator::estimateWithPasses(
    const StepInput& input, const Real* mu, const Real* sigma, const Real* phi, Real gradientScale,
    Real* dMu, Real* dSigma, Real* dPhi, Index /*weightCount*/, const BlockPasses& passes) {
  const Index S = std::max(1, input.mcSamples);
  const double logLik =
      m_kernel.evaluate(*input.batch, S, mu, sigma, phi, gradientScale / static_cast<Real>(S), dMu,
                        dSigma, dPhi, input.rng, input.threads, passes);
  return logLik / static_cast<double>(S);
}

Index LocalReparameterisationEstimator::finishParts(const StepInput& input, Index /*weightCount*/) {
  return m_kernel.finishParts(std::max(1, input.mcSamples), input.batch->size());
}

BAYESLAB_END_NAMESPACE
