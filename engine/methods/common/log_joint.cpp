#include "engine/methods/common/log_joint.h"

#include <numeric>

BAYESLAB_BEGIN_NAMESPACE

LogJoint::LogJoint(const Problem& problem)
    : m_evaluator(MlpKernel(problem.layout, problem.activation), problem.likelihood),
      m_prior(problem.prior) {
  m_likelihoodParameters.resize(problem.likelihood->parameterCount());
  problem.likelihood->initialParameters(m_likelihoodParameters.data());
}

LogJointTerms LogJoint::evaluate(const Batch& batch, double scale, const Real* w, Real* gradient,
                                 int threads) {
  LogJointTerms terms;
  terms.logLikelihood =
      scale * m_evaluator.evaluate(batch, 1, w, m_likelihoodParameters.data(),
                                   static_cast<Real>(scale), gradient, nullptr, threads);
  terms.logPrior = m_prior->logDensity(w, weightCount(), Real(1), gradient);
  return terms;
}

void checkSamplerProblem(const Problem& problem, const std::string& method) {
  if (problem.likelihood->parameterCount() > 0)
    throw InputError("", "likelihood.learn_noise",
                     method +
                         " samples the weights with the observation noise fixed: set "
                         "learn_noise to false");
  if (problem.prior->hyperparameterCount() > 0)
    throw InputError("", "prior.name",
                     method + " needs a prior without learned hyperparameters (not '" +
                         problem.prior->id() + "')");
}

Batch fullBatch(const Dataset& data) {
  std::vector<Index> all(static_cast<size_t>(data.size()));
  std::iota(all.begin(), all.end(), Index(0));
  Batch batch;
  batch.gather(data, all.data(), data.size());
  return batch;
}

BAYESLAB_END_NAMESPACE
