#include "engine/methods/hmc/dual_averaging.h"

#include <algorithm>

BAYESLAB_BEGIN_NAMESPACE

DualAveraging::DualAveraging(double initialStepSize, Settings settings)
    : m_settings(settings),
      m_mu(std::log(10.0 * initialStepSize)),
      m_logStep(std::log(initialStepSize)),
      m_logAverage(std::log(initialStepSize)) {}

double DualAveraging::update(double acceptProbability) {
  // A non-finite trajectory counts as a rejection.
  const double alpha =
      std::isfinite(acceptProbability) ? std::clamp(acceptProbability, 0.0, 1.0) : 0.0;
  ++m_t;
  const double t = static_cast<double>(m_t);
  const double eta = 1.0 / (t + m_settings.t0);
  m_h = (1.0 - eta) * m_h + eta * (m_settings.targetAcceptance - alpha);
  m_logStep = m_mu - std::sqrt(t) / m_settings.gamma * m_h;
  const double weight = std::pow(t, -m_settings.kappa);
  m_logAverage = weight * m_logStep + (1.0 - weight) * m_logAverage;
  return stepSize();
}

BAYESLAB_END_NAMESPACE
