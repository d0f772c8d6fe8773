#pragma once
// K-class classification with logits f (K outputs):
//   log p(y | f) = f_y - log sum_k exp(f_k),   d/df = onehot(y) - softmax(f).
#include "engine/likelihood/likelihood.h"

BAYESLAB_BEGIN_NAMESPACE

class SoftmaxLikelihood final : public Likelihood {
 public:
  explicit SoftmaxLikelihood(int classes) : m_classes(classes) {}
  const char* id() const override { return "softmax"; }
  Task task() const override { return Task::Classification; }
  Index outputDim(const Dataset&) const override { return m_classes; }
  double logLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y, const Real* params,
                       Real gradientScale, Matrix* dF, Real* dParams) const override;
  void pointLogLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y,
                          const Real* params, Real* out) const override;
  void predictiveMean(const Eigen::Ref<const Matrix>& f, Matrix& out) const override;
  int classes() const override { return m_classes; }

 private:
  int m_classes;
};

// Column-wise softmax, numerically stable.
void softmaxColumns(const Eigen::Ref<const Matrix>& logits, Matrix& probabilities);

BAYESLAB_END_NAMESPACE
