#include "engine/prior/empirical_bayes_prior.h"

#include <cmath>
#include <numbers>
#include <sstream>

#include "engine/prior/gaussian_prior.h"

BAYESLAB_BEGIN_NAMESPACE

std::string EmpiricalBayesPrior::describe() const {
  std::ostringstream os;
  os << "N(0, s\u00b2), s learned from " << m_initialScale;
  return os.str();
}

void EmpiricalBayesPrior::initialHyperparameters(Real* h) const {
  h[0] = static_cast<Real>(std::log(m_initialScale));
}

double EmpiricalBayesPrior::hyperparameterValue(Index, const Real* h) const {
  return std::exp(static_cast<double>(h[0]));
}

std::shared_ptr<const Prior> EmpiricalBayesPrior::withHyperparameters(const Real* h) const {
  return std::make_shared<GaussianPrior>(hyperparameterValue(0, h));
}

double EmpiricalBayesPrior::scale(const PriorContext& context) const {
  return context.hyperparameters ? std::exp(static_cast<double>(context.hyperparameters[0]))
                                 : m_initialScale;
}

double EmpiricalBayesPrior::logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                                       const PriorContext& context) const {
  const double s = scale(context);
  const double sq = static_cast<double>(ConstVectorMap(w, n).squaredNorm());
  if (grad) ArrayMap(grad, n) -= ConstArrayMap(w, n) * static_cast<Real>(gradientScale / (s * s));
  if (context.hyperGradient)
    context.hyperGradient[0] +=
        static_cast<Real>(gradientScale * (sq / (s * s) - static_cast<double>(n)));
  return -0.5 * sq / (s * s) -
         static_cast<double>(n) * (std::log(s) + 0.5 * std::log(2.0 * std::numbers::pi));
}

double EmpiricalBayesPrior::density(double w) const {
  return GaussianPrior(m_initialScale).density(w);
}

double EmpiricalBayesPrior::klGaussian(const Real* mu, const Real* sigma, Index n,
                                       Real gradientScale, Real* dMu, Real* dSigma,
                                       const PriorContext& context) const {
  const double s = scale(context);
  const GaussianPrior fixed(s);
  const double kl = fixed.klGaussian(mu, sigma, n, gradientScale, dMu, dSigma);
  if (context.hyperGradient) {
    const double second = static_cast<double>(
        (ConstArrayMap(sigma, n).square() + ConstArrayMap(mu, n).square()).sum());
    context.hyperGradient[0] +=
        static_cast<Real>(gradientScale * (static_cast<double>(n) - second / (s * s)));
  }
  return kl;
}

PriorDescriptor empiricalBayesPriorDescriptor() {
  PriorDescriptor d;
  d.id = "empirical_bayes";
  d.displayName = "Empirical Bayes (learned scale)";
  d.description =
      "A Gaussian N(0, s\u00b2) whose scale s is learned together with the network by maximising "
      "the ELBO (type-II maximum likelihood): the data choose the prior. The learned s is plotted "
      "live. KL closed form.";
  d.formula = "p(w | s) = N(w; 0, s\u00b2),  s = argmax ELBO";
  d.options = {OptionSpec::real("scale", "Initial scale s\u2080",
                                "Starting value of the learned prior scale.", 1.0, 1e-4, 1e4)};
  d.options[0].logScale = true;
  d.create = [](const OptionValues& o) -> std::shared_ptr<const Prior> {
    return std::make_shared<EmpiricalBayesPrior>(o.number("scale"));
  };
  return d;
}

BAYESLAB_END_NAMESPACE
