#pragma once
// The unnormalised log posterior of the network weights on a batch,
//   log p(w) + scale * sum_{i in batch} log p(y_i | x_i, w),
// and its gradient in w: the target of the samplers (SGLD with scale = N / B on
// a minibatch, HMC with scale = 1 on the whole training set). The likelihood's
// own parameters (a Gaussian noise) are held fixed at their configured values;
// priors with learned hyperparameters are not supported (see checkSamplerProblem).
#include <memory>

#include "engine/methods/common/batch_evaluator.h"
#include "engine/methods/method.h"

BAYESLAB_BEGIN_NAMESPACE

struct LogJointTerms {
  double logLikelihood = 0.0;  // scale * sum_i log p(y_i | x_i, w)
  double logPrior = 0.0;       // log p(w)
  double total() const { return logLikelihood + logPrior; }
};

class LogJoint {
 public:
  LogJoint() = default;
  explicit LogJoint(const Problem& problem);

  // Returns the terms at w; if gradient (P values) is given it is overwritten
  // with d/dw of their sum.
  LogJointTerms evaluate(const Batch& batch, double scale, const Real* w, Real* gradient,
                         int threads);

  void setPrior(std::shared_ptr<const Prior> prior) { m_prior = std::move(prior); }
  const Prior& prior() const { return *m_prior; }
  const MlpKernel& kernel() const { return m_evaluator.kernel(); }
  const Vector& likelihoodParameters() const { return m_likelihoodParameters; }
  Index weightCount() const { return m_evaluator.kernel().layout().parameterCount(); }

 private:
  BatchEvaluator m_evaluator;
  std::shared_ptr<const Prior> m_prior;
  Vector m_likelihoodParameters;
};

// Throws InputError when a sampler cannot run this problem: a learned noise or a
// prior with learned hyperparameters (a sampler would have to sample them too).
void checkSamplerProblem(const Problem& problem, const std::string& method);

// The whole of a data set as one batch.
Batch fullBatch(const Dataset& data);

BAYESLAB_END_NAMESPACE
