#include "engine/prior/scale_mixture_prior.h"

#include <cmath>
#include <numbers>
#include <sstream>

BAYESLAB_BEGIN_NAMESPACE

namespace {
const double kLogSqrtTwoPi = 0.5 * std::log(2.0 * std::numbers::pi);
}

ScaleMixturePrior::ScaleMixturePrior(double pi, double s1, double s2)
    : m_pi(pi), m_s1(s1), m_s2(s2) {}

std::string ScaleMixturePrior::describe() const {
  std::ostringstream os;
  os << m_pi << " N(0, " << m_s1 << "\u00b2) + " << 1.0 - m_pi << " N(0, " << m_s2 << "\u00b2)";
  return os.str();
}

double ScaleMixturePrior::logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                                     const PriorContext&) const {
  // Per entry, in double: log-sum-exp of the two weighted components.
  const double a1 = std::log(m_pi) - std::log(m_s1) - kLogSqrtTwoPi;
  const double a2 = std::log1p(-m_pi) - std::log(m_s2) - kLogSqrtTwoPi;
  const double i1 = 1.0 / (m_s1 * m_s1), i2 = 1.0 / (m_s2 * m_s2);
  double total = 0.0;
  for (Index i = 0; i < n; ++i) {
    const double x = w[i], x2 = x * x;
    const double l1 = a1 - 0.5 * x2 * i1, l2 = a2 - 0.5 * x2 * i2;
    const double top = std::max(l1, l2);
    const double e1 = std::exp(l1 - top), e2 = std::exp(l2 - top);
    total += top + std::log(e1 + e2);
    if (grad) {
      const double r1 = e1 / (e1 + e2);
      grad[i] += static_cast<Real>(gradientScale * (-x * (r1 * i1 + (1.0 - r1) * i2)));
    }
  }
  return total;
}

double ScaleMixturePrior::density(double w) const {
  const auto normal = [](double x, double s) {
    return std::exp(-0.5 * x * x / (s * s)) / (s * std::sqrt(2.0 * std::numbers::pi));
  };
  return m_pi * normal(w, m_s1) + (1.0 - m_pi) * normal(w, m_s2);
}

PriorDescriptor scaleMixturePriorDescriptor() {
  PriorDescriptor d;
  d.id = "scale_mixture";
  d.displayName = "Scale mixture";
  d.description =
      "Blundell et al.'s mixture of a wide and a narrow zero-mean Gaussian: most weights are "
      "pulled hard towards 0, a few may be large. No closed-form KL to a Gaussian: the KL is a "
      "Monte Carlo estimate, log q(w) \u2212 log p(w) at sampled weights.";
  d.formula = "p(w) = \u03c0 N(w; 0, s\u2081\u00b2) + (1\u2212\u03c0) N(w; 0, s\u2082\u00b2)";
  d.options = {
      OptionSpec::real("pi", "\u03c0", "Weight of the wide component.", 0.5, 0.001, 0.999, true),
      OptionSpec::real("s1", "s\u2081", "Standard deviation of the wide component.", 1.0, 1e-4, 1e4,
                       true),
      OptionSpec::real("s2", "s\u2082",
                       "Standard deviation of the narrow component (Blundell: e\u207b\u2076).",
                       0.0025, 1e-6, 1e4, true)};
  d.options[1].logScale = d.options[2].logScale = true;
  d.create = [](const OptionValues& o) -> std::shared_ptr<const Prior> {
    return std::make_shared<ScaleMixturePrior>(o.number("pi"), o.number("s1"), o.number("s2"));
  };
  return d;
}

BAYESLAB_END_NAMESPACE
