#include "engine/methods/hmc/hmc_sampler.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

namespace {
const Metric kIdentity;
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
    m_metric->sharp(m_momentum, m_velocity);
    m_position += eps * m_velocity;
    logDensity = m_logDensity(m_position, m_gradient);
    if (!std::isfinite(logDensity)) return logDensity;
    m_momentum += (i + 1 < steps ? eps : eps / 2) * m_gradient;
  }
  return logDensity;
}

HmcTransition HmcSampler::transition(HmcState& state, const HmcSettings& settings,
                                     RandomStream& rng) {
  const Index n = state.position.size();
  m_metric = settings.metric ? settings.metric : &kIdentity;
  m_momentum.resize(n);
  m_metric->drawMomentum(rng, m_momentum);  // p ~ N(0, M)
  double eps = settings.stepSize;
  if (settings.stepJitter > 0) eps *= 1.0 + settings.stepJitter * (2.0 * rng.uniform() - 1.0);
  int steps = std::max(1, settings.leapfrogSteps);
  if (settings.lengthJitter > 0) {
    const int lo = std::max(1, static_cast<int>(std::ceil(steps * (1.0 - settings.lengthJitter))));
    const int hi =
        std::max(lo, static_cast<int>(std::floor(steps * (1.0 + settings.lengthJitter))));
    steps = lo + std::min(hi - lo, static_cast<int>(rng.uniform() * (hi - lo + 1)));
  }
  const double startEnergy = -state.logDensity + m_metric->kineticEnergy(m_momentum);
  m_position = state.position;
  m_gradient = state.gradient;
  const double endLogDensity = leapfrog(eps, steps);
  const double u = rng.uniform();  // drawn whatever happens: the stream stays aligned

  HmcTransition t;
  const double endEnergy = -endLogDensity + m_metric->kineticEnergy(m_momentum);
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

double HmcSampler::findReasonableStepSize(const HmcState& state, double eps0, RandomStream& rng,
                                          const Metric* metric) {
  const Index n = state.position.size();
  m_metric = metric ? metric : &kIdentity;
  Vector momentum(n);
  m_metric->drawMomentum(rng, momentum);
  const double startEnergy = -state.logDensity + m_metric->kineticEnergy(momentum);
  const auto logAccept = [&](double eps) {
    m_position = state.position;
    m_gradient = state.gradient;
    m_momentum = momentum;
    const double logDensity = leapfrog(eps, 1);
    const double delta = startEnergy - (-logDensity + m_metric->kineticEnergy(m_momentum));
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
