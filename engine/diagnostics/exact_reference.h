#pragma once
// The exact posterior beside an approximation, for the sessions that have one:
// a linear model ("hidden": []) with one output, a Gaussian likelihood whose noise
// is fixed, and the prior N(0, s^2) on every weight and bias. That is Bayesian
// linear regression (bayesian_linear_regression.h): its posterior over (w, b),
// its predictive and its log evidence log p(D) are known in closed form, so views
// can draw them next to any method's posterior, predictive and ELBO without
// knowing which method ran. For everything else the reference is HMC.
//
// The reference uses the whole training set: the posterior that exact Bayesian
// updating reaches after every part of a sequential run, too.
#include <optional>

#include "engine/diagnostics/bayesian_linear_regression.h"
#include "engine/training/trainer.h"

BAYESLAB_BEGIN_NAMESPACE

std::optional<LinearRegressionPosterior> exactReference(const Trainer& trainer);

// How far a posterior's per-parameter summaries are from the exact posterior.
struct ExactComparison {
  double maxMeanError = 0.0;  // max_i |mean_i - m_i| / sqrt(Sigma_ii)
  double minStdRatio = 0.0;   // min_i std_i / sqrt(Sigma_ii)
  double maxStdRatio = 0.0;   // max_i std_i / sqrt(Sigma_ii)
};
ExactComparison compareWithExact(const Posterior& posterior,
                                 const LinearRegressionPosterior& exact);

BAYESLAB_END_NAMESPACE
