#include "engine/prior/diagonal_gaussian_prior.h"

#include <cmath>
#include <numbers>

BAYESLAB_BEGIN_NAMESPACE

DiagonalGaussianPrior::DiagonalGaussianPrior(Vector mean, Vector std, std::string label)
    : m_mean(std::move(mean)), m_std(std::move(std)), m_label(std::move(label)) {}

double DiagonalGaussianPrior::logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                                         const PriorContext& context) const {
  const auto m = m_mean.array().segment(context.offset, n);
  const auto s = m_std.array().segment(context.offset, n);
  const ConstArrayMap x(w, n);
  if (grad) ArrayMap(grad, n) -= gradientScale * (x - m) / s.square();
  return -0.5 * static_cast<double>(((x - m) / s).square().sum()) -
         static_cast<double>(s.log().sum()) -
         static_cast<double>(n) * 0.5 * std::log(2.0 * std::numbers::pi);
}

double DiagonalGaussianPrior::density(double w) const {
  double sum = 0.0;
  for (Index i = 0; i < m_mean.size(); ++i) {
    const double z = (w - m_mean(i)) / m_std(i);
    sum += std::exp(-0.5 * z * z) / m_std(i);
  }
  return sum / (static_cast<double>(std::max<Index>(1, m_mean.size())) *
                std::sqrt(2.0 * std::numbers::pi));
}

double DiagonalGaussianPrior::klGaussian(const Real* mu, const Real* sigma, Index n,
                                         Real gradientScale, Real* dMu, Real* dSigma,
                                         const PriorContext& context) const {
  const auto m = m_mean.array().segment(context.offset, n);
  const auto s = m_std.array().segment(context.offset, n);
  const ConstArrayMap q(mu, n), sg(sigma, n);
  if (dMu) ArrayMap(dMu, n) += gradientScale * (q - m) / s.square();
  if (dSigma) ArrayMap(dSigma, n) += gradientScale * (sg / s.square() - sg.inverse());
  return static_cast<double>(
             (s.log() - sg.log() + (sg.square() + (q - m).square()) / (2 * s.square())).sum()) -
         0.5 * static_cast<double>(n);
}

BAYESLAB_END_NAMESPACE
