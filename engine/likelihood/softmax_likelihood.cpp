#include "engine/likelihood/softmax_likelihood.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

void softmaxColumns(const Eigen::Ref<const Matrix>& logits, Matrix& probabilities) {
  probabilities.resize(logits.rows(), logits.cols());
  for (Index i = 0; i < logits.cols(); ++i) {
    const Real m = logits.col(i).maxCoeff();
    probabilities.col(i) = (logits.col(i).array() - m).exp().matrix();
    probabilities.col(i) /= probabilities.col(i).sum();
  }
}

double SoftmaxLikelihood::logLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y,
                                        const Real*, Real gradientScale, Matrix* dF, Real*) const {
  double total = 0.0;
  if (dF) dF->resize(f.rows(), f.cols());
  for (Index i = 0; i < f.cols(); ++i) {
    const auto col = f.col(i);
    const Real m = col.maxCoeff();
    double sum = 0.0;
    for (Index k = 0; k < f.rows(); ++k) sum += std::exp(static_cast<double>(col(k) - m));
    const double logSum = static_cast<double>(m) + std::log(sum);
    const int label = y.labels[i];
    total += static_cast<double>(col(label)) - logSum;
    if (dF) {
      for (Index k = 0; k < f.rows(); ++k) {
        const double p = std::exp(static_cast<double>(col(k)) - logSum);
        (*dF)(k, i) = static_cast<Real>(gradientScale * ((k == label ? 1.0 : 0.0) - p));
      }
    }
  }
  return total;
}

void SoftmaxLikelihood::pointLogLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y,
                                           const Real*, Real* out) const {
  for (Index i = 0; i < f.cols(); ++i) {
    const auto col = f.col(i);
    const Real m = col.maxCoeff();
    const double logSum =
        static_cast<double>(m) + std::log(static_cast<double>((col.array() - m).exp().sum()));
    out[i] = static_cast<Real>(static_cast<double>(col(y.labels[i])) - logSum);
  }
}

void SoftmaxLikelihood::predictiveMean(const Eigen::Ref<const Matrix>& f, Matrix& out) const {
  softmaxColumns(f, out);
}

BAYESLAB_END_NAMESPACE
