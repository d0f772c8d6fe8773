#include "engine/predictive/predictive.h"

#include "engine/core/parallel.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

namespace {
int effectiveSamples(const Posterior& posterior, int samples) {
  return posterior.isDeterministic() ? 1 : std::max(1, samples);
}
}  // namespace

Vector columnEntropy(const Matrix& p) {
  Vector h(p.cols());
  for (Index i = 0; i < p.cols(); ++i) {
    double sum = 0.0;
    for (Index k = 0; k < p.rows(); ++k) {
      const double q = p(k, i);
      if (q > 0.0) sum -= q * std::log(q);
    }
    h(i) = static_cast<Real>(sum);
  }
  return h;
}

RegressionPredictive summariseRegression(const std::vector<Matrix>& outputs, double noiseVariance,
                                         int keepFunctions) {
  RegressionPredictive r;
  const Index M = outputs.empty() ? 0 : outputs[0].cols();
  const double S = static_cast<double>(outputs.size());
  Eigen::ArrayXd sum = Eigen::ArrayXd::Zero(M), sumSq = Eigen::ArrayXd::Zero(M);
  for (const Matrix& f : outputs) {
    const Eigen::ArrayXd row = f.row(0).transpose().cast<double>().array();
    sum += row;
    sumSq += row.square();
  }
  const Eigen::ArrayXd mean = sum / S;
  const Eigen::ArrayXd var = (sumSq / S - mean.square()).max(0.0);
  r.mean = mean.cast<Real>().matrix();
  r.stdEpistemic = var.sqrt().cast<Real>().matrix();
  r.stdTotal = (var + noiseVariance).sqrt().cast<Real>().matrix();
  const Index keep = std::min<Index>(keepFunctions, static_cast<Index>(outputs.size()));
  r.functions.resize(keep, M);
  for (Index s = 0; s < keep; ++s) r.functions.row(s) = outputs[static_cast<size_t>(s)].row(0);
  return r;
}

ClassificationPredictive summariseClassification(const std::vector<Matrix>& outputs,
                                                 const Likelihood& likelihood, int threads) {
  ClassificationPredictive c;
  if (outputs.empty()) return c;
  const Index M = outputs[0].cols();
  const double S = static_cast<double>(outputs.size());
  Matrix first;
  likelihood.predictiveMean(outputs[0].leftCols(std::min<Index>(M, 1)), first);
  const Index K = first.rows();
  c.probabilities.resize(K, M);
  c.probabilityStd.resize(K, M);
  c.entropy.resize(M);
  c.mutualInformation.resize(M);
  // Column blocks, each summed over the draws in order: thread-count independent.
  const Index blocks = unitCount(M, 1024, 256);
  parallelFor(threads, blocks, [&](Index b) {
    const Range r = partRange(M, blocks, b);
    Matrix p;
    Eigen::ArrayXXd sum = Eigen::ArrayXXd::Zero(K, r.size), sumSq = sum;
    Eigen::ArrayXd expectedEntropy = Eigen::ArrayXd::Zero(r.size);
    for (const Matrix& f : outputs) {
      likelihood.predictiveMean(f.middleCols(r.begin, r.size), p);
      const Eigen::ArrayXXd pd = p.array().cast<double>();
      sum += pd;
      sumSq += pd.square();
      // -sum_k p log p, with 0 log 0 = 0 (p is clamped inside the log only).
      expectedEntropy -=
          (p.array() * p.array().max(Real(1e-30)).log()).colwise().sum().transpose().cast<double>();
    }
    const Eigen::ArrayXXd mean = sum / S;
    c.probabilities.middleCols(r.begin, r.size) = mean.cast<Real>().matrix();
    c.probabilityStd.middleCols(r.begin, r.size) =
        (sumSq / S - mean.square()).max(0.0).sqrt().cast<Real>().matrix();
    const Eigen::ArrayXd entropy = -(mean * mean.max(1e-300).log()).colwise().sum().transpose();
    c.entropy.segment(r.begin, r.size) = entropy.cast<Real>().matrix();
    c.mutualInformation.segment(r.begin, r.size) =
        (entropy - expectedEntropy / S).max(0.0).cast<Real>().matrix();
  });
  return c;
}

RegressionPredictive predictRegression(const Posterior& posterior, const Likelihood& likelihood,
                                       const Eigen::Ref<const Matrix>& x, int samples,
                                       const RandomStream& rng, int threads, int keepFunctions) {
  std::vector<Matrix> outputs;
  posterior.sampleOutputs(x, effectiveSamples(posterior, samples), rng, threads, outputs);
  return summariseRegression(
      outputs, likelihood.noiseVariance(posterior.likelihoodParameters().data()), keepFunctions);
}

ClassificationPredictive predictClassification(const Posterior& posterior,
                                               const Likelihood& likelihood,
                                               const Eigen::Ref<const Matrix>& x, int samples,
                                               const RandomStream& rng, int threads) {
  // Every quantity here is per input, so draws need not share weights across inputs.
  std::vector<Matrix> outputs;
  posterior.sampleMarginalOutputs(x, effectiveSamples(posterior, samples), rng, threads, outputs);
  ClassificationPredictive c = summariseClassification(outputs, likelihood, threads);
  useClosedFormProbabilities(posterior, likelihood, x, threads, c);
  return c;
}

void useClosedFormProbabilities(const Posterior& posterior, const Likelihood& likelihood,
                                const Eigen::Ref<const Matrix>& x, int threads,
                                ClassificationPredictive& c) {
  Matrix p;
  if (!posterior.classProbabilities(x, likelihood, threads, p)) return;
  // I = H[p] - E_s H[p_s]: keep the draws' expected entropy, replace H[p].
  const Vector expectedEntropy = c.entropy - c.mutualInformation;
  c.probabilities = p;
  c.entropy = columnEntropy(p);
  c.mutualInformation = (c.entropy - expectedEntropy).cwiseMax(Real(0));
}

BAYESLAB_END_NAMESPACE
