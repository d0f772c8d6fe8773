#include "engine/diagnostics/exact_reference.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

std::optional<LinearRegressionPosterior> exactReference(const Trainer& trainer) {
  const Likelihood& likelihood = trainer.likelihood();
  // The session's prior: with sequential learning the trainer's current prior is the
  // previous part's posterior, but the reference is the posterior of all the data.
  const PriorConfig& prior = trainer.config().prior;
  const Dataset& train = trainer.data().train;
  if (!trainer.layout().hidden().empty() || trainer.layout().outputDim() != 1 ||
      prior.name != "gaussian" || likelihood.task() != Task::Regression ||
      likelihood.parameterCount() > 0 || train.size() == 0)
    return std::nullopt;
  return exactLinearRegression(train, std::sqrt(likelihood.noiseVariance(nullptr)),
                               resolvedPriorOptions(prior).number("scale"));
}

ExactComparison compareWithExact(const Posterior& posterior,
                                 const LinearRegressionPosterior& exact) {
  const Eigen::VectorXd sd = exact.covariance.diagonal().cwiseSqrt();
  const Eigen::VectorXd mean = posterior.flatMean().cast<double>();
  const Eigen::VectorXd ratio = posterior.flatStd().cast<double>().cwiseQuotient(sd);
  ExactComparison c;
  c.maxMeanError = (mean - exact.mean).cwiseQuotient(sd).cwiseAbs().maxCoeff();
  c.minStdRatio = ratio.minCoeff();
  c.maxStdRatio = ratio.maxCoeff();
  return c;
}

BAYESLAB_END_NAMESPACE
