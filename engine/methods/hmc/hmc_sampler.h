#pragma once
// Hamiltonian Monte Carlo on any differentiable log density (Neal 2011, "MCMC
// using Hamiltonian dynamics", Handbook of MCMC, ch. 5).
//
// The state x gets a fresh momentum p ~ N(0, M) (M identity, diagonal or dense,
// metric.h; adapted in warm-up, see metric_adaptation.h); the Hamiltonian H(x, p) = -log pi(x) +
// p^T M^-1 p / 2 is followed by L leapfrog steps of size eps:
//   p <- p + (eps/2) grad log pi(x)
//   repeat L times:  x <- x + eps M^-1 p;  p <- p + eps grad log pi(x)  (half a step the last time)
// and the end point is accepted with probability min(1, exp(H_start - H_end)).
// The leapfrog map is volume preserving and reversible, so this Metropolis
// correction makes pi the exact stationary distribution whatever eps and L are;
// eps only sets the acceptance rate and the cost. Optionally the path length
// is jittered at each transition (Neal 2011 sec. 5.4.2.2): eps uniformly in
// eps (1 +- stepJitter) and L uniformly in L (1 +- lengthJitter), which breaks
// the periodicity a fixed trajectory length has on near-Gaussian targets (the
// No-U-Turn sampler, nuts_sampler.h, removes L altogether). Energies are
// accumulated in double precision.
//
// A trajectory whose energy error exceeds `maxEnergyError` (or is not finite)
// is reported divergent and rejected: the step size is too large for the
// curvature met along it.
#include <functional>
#include <limits>

#include "engine/core/random.h"
#include "engine/core/real.h"
#include "engine/methods/hmc/metric.h"

BAYESLAB_BEGIN_NAMESPACE

// Returns log pi(x) (up to a constant) and writes d/dx log pi(x) into gradient
// (already sized). May return -infinity or NaN: the proposal is then rejected.
using LogDensity = std::function<double(const Vector& x, Vector& gradient)>;

struct HmcState {
  Vector position;
  Vector gradient;  // d/dx log pi at position
  double logDensity = -std::numeric_limits<double>::infinity();
};

struct HmcSettings {
  double stepSize = 0.1;
  int leapfrogSteps = 10;
  double stepJitter = 0.0;    // eps drawn uniformly from eps (1 +- stepJitter)
  double lengthJitter = 0.0;  // L drawn uniformly from the integers in L (1 +- lengthJitter)
  double maxEnergyError = 1000.0;
  // M^-1 (metric.h); identity if null.
  const Metric* metric = nullptr;
};

struct HmcTransition {
  double acceptProbability = 0.0;  // min(1, exp(-energy error)); 0 when divergent
  bool accepted = false;
  bool divergent = false;
  double energyError = 0.0;  // H_end - H_start
};

class HmcSampler {
 public:
  explicit HmcSampler(LogDensity logDensity) : m_logDensity(std::move(logDensity)) {}

  // Evaluates the density at x to start a chain there.
  void initialise(HmcState& state, const Vector& x);

  // One transition from `state` (updated in place when accepted). Draws the
  // momentum, the jitter and the accept decision from rng.
  HmcTransition transition(HmcState& state, const HmcSettings& settings, RandomStream& rng);

  // Hoffman & Gelman (2014) Algorithm 4: from eps0, doubles or halves eps until the
  // acceptance probability of a single leapfrog step crosses 1/2 (with the given
  // inverse metric, identity if null). Leaves state unchanged.
  double findReasonableStepSize(const HmcState& state, double eps0, RandomStream& rng,
                                const Metric* metric = nullptr);

 private:
  // Leapfrog trajectory from (position, momentum); returns the end log density.
  double leapfrog(double stepSize, int steps);

  LogDensity m_logDensity;
  Vector m_position, m_momentum, m_gradient, m_velocity;
  const Metric* m_metric = nullptr;  // the transition's
};

BAYESLAB_END_NAMESPACE
