#pragma once
// The Laplace approximation to the log marginal likelihood (evidence), MacKay
// (1992, "A practical Bayesian framework for backpropagation networks"); Immer
// et al. (2021, "Scalable marginal likelihood estimation for model selection in
// deep learning"):
//   log p(D) ~ log p(D | w*) + log p(w*) + (P/2) log 2 pi - (1/2) log det H,
// with H = H_data + prior precision over the P parameters the approximation
// covers. It is exact for a linear model with Gaussian noise and prior.
//
// For an isotropic Gaussian prior N(0, 1/lambda) and data-curvature eigenvalues
// e_i this is, as a function of the prior precision,
//   log Z(lambda) = log p(D | w*) + (P/2) log lambda - (lambda/2) |w*|^2
//                   - (1/2) sum_i log(e_i + lambda),
//   d log Z / d log lambda = (1/2) (gamma(lambda) - lambda |w*|^2),
//   gamma(lambda) = sum_i e_i / (e_i + lambda)   (the effective number of parameters),
// which decreases strictly in lambda: log Z is concave in log lambda and its maximiser is
// the unique root of gamma = lambda |w*|^2, MacKay's re-estimation fixed point. It is
// found by bisection in log lambda.
#include <Eigen/Dense>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

double laplaceLogEvidence(double logLikelihood, double logPrior, Index parameters,
                          double logDetPrecision);

struct IsotropicEvidence {
  double logLikelihood = 0.0;  // log p(D | w*)
  double squaredNorm = 0.0;    // |w*|^2 over the covered parameters
  Eigen::VectorXd spectrum;    // eigenvalues e_i of H_data (one per covered parameter)

  double value(double logLambda) const;
  double derivative(double logLambda) const;  // d / d log lambda
  double effectiveParameters(double lambda) const;
  // argmax over lambda in [1e-8, 1e8] (a bound when the maximum lies beyond it).
  double optimalPrecision() const;
};

BAYESLAB_END_NAMESPACE
