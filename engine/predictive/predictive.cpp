#include "engine/predictive/predictive.h"

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
                                                 const Likelihood& likelihood) {
  ClassificationPredictive c;
  if (outputs.empty()) return c;
  const Index M = outputs[0].cols();
  const double S = static_cast<double>(outputs.size());
  Matrix p;
  Eigen::MatrixXd sum, sumSq;
  Eigen::VectorXd expectedEntropy = Eigen::VectorXd::Zero(M);
  for (const Matrix& f : outputs) {
    likelihood.predictiveMean(f, p);
    if (sum.size() == 0) {
      sum = Eigen::MatrixXd::Zero(p.rows(), M);
      sumSq = Eigen::MatrixXd::Zero(p.rows(), M);
    }
    const Eigen::MatrixXd pd = p.cast<double>();
    sum += pd;
    sumSq.array() += pd.array().square();
    expectedEntropy += columnEntropy(p).cast<double>();
  }
  const Eigen::MatrixXd mean = sum / S;
  c.probabilities = mean.cast<Real>();
  c.probabilityStd =
      (sumSq.array() / S - mean.array().square()).max(0.0).sqrt().matrix().cast<Real>();
  c.entropy = columnEntropy(c.probabilities);
  c.mutualInformation = (c.entropy.cast<double>() - expectedEntropy / S).cwiseMax(0.0).cast<Real>();
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
  std::vector<Matrix> outputs;
  posterior.sampleOutputs(x, effectiveSamples(posterior, samples), rng, threads, outputs);
  ClassificationPredictive c = summariseClassification(outputs, likelihood);
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
