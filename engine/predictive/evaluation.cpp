#include "engine/predictive/evaluation.h"

#include <cmath>
#include <numbers>

#include "engine/predictive/calibration.h"
#include "engine/predictive/predictive.h"

BAYESLAB_BEGIN_NAMESPACE

TestMetrics evaluatePredictive(const Posterior& posterior, const Likelihood& likelihood,
                               const Dataset& test, int samples, const RandomStream& rng,
                               int threads) {
  TestMetrics m;
  const Index M = test.size();
  if (M == 0) return m;
  const int S = posterior.isDeterministic() ? 1 : std::max(1, samples);
  std::vector<Matrix> outputs;
  // Every metric is per test point: the draws need not share weights across points.
  posterior.sampleMarginalOutputs(test.inputs, S, rng, threads, outputs);

  // log (1/S) sum_s p(y | f_s), via log-sum-exp over draws.
  const TargetView y = TargetView::of(test, 0, M);
  Eigen::MatrixXd pointLogLik(S, M);
  RowVector row(M);
  for (int s = 0; s < S; ++s) {
    likelihood.pointLogLikelihood(outputs[static_cast<size_t>(s)], y,
                                  posterior.likelihoodParameters().data(), row.data());
    pointLogLik.row(s) = row.cast<double>();
  }
  const Eigen::RowVectorXd top = pointLogLik.colwise().maxCoeff();
  const Eigen::RowVectorXd lse =
      top.array() + ((pointLogLik.rowwise() - top).array().exp().colwise().sum() / S).log();
  m.logLikelihood = lse.mean();
  Matrix closedForm;  // class probabilities in closed form (probit), if the posterior has them
  if (test.task == Task::Classification &&
      posterior.classProbabilities(test.inputs, likelihood, threads, closedForm)) {
    double sum = 0.0;
    for (Index i = 0; i < M; ++i)
      sum += std::log(std::max(static_cast<double>(closedForm(test.labels(i), i)), 1e-300));
    m.logLikelihood = sum / static_cast<double>(M);
  }

  if (test.task == Task::Regression) {
    const double noiseVar = likelihood.noiseVariance(posterior.likelihoodParameters().data());
    const RegressionPredictive r = summariseRegression(outputs, noiseVar, 0);
    m.rmse = std::sqrt((r.mean.transpose() - test.targets.row(0)).squaredNorm() /
                       static_cast<double>(M));
    // PIT of each target under the Gaussian mixture predictive, then interval coverage.
    const double sd = std::sqrt(std::max(noiseVar, 1e-300));
    std::vector<double> pit(static_cast<size_t>(M));
    for (Index i = 0; i < M; ++i) {
      double cdf = 0.0;
      for (int s = 0; s < S; ++s) {
        const double z = (test.targets(0, i) - outputs[static_cast<size_t>(s)](0, i)) / sd;
        cdf += 0.5 * std::erfc(-z / std::numbers::sqrt2);
      }
      pit[static_cast<size_t>(i)] = cdf / S;
    }
    double error = 0.0;
    int levels = 0;
    for (double q = 0.05; q < 1.0; q += 0.1, ++levels) {
      double inside = 0.0;
      for (double u : pit) inside += (std::abs(u - 0.5) <= q / 2) ? 1.0 : 0.0;
      error += std::abs(inside / static_cast<double>(M) - q);
    }
    m.ece = error / levels;
  } else {
    ClassificationPredictive c = summariseClassification(outputs, likelihood, threads);
    if (closedForm.size() > 0) c.probabilities = closedForm;
    double correct = 0.0;
    for (Index i = 0; i < M; ++i) {
      Index k = 0;
      c.probabilities.col(i).maxCoeff(&k);
      correct += k == test.labels(i) ? 1.0 : 0.0;
    }
    m.accuracy = correct / static_cast<double>(M);
    m.ece = expectedCalibrationError(c.probabilities, test.labels);
  }
  return m;
}

BAYESLAB_END_NAMESPACE
