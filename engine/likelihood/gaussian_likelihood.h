#pragma once
// Gaussian observation noise:
//   log p(y | f) = -(y - f)^2 / (2 s^2) - log s - log(2 pi) / 2,
// with s fixed, or learned as the parameter log s:
//   d/d(log s) sum_i log p = sum_i ((y_i - f_i)^2 / s^2 - 1).
#include "engine/likelihood/likelihood.h"

BAYESLAB_BEGIN_NAMESPACE

class GaussianLikelihood final : public Likelihood {
 public:
  GaussianLikelihood(double noiseStd, bool learnNoise);
  const char* id() const override { return "gaussian"; }
  Task task() const override { return Task::Regression; }
  Index outputDim(const Dataset& data) const override { return data.targets.rows(); }
  Index parameterCount() const override { return m_learn ? 1 : 0; }
  void initialParameters(Real* params) const override;
  std::vector<std::string> parameterNames() const override;
  double logLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y, const Real* params,
                       Real gradientScale, Matrix* dF, Real* dParams) const override;
  void pointLogLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y,
                          const Real* params, Real* out) const override;
  void predictiveMean(const Eigen::Ref<const Matrix>& f, Matrix& out) const override { out = f; }
  double noiseVariance(const Real* params) const override;
  double noiseStd(const Real* params) const;

 private:
  double m_noiseStd;
  bool m_learn;
};

BAYESLAB_END_NAMESPACE
