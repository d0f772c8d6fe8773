#include "engine/prior/laplace_prior.h"

#include <cmath>
#include <numbers>
#include <sstream>

BAYESLAB_BEGIN_NAMESPACE

std::string LaplacePrior::describe() const {
  std::ostringstream os;
  os << "Laplace(0, " << m_scale << ")";
  return os.str();
}

double LaplacePrior::logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                                const PriorContext&) const {
  const ConstArrayMap x(w, n);
  if (grad) ArrayMap(grad, n) -= x.sign() * static_cast<Real>(gradientScale / m_scale);
  return -static_cast<double>(x.abs().sum()) / m_scale -
         static_cast<double>(n) * std::log(2.0 * m_scale);
}

double LaplacePrior::density(double w) const {
  return std::exp(-std::abs(w) / m_scale) / (2.0 * m_scale);
}

double LaplacePrior::klGaussian(const Real* mu, const Real* sigma, Index n, Real gradientScale,
                                Real* dMu, Real* dSigma, const PriorContext&) const {
  const double c = std::sqrt(2.0 / std::numbers::pi);
  const double constant = -0.5 * (1.0 + std::log(2.0 * std::numbers::pi)) + std::log(2.0 * m_scale);
  double total = 0.0;
  for (Index i = 0; i < n; ++i) {
    const double m = mu[i], s = sigma[i];
    const double gauss = std::exp(-0.5 * m * m / (s * s));
    const double erf = std::erf(m / (s * std::numbers::sqrt2));
    const double meanAbs = s * c * gauss + m * erf;
    total += -std::log(s) + constant + meanAbs / m_scale;
    if (dMu) dMu[i] += static_cast<Real>(gradientScale * erf / m_scale);
    if (dSigma) dSigma[i] += static_cast<Real>(gradientScale * (-1.0 / s + c * gauss / m_scale));
  }
  return total;
}

PriorDescriptor laplacePriorDescriptor() {
  PriorDescriptor d;
  d.id = "laplace";
  d.displayName = "Laplace";
  d.description =
      "A sharp peak at 0 with exponential tails: prefers sparse weights (for a MAP network it is "
      "L1 regularisation). The KL to a Gaussian q is closed form (through the mean of |w| under "
      "q).";
  d.formula = "p(w) = exp(\u2212|w|/b) / 2b";
  d.options = {OptionSpec::real("scale", "Scale b", "Laplace scale: the prior std dev is b\u221a2.",
                                0.7, 1e-4, 1e4, true)};
  d.options[0].logScale = true;
  d.create = [](const OptionValues& o) -> std::shared_ptr<const Prior> {
    return std::make_shared<LaplacePrior>(o.number("scale"));
  };
  return d;
}

BAYESLAB_END_NAMESPACE
