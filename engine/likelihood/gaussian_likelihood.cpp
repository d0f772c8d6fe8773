#include "engine/likelihood/gaussian_likelihood.h"

#include <cmath>
#include <numbers>

#include "engine/core/math_constants.h"

BAYESLAB_BEGIN_NAMESPACE

GaussianLikelihood::GaussianLikelihood(double noiseStd, bool learnNoise)
    : m_noiseStd(noiseStd), m_learn(learnNoise) {}

void GaussianLikelihood::initialParameters(Real* params) const {
  if (m_learn) params[0] = static_cast<Real>(std::log(m_noiseStd));
}

std::vector<std::string> GaussianLikelihood::parameterNames() const {
  if (m_learn) return {"log_noise_std"};
  return {};
}

double GaussianLikelihood::noiseStd(const Real* params) const {
  return m_learn ? std::exp(static_cast<double>(params[0])) : m_noiseStd;
}

double GaussianLikelihood::noiseVariance(const Real* params) const {
  const double s = noiseStd(params);
  return s * s;
}

double GaussianLikelihood::logLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y,
                                         const Real* params, Real gradientScale, Matrix* dF,
                                         Real* dParams) const {
  const ConstMatrixMap targets(y.values, f.rows(), f.cols());
  const double s = noiseStd(params);
  const double inv = 1.0 / (s * s);
  const double sq = static_cast<double>((targets - f).squaredNorm());
  const double count = static_cast<double>(f.size());
  if (dF) dF->noalias() = (targets - f) * static_cast<Real>(gradientScale * inv);
  if (dParams && m_learn) dParams[0] += static_cast<Real>(gradientScale * (sq * inv - count));
  return -0.5 * sq * inv - count * (std::log(s) + kHalfLogTwoPi);
}

void GaussianLikelihood::pointLogLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y,
                                            const Real* params, Real* out) const {
  const ConstMatrixMap targets(y.values, f.rows(), f.cols());
  const double s = noiseStd(params);
  const Real constant = static_cast<Real>(f.rows() * (std::log(s) + kHalfLogTwoPi));
  const Real half = static_cast<Real>(0.5 / (s * s));
  Eigen::Map<RowVector>(out, f.cols()) =
      -half * (targets - f).colwise().squaredNorm().array() - constant;
}

BAYESLAB_END_NAMESPACE
