#include "engine/methods/laplace/output_curvature.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

Index seedsPerExample(OutputCurvature kind, const Likelihood& likelihood, Index outputs) {
  if (kind == OutputCurvature::EmpiricalFisher) return 1;
  // Bernoulli: one logit, one seed; Gaussian and softmax: one per output.
  return likelihood.task() == Task::Classification && outputs == 1 ? 1 : outputs;
}

void outputSeeds(OutputCurvature kind, const Likelihood& likelihood, const Real* likelihoodParams,
                 const Eigen::Ref<const Matrix>& f, const TargetView& y, Eigen::MatrixXd& seeds) {
  const Index K = f.rows(), M = f.cols();
  const Index C = seedsPerExample(kind, likelihood, K);
  seeds.setZero(K, M * C);
  if (kind == OutputCurvature::EmpiricalFisher) {
    Matrix gradient;
    likelihood.logLikelihood(f, y, likelihoodParams, Real(1), &gradient, nullptr);
    seeds = gradient.cast<double>();
    return;
  }
  if (likelihood.task() == Task::Regression) {
    const double inverseSd = 1.0 / std::sqrt(likelihood.noiseVariance(likelihoodParams));
    for (Index n = 0; n < M; ++n)
      for (Index k = 0; k < K; ++k) seeds(k, n * C + k) = inverseSd;
    return;
  }
  Matrix p;
  likelihood.predictiveMean(f, p);  // class probabilities (Bernoulli: rows 1 - p, p)
  if (K == 1) {
    for (Index n = 0; n < M; ++n)
      seeds(0, n) = std::sqrt(static_cast<double>(p(0, n)) * static_cast<double>(p(1, n)));
    return;
  }
  for (Index n = 0; n < M; ++n) {
    const Eigen::VectorXd pn = p.col(n).cast<double>();
    const Eigen::VectorXd root = pn.cwiseSqrt();
    auto block = seeds.middleCols(n * C, C);
    block = -pn * root.transpose();
    block.diagonal() += root;
  }
}

BAYESLAB_END_NAMESPACE
