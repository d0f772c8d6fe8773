#pragma once
// How noisy is each gradient estimator of the ELBO's data term?
//
// At fixed mean-field parameters (mu, sigma) and a fixed minibatch, draws R independent
// estimates of
//   g = d/d(mu, sigma) D,   D = sum_{i in batch} E_q[log p(y_i | x_i, w)],
//   q(w) = prod_j N(w_j; mu_j, sigma_j^2),
// with each estimator (all unbiased for the same g) and reports, per estimator, the
// mean over parameters of the per-parameter sample variance (1 / (R - 1)) of dD/dmu and
// of dD/dsigma, the same per layer, the mean estimate and the time per estimate:
//   reparameterisation        one weight sample per minibatch (Blundell et al. 2015)
//   local reparameterisation  per-example pre-activation samples (Kingma et al. 2015)
//   Flipout                   one perturbation, per-example sign flips (Wen et al. 2018)
//   score function            REINFORCE with a control variate (Ranganath et al. 2014)
// The variances are those of one step's estimate with S = mcSamples, before the N / B
// scaling of the ELBO (which multiplies every variance by (N / B)^2 alike).
//
// Nothing global: the GUI runs it on a background thread on a Posterior snapshot.
// Results do not depend on `threads`.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/errors.h"
#include "engine/data/dataset.h"
#include "engine/likelihood/likelihood.h"
#include "engine/methods/posterior.h"
#include "engine/model/activation.h"

BAYESLAB_BEGIN_NAMESPACE

enum class GradientEstimatorKind {
  Reparameterisation,
  LocalReparameterisation,
  Flipout,
  ScoreFunction
};

const std::vector<GradientEstimatorKind>& allGradientEstimators();
const char* gradientEstimatorId(GradientEstimatorKind kind);    // "local_reparameterisation"
const char* gradientEstimatorName(GradientEstimatorKind kind);  // "Local reparameterisation"

struct GradientVarianceOptions {
  int repetitions = 64;  // R: independent estimates per estimator (>= 2)
  int mcSamples = 1;     // S: Monte Carlo samples within each estimate
  int threads = 1;
  double fallbackStd = 1e-2;  // replaces a zero std (a point posterior such as MAP)
  // Estimates drawn and discarded before measuring, so the score function's
  // moving-average baseline (S = 1) has a history, as it would during training.
  int warmup = 8;
  std::uint64_t seed = 0;

  std::optional<FieldError> validate() const;
};

struct GradientVariance {
  GradientEstimatorKind estimator = GradientEstimatorKind::Reparameterisation;
  double varianceMu = 0.0;  // mean over parameters of Var[dD/dmu_j]
  double varianceSigma = 0.0;
  std::vector<double> layerVarianceMu, layerVarianceSigma;      // the same over each layer
  Eigen::VectorXd meanMu, meanSigma;                            // mean estimate of dD/d(mu, sigma)
  Eigen::VectorXd parameterVarianceMu, parameterVarianceSigma;  // Var per parameter
  int repetitions = 0;
  double secondsPerEstimate = 0.0;
};

std::vector<GradientVariance> measureGradientVariance(
    const MlpLayout& layout, Activation activation, std::shared_ptr<const Likelihood> likelihood,
    const Vector& mu, const Vector& sigma, const Vector& likelihoodParameters, const Batch& batch,
    const GradientVarianceOptions& options,
    const std::vector<GradientEstimatorKind>& estimators = allGradientEstimators());

// At a posterior's flatMean() and flatStd() (zero stds replaced by options.fallbackStd).
std::vector<GradientVariance> measureGradientVariance(
    const Posterior& posterior, std::shared_ptr<const Likelihood> likelihood, const Batch& batch,
    const GradientVarianceOptions& options,
    const std::vector<GradientEstimatorKind>& estimators = allGradientEstimators());

BAYESLAB_END_NAMESPACE
