#pragma once
// Estimators of the data term of the ELBO for a mean-field Gaussian
// q(w) = N(mu, diag(sigma^2)) and of its gradient with respect to (mu, sigma):
//
//   D(mu, sigma) = sum_{i in batch} E_q[log p(y_i | x_i, w)].
//
// The mean-field methods (bbb, bbb_lrt, bbb_flipout, bbvi) share their
// parameters, KL and chain rule (MeanFieldMethod) and differ only here; the
// gradient-variance diagnostic compares them at the same parameters.
#include "engine/methods/method.h"

BAYESLAB_BEGIN_NAMESPACE

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

  // Estimator-specific values for the metrics (e.g. a control variate).
  virtual void addExtras(StepStats& /*stats*/) const {}
};

BAYESLAB_END_NAMESPACE
