#include "engine/methods/hmc/hmc_sampler.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

namespace {
double kineticEnergy(const Vector& p) {
  return 0.5 * p.cast<double>().squaredNorm();
}
}  // namespace

void HmcSampler::initialise(HmcState& state, const Vector& x) {
  state.position = x;
  state.gradient.resize(x.size());
  state.logDensity = m_logDensity(state.position, state.gradient);
}

double HmcSampler::leapfrog(double stepSize, int steps) {
  const auto eps = static_cast<Real>(stepSize);
  double logDensity = 0.0;
  m_momentum += (eps / 2) * m_gradient;
  for (int i = 0; i < steps; ++i) {
    m_position += eps * m_momentum;
    logDensity = m_logDensity(m_position, m_gradient);
    if (!std::isfinite(logDensity)) return logDensity;
    m_momentum += (i + 1 < steps ? eps : eps / 2) * m_gradient;
  }
  return logDensity;
}

HmcTransition HmcSampler::transition(HmcState& state, const HmcSettings& settings,
                                     RandomStream& rng) {
  const Index n = state.position.size();
  m_momentum.resize(n);
  rng.fillNormal(m_momentum);
  double eps = settings.stepSize;
  if (settings.stepJitter > 0) eps *= 1.0 + settings.stepJitter * (2.0 * rng.uniform() - 1.0);
  const double startEnergy = -state.logDensity + kineticEnergy(m_momentum);
  m_position = state.position;
  m_gradient = state.gradient;
  const double endLogDensity = leapfrog(eps, std::max(1, settings.leapfrogSteps));
  const double u = rng.uniform();  // drawn whatever happens: the stream stays aligned

  HmcTransition t;
  const double endEnergy = -endLogDensity + kineticEnergy(m_momentum);
  t.energyError = endEnergy - startEnergy;
  if (!std::isfinite(t.energyError) || t.energyError > settings.maxEnergyError) {
    t.divergent = true;
    return t;
  }
  t.acceptProbability = std::min(1.0, std::exp(-t.energyError));
  if (u < t.acceptProbability) {
    t.accepted = true;
    state.position.swap(m_position);
    state.gradient.swap(m_gradient);
    state.logDensity = endLogDensity;
  }
  return t;
}

double HmcSampler::findReasonableStepSize(const HmcState& state, double eps0, RandomStream& rng) {
  const Index n = state.position.size();
  Vector momentum(n);
  rng.fillNormal(momentum);
  const double startEnergy = -state.logDensity + kineticEnergy(momentum);
  const auto logAccept = [&](double eps) {
    m_position = state.position;
    m_gradient = state.gradient;
    m_momentum = momentum;
    const double logDensity = leapfrog(eps, 1);
    const double delta = startEnergy - (-logDensity + kineticEnergy(m_momentum));
    return std::isfinite(delta) ? delta : -std::numeric_limits<double>::infinity();
  };
  double eps = eps0;
  const double log2 = std::log(2.0);
  const double direction = logAccept(eps) > -log2 ? 1.0 : -1.0;
  // Bounded: a flat density would otherwise double eps for ever.
  for (int i = 0; i < 60; ++i) {
    const double la = logAccept(eps);
    if (direction * la <= -direction * log2) break;
    eps *= direction > 0 ? 2.0 : 0.5;
  }
  return eps;
}

BAYESLAB_END_NAMESPACE
