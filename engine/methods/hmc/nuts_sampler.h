#pragma once
// The No-U-Turn sampler (Hoffman & Gelman 2014, "The No-U-Turn Sampler:
// adaptively setting path lengths in Hamiltonian Monte Carlo", JMLR 15), in
// the multinomial form with the generalised U-turn criterion that Stan uses
// (Betancourt 2017, "A conceptual introduction to Hamiltonian Monte Carlo",
// appendix A).
//
// With a mass matrix M (metric.h: identity, diagonal or dense), momentum
// p ~ N(0, M) and H(x, p) = -log pi(x) + p^T M^-1 p / 2, a transition builds a
// trajectory by doubling: at depth j it picks a direction (forwards or
// backwards in time) uniformly at random and integrates 2^j leapfrog steps of
// size eps from that end, as a balanced binary tree. Building stops when
//  - the whole trajectory or any subtree turns back on itself: with rho the sum
//    of the momenta over a (sub)trajectory and p#_- , p#_+ = M^-1 p at its two
//    ends, a U-turn is  p#_-^T rho <= 0  or  p#_+^T rho <= 0  (checked also
//    across the joins of neighbouring subtrees, Stan's extra checks);
//  - a leapfrog step's energy error H - H_0 exceeds `maxEnergyError` (a
//    divergence: the step size is too large for the curvature met);
//  - the depth reaches `maxTreeDepth` (2^depth - 1 gradient evaluations).
// The next state is drawn from the trajectory with probability proportional to
// exp(-H): uniformly within a new subtree (progressively, as it is built) and,
// when a subtree is joined to the old trajectory, taken from the new subtree
// with probability min(1, w_new / w_old) (biased progressive sampling, which
// favours moving far). A subtree that U-turns or diverges contributes no state.
// These rules keep pi exactly invariant for any eps, whatever the trajectory
// length turns out to be: no L to tune, and no periodic resonance of a fixed
// trajectory length.
//
// The acceptance statistic for step-size adaptation is the mean over the new
// trajectory's points of min(1, exp(H_0 - H)). Energies are accumulated in
// double precision.
#include <vector>

#include "engine/methods/hmc/hmc_sampler.h"
#include "engine/methods/hmc/metric.h"

BAYESLAB_BEGIN_NAMESPACE

struct NutsSettings {
  double stepSize = 0.1;
  int maxTreeDepth = 10;
  double maxEnergyError = 1000.0;
  // M^-1 (an estimate of the posterior covariance); identity if null.
  const Metric* metric = nullptr;
};

struct NutsTransition {
  double acceptStatistic = 0.0;  // mean min(1, exp(H_0 - H)) over the new points
  int treeDepth = 0;             // doublings done
  int leapfrogSteps = 0;         // gradient evaluations
  bool divergent = false;
  bool moved = false;  // the new state differs from the old
};

class NutsSampler {
 public:
  explicit NutsSampler(LogDensity logDensity) : m_logDensity(std::move(logDensity)) {}

  void initialise(HmcState& state, const Vector& x);
  // One transition from `state` (replaced by the drawn point). Draws the
  // momentum, the directions and the multinomial choices from rng.
  NutsTransition transition(HmcState& state, const NutsSettings& settings, RandomStream& rng);

 private:
  // A point of phase space with the log density and its gradient at x.
  struct Point {
    Vector x, p, g;
    double logDensity = 0.0;
  };
  // A proposal: position, gradient, log density.
  struct Proposal {
    Vector x, g;
    double logDensity = 0.0;
    void take(const Point& z);
  };
  // The two ends of a (sub)trajectory in the order it was built: the momentum
  // and M^-1 p at the first point built and at the last.
  struct Ends {
    Vector pBegin, pSharpBegin, pEnd, pSharpEnd;
  };
  // Scratch of one recursion level, sized once: the two halves' ends, their
  // momentum sums and the second half's proposal.
  struct Level {
    Ends first, second;
    Vector rhoFirst, rhoSecond, extended;
    Proposal proposalSecond;
  };
  struct Counters {
    double sumAccept = 0.0;
    int leapfrogSteps = 0;
    bool divergent = false;
  };

  double hamiltonian(const Point& z) const;
  void sharp(const Vector& p, Vector& out) const;
  void leapfrog(Point& z, double eps);
  // Builds a subtree of 2^depth leapfrog steps of size eps (negative: backwards
  // in time) from z, which moves along to the subtree's last point. Adds the
  // subtree's momenta to rho and its weights exp(H0 - H) to logSumWeight (log
  // scale), draws its proposal, writes its ends; false if it or a part of it
  // U-turned or diverged (then nothing of it may be used).
  bool buildTree(int depth, Point& z, Ends& ends, Vector& rho, double& logSumWeight, double h0,
                 double eps, Counters& counters, Proposal& proposal, RandomStream& rng);
  // The U-turn criterion holds (no U-turn) for a trajectory with momentum sum
  // rho and M^-1 p = a, b at its ends.
  static bool noUturn(const Vector& a, const Vector& b, const Vector& rho);

  LogDensity m_logDensity;
  const Metric* m_metric = nullptr;  // the transition's
  double m_maxEnergyError = 1000.0;
  std::vector<Level> m_levels;
  Point m_forward, m_backward;  // the trajectory's two end points
  Ends m_trajectory;            // begin: backward end, end: forward end
  Ends m_subtree;
  Proposal m_sample, m_proposal;
  Vector m_rho, m_rhoSubtree, m_extended, m_velocity;
};

BAYESLAB_END_NAMESPACE
