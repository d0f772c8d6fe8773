#pragma once
// Dual-averaging step-size adaptation (Hoffman & Gelman 2014, "The No-U-Turn
// Sampler", sec. 3.2.1, after Nesterov 2009).
//
// During warm-up, after transition t = 1, 2, ... with Metropolis acceptance
// probability alpha_t, the log step size is set to
//   H_t        = (1 - 1/(t + t0)) H_{t-1} + (delta - alpha_t) / (t + t0),
//   log eps_t  = mu - sqrt(t) / gamma * H_t,
//   log epsbar_t = t^-kappa log eps_t + (1 - t^-kappa) log epsbar_{t-1},
// with target acceptance delta (about 0.8 for HMC), mu = log(10 eps_0) (the
// iterates are drawn towards larger steps than the first), gamma = 0.05,
// t0 = 10, kappa = 0.75. The iterates eps_t explore; after warm-up the sampler
// uses the averaged epsbar, which converges to the step size whose mean
// acceptance is delta, and keeps it fixed so the chain is a proper Markov chain.
#include <cmath>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

class DualAveraging {
 public:
  struct Settings {
    double targetAcceptance = 0.8;  // delta
    double gamma = 0.05;
    double t0 = 10.0;
    double kappa = 0.75;
  };

  DualAveraging() = default;
  DualAveraging(double initialStepSize, Settings settings);

  // Feeds one transition's acceptance probability; returns the next step size.
  double update(double acceptProbability);

  double stepSize() const { return std::exp(m_logStep); }             // eps_t
  double averagedStepSize() const { return std::exp(m_logAverage); }  // epsbar_t
  long iterations() const { return m_t; }

 private:
  Settings m_settings;
  double m_mu = 0.0;
  double m_logStep = 0.0;
  double m_logAverage = 0.0;
  double m_h = 0.0;
  long m_t = 0;
};

BAYESLAB_END_NAMESPACE
