#include "engine/likelihood/bernoulli_likelihood.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

namespace {
inline double softplus(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
inline double sigmoid(double x) {
  return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
}
}  // namespace

double BernoulliLikelihood::logLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y,
                                          const Real*, Real gradientScale, Matrix* dF,
                                          Real*) const {
  double total = 0.0;
  if (dF) dF->resize(1, f.cols());
  for (Index i = 0; i < f.cols(); ++i) {
    const double fi = f(0, i);
    const double yi = y.labels[i] == 1 ? 1.0 : 0.0;
    total += yi * fi - softplus(fi);
    if (dF) (*dF)(0, i) = static_cast<Real>(gradientScale * (yi - sigmoid(fi)));
  }
  return total;
}

void BernoulliLikelihood::pointLogLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y,
                                             const Real*, Real* out) const {
  for (Index i = 0; i < f.cols(); ++i) {
    const double fi = f(0, i);
    out[i] = static_cast<Real>((y.labels[i] == 1 ? fi : 0.0) - softplus(fi));
  }
}

void BernoulliLikelihood::predictiveMean(const Eigen::Ref<const Matrix>& f, Matrix& out) const {
  out.resize(2, f.cols());
  for (Index i = 0; i < f.cols(); ++i) {
    const double p = sigmoid(f(0, i));
    out(0, i) = static_cast<Real>(1.0 - p);
    out(1, i) = static_cast<Real>(p);
  }
}

BAYESLAB_END_NAMESPACE
