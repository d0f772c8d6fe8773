#pragma once
// Estimators of the data term of the ELBO for a mean-field Gaussian
// q(w) = N(mu, diag(sigma^2)) and of its gradient with respect to (mu, sigma):
//
//   D(mu, sigma) = sum_{i in batch} E_q[log p(y_i | x_i, w)].
//
// The mean-field methods (bbb, bbb_lrt, bbb_flipout, bbvi) share their
// parameters, KL and chain rule (MeanFieldMethod) and differ only here; the
// gradient-variance diagnostic compares them at the same parameters.
#include <functional>

#include "engine/core/parallel.h"
#include "engine/methods/method.h"

BAYESLAB_BEGIN_NAMESPACE

// Work of the caller on the parameters that an estimator may run inside its
// own passes over them, saving passes and thread synchronisations:
// `prepare(b)` must have run on block b of parameterBlocks(P)
// (partRange(P, parameterBlocks(P), b)) before sigma is read there (it writes
// sigma); `finish(r, part)` runs once dMu and dSigma are final on the
// parameters r (it adds the KL's gradient). The estimator cuts [0, P) into
// finishParts() disjoint ranges, fixed by the problem's shape, and calls
// `finish` once on each, with its part number; the caller keeps results per
// part and reduces them in part order, so they do not depend on the threads.
struct BlockPasses {
  std::function<void(Index)> prepare;
  std::function<void(Range, Index)> finish;
};

class DataTermEstimator {
 public:
  virtual ~DataTermEstimator() = default;

  // Returns the estimate of D averaged over S = input.mcSamples draws. If dMu is
  // given, writes gradientScale * dD/dmu into dMu and gradientScale * dD/dsigma
  // into dSigma (P entries each, overwritten) and adds gradientScale * dD/dphi to
  // dPhi (the likelihood parameters). Deterministic given input.rng.
  virtual double estimate(const StepInput& input, const Real* mu, const Real* sigma,
                          const Real* phi, Real gradientScale, Real* dMu, Real* dSigma,
                          Real* dPhi) = 0;

  // estimate() with the caller's block passes: by default a pass of `prepare`
  // before and one of `finish` after, its parts the parameter blocks; an
  // estimator may fuse them into its own passes.
  virtual double estimateWithPasses(const StepInput& input, const Real* mu, const Real* sigma,
                                    const Real* phi, Real gradientScale, Real* dMu, Real* dSigma,
                                    Real* dPhi, Index weightCount, const BlockPasses& passes) {
    const Index blocks = parameterBlocks(weightCount);
    parallelFor(input.threads, blocks, [&](Index b) { passes.prepare(b); });
    const double value = estimate(input, mu, sigma, phi, gradientScale, dMu, dSigma, dPhi);
    parallelFor(input.threads, blocks,
                [&](Index b) { passes.finish(partRange(weightCount, blocks, b), b); });
    return value;
  }
  // How many parts estimateWithPasses() cuts the parameters into for `finish`
  // on a step with `input` (its batch size and samples).
  virtual Index finishParts(const StepInput& /*input*/, Index weightCount) {
    return parameterBlocks(weightCount);
  }

  // Estimator-specific values for the metrics (e.g. a control variate).
  virtual void addExtras(StepStats& /*stats*/) const {}
};

BAYESLAB_END_NAMESPACE
