#include "engine/prior/student_t_prior.h"

#include <cmath>
#include <numbers>
#include <sstream>

BAYESLAB_BEGIN_NAMESPACE

StudentTPrior::StudentTPrior(double dof, double scale)
    : m_dof(dof),
      m_scale(scale),
      m_logNormaliser(std::lgamma(0.5 * (dof + 1.0)) - std::lgamma(0.5 * dof) -
                      std::log(scale * std::sqrt(dof * std::numbers::pi))) {}

std::string StudentTPrior::describe() const {
  std::ostringstream os;
  os << "t" << m_dof << "(0, " << m_scale << ")";
  return os.str();
}

double StudentTPrior::logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                                 const PriorContext&) const {
  const ConstArrayMap x(w, n);
  const Real nuS2 = static_cast<Real>(m_dof * m_scale * m_scale);
  if (grad)
    ArrayMap(grad, n) -= static_cast<Real>(gradientScale * (m_dof + 1.0)) * x / (nuS2 + x.square());
  const double logTerms = static_cast<double>((x.square() / nuS2).log1p().sum());
  return static_cast<double>(n) * m_logNormaliser - 0.5 * (m_dof + 1.0) * logTerms;
}

double StudentTPrior::density(double w) const {
  return std::exp(m_logNormaliser -
                  0.5 * (m_dof + 1.0) * std::log1p(w * w / (m_dof * m_scale * m_scale)));
}

PriorDescriptor studentTPriorDescriptor() {
  PriorDescriptor d;
  d.id = "student_t";
  d.displayName = "Student-t";
  d.description =
      "Heavy-tailed: like a Gaussian near 0 but large weights are cheap. No closed-form KL to a "
      "Gaussian: the KL is a Monte Carlo estimate, log q(w) \u2212 log p(w) at sampled weights.";
  d.formula = "p(w) \u221d (1 + w\u00b2/(\u03bd s\u00b2))^\u2212(\u03bd+1)/2";
  d.options = {
      OptionSpec::real("dof", "Degrees of freedom \u03bd",
                       "Smaller \u03bd: heavier tails; "
                       "\u03bd \u2192 \u221e gives the Gaussian.",
                       3.0, 0.1, 1000.0, true),
      OptionSpec::real("scale", "Scale s", "Scale of the distribution.", 1.0, 1e-4, 1e4, true)};
  d.options[1].logScale = true;
  d.create = [](const OptionValues& o) -> std::shared_ptr<const Prior> {
    return std::make_shared<StudentTPrior>(o.number("dof"), o.number("scale"));
  };
  return d;
}

BAYESLAB_END_NAMESPACE
