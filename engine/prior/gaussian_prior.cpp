#include "engine/prior/gaussian_prior.h"

#include <cmath>
#include <numbers>
#include <sstream>

BAYESLAB_BEGIN_NAMESPACE

std::string GaussianPrior::describe() const {
  std::ostringstream os;
  os << "N(0, " << m_scale << "\u00b2)";
  return os.str();
}

double GaussianPrior::logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                                 const PriorContext&) const {
  const ConstArrayMap x(w, n);
  const double inv = 1.0 / (m_scale * m_scale);
  if (grad) ArrayMap(grad, n) -= x * static_cast<Real>(gradientScale * inv);
  const double sq = static_cast<double>(x.matrix().squaredNorm());
  return -0.5 * inv * sq -
         static_cast<double>(n) * (std::log(m_scale) + 0.5 * std::log(2.0 * std::numbers::pi));
}

double GaussianPrior::density(double w) const {
  return std::exp(-0.5 * w * w / (m_scale * m_scale)) /
         (m_scale * std::sqrt(2.0 * std::numbers::pi));
}

double GaussianPrior::klGaussian(const Real* mu, const Real* sigma, Index n, Real gradientScale,
                                 Real* dMu, Real* dSigma, const PriorContext&) const {
  const ConstArrayMap m(mu, n), s(sigma, n);
  const Real inv = static_cast<Real>(1.0 / (m_scale * m_scale));
  const double logScale = std::log(m_scale);
  // sum_i [log s - log sigma_i + (sigma_i^2 + mu_i^2) / (2 s^2) - 1/2]
  const double quadratic = static_cast<double>((s.square() + m.square()).sum()) * 0.5 * inv;
  const double logSigma = static_cast<double>(s.log().sum());
  if (dMu) ArrayMap(dMu, n) += m * (gradientScale * inv);
  if (dSigma) ArrayMap(dSigma, n) += gradientScale * (s * inv - s.inverse());
  return static_cast<double>(n) * (logScale - 0.5) - logSigma + quadratic;
}

PriorDescriptor gaussianPriorDescriptor() {
  PriorDescriptor d;
  d.id = "gaussian";
  d.displayName = "Gaussian";
  d.description =
      "Independent N(0, s\u00b2) on every weight and bias. The KL to a Gaussian q is computed in "
      "closed form. For a MAP network it is L2 weight decay with coefficient 1/(2s\u00b2).";
  d.formula = "p(w) = N(w; 0, s\u00b2)";
  d.options = {OptionSpec::real("scale", "Scale s",
                                "Prior standard deviation of every weight and "
                                "bias. Smaller values pull the weights towards 0.",
                                1.0, 1e-4, 1e4, true)};
  d.options[0].logScale = true;
  d.create = [](const OptionValues& o) -> std::shared_ptr<const Prior> {
    return std::make_shared<GaussianPrior>(o.number("scale"));
  };
  return d;
}

BAYESLAB_END_NAMESPACE
