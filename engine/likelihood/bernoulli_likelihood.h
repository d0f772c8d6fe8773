#pragma once
// Binary classification with one logit f:
//   log p(y | f) = y f - softplus(f),   d/df = y - sigmoid(f).
#include "engine/likelihood/likelihood.h"

BAYESLAB_BEGIN_NAMESPACE

class BernoulliLikelihood final : public Likelihood {
 public:
  const char* id() const override { return "bernoulli"; }
  Task task() const override { return Task::Classification; }
  Index outputDim(const Dataset&) const override { return 1; }
  double logLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y, const Real* params,
                       Real gradientScale, Matrix* dF, Real* dParams) const override;
  void pointLogLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y,
                          const Real* params, Real* out) const override;
  // Probabilities of classes 0 and 1 (2 x M).
  void predictiveMean(const Eigen::Ref<const Matrix>& f, Matrix& out) const override;
  int classes() const override { return 2; }
};

BAYESLAB_END_NAMESPACE
