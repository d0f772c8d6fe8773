#pragma once
// Held-out metrics of a posterior predictive, estimated with S function draws:
//   test log-likelihood = mean_i log (1/S) sum_s p(y_i | f_s(x_i))   (per point, nats)
//   RMSE of the predictive mean (regression), accuracy of argmax p (classification),
//   ECE: classification: sum_b (n_b / n) |accuracy_b - confidence_b| over 10 equal-width
//   confidence bins (Guo et al. 2017); regression: mean |q - coverage(q)| of the central
//   predictive intervals for q = 0.05, 0.15, .., 0.95 (Kuleshov et al. 2018).
#include <limits>

#include "engine/likelihood/likelihood.h"
#include "engine/methods/posterior.h"
#include "engine/predictive/calibration.h"

BAYESLAB_BEGIN_NAMESPACE

struct TestMetrics {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  double logLikelihood = kNaN;
  double rmse = kNaN;      // regression
  double accuracy = kNaN;  // classification
  double ece = kNaN;
};

TestMetrics evaluatePredictive(const Posterior& posterior, const Likelihood& likelihood,
                               const Dataset& test, int samples, const RandomStream& rng,
                               int threads);

BAYESLAB_END_NAMESPACE
