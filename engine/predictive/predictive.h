#pragma once
// Posterior predictive summaries from S function draws f_s = f(x; w_s):
//
// Regression (Gaussian noise s^2):
//   mean = (1/S) sum_s f_s,  var_epistemic = (1/S) sum_s (f_s - mean)^2,
//   var_total = var_epistemic + s^2.
// Classification (p_s = class probabilities of draw s):
//   p = (1/S) sum_s p_s,  entropy H[p] = -sum_k p_k log p_k (total),
//   mutual information I = H[p] - (1/S) sum_s H[p_s] (epistemic, the BALD score).
#include <vector>

#include "engine/likelihood/likelihood.h"
#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

struct RegressionPredictive {
  Vector mean;
  Vector stdEpistemic;
  Vector stdTotal;
  Matrix functions;  // a few sampled functions, one per row (kept x M)
};

struct ClassificationPredictive {
  Matrix probabilities;   // K x M, MC mean
  Matrix probabilityStd;  // K x M, std across draws
  Vector entropy;         // H[p]
  Vector mutualInformation;
};

// `samples` is reduced to 1 for deterministic posteriors.
RegressionPredictive predictRegression(const Posterior& posterior, const Likelihood& likelihood,
                                       const Eigen::Ref<const Matrix>& x, int samples,
                                       const RandomStream& rng, int threads, int keepFunctions = 0);
ClassificationPredictive predictClassification(const Posterior& posterior,
                                               const Likelihood& likelihood,
                                               const Eigen::Ref<const Matrix>& x, int samples,
                                               const RandomStream& rng, int threads);

// Summaries from draws already made (out[s] = network outputs, d_out x M).
RegressionPredictive summariseRegression(const std::vector<Matrix>& outputs, double noiseVariance,
                                         int keepFunctions);
ClassificationPredictive summariseClassification(const std::vector<Matrix>& outputs,
                                                 const Likelihood& likelihood, int threads = 1);

// When the posterior has closed-form class probabilities (Posterior::classProbabilities,
// e.g. the probit approximation), uses them for the mean, the entropy and the mutual
// information (whose expected-entropy part still comes from the draws).
void useClosedFormProbabilities(const Posterior& posterior, const Likelihood& likelihood,
                                const Eigen::Ref<const Matrix>& x, int threads,
                                ClassificationPredictive& c);

// Entropy of each column of a probability matrix (natural log).
Vector columnEntropy(const Matrix& probabilities);

BAYESLAB_END_NAMESPACE
