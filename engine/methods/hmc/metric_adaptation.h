#pragma once
// Warm-up of a Hamiltonian sampler in windows, as Stan does it (Stan Reference
// Manual, "HMC algorithm parameters: automatic parameter tuning"): the step
// size is adapted by dual averaging throughout warm-up, and a diagonal mass
// matrix M (its inverse, the "metric", is the posterior's variance per
// coordinate) is estimated from the draws of a sequence of slow windows:
//
//   | initial buffer (75) | 25 | 50 | 100 | ... | terminal buffer (50) |
//
// The initial buffer lets the chain reach the typical set before any variance
// is measured; each slow window doubles the last (the final one stretches to the
// terminal buffer) and at its end the metric becomes the window's regularised
// sample variance
//   M^-1 = n / (n + 5) var + 1e-3 * 5 / (n + 5),
// after which the step size search and dual averaging restart (the scale of
// every coordinate changed); the terminal buffer lets the step size settle for
// the final metric. With fewer than 150 warm-up transitions the buffers shrink
// to 15 % and 10 % of it, and under 20 only the step size is adapted.
//
// A diagonal metric rescales each weight to unit posterior variance, so one step
// size fits all of them; a dense one (Sigma_reg = n / (n + 5) Sigma + 1e-3 * 5 /
// (n + 5) I) also undoes correlations, as those of a regression's slope and
// intercept on off-centre inputs.
#include <vector>

#include "engine/core/real.h"
#include "engine/methods/hmc/metric.h"

BAYESLAB_BEGIN_NAMESPACE

class WarmupWindows {
 public:
  WarmupWindows() = default;
  explicit WarmupWindows(Index warmup);

  // True if transition t (0-based, counting warm-up transitions) lies in a slow
  // window, where its state counts towards the variance estimate.
  bool collects(Index t) const;
  // True if transition t is the last of a slow window: the metric is updated
  // after it.
  bool endsWindow(Index t) const;
  // The transitions that end a window, in order.
  const std::vector<Index>& windowEnds() const { return m_ends; }
  Index initialBuffer() const { return m_initial; }
  Index terminalBuffer() const { return m_terminal; }

 private:
  Index m_warmup = 0, m_initial = 0, m_terminal = 0;
  std::vector<Index> m_ends;
};

// Running (Welford) mean and variance of the draws: per coordinate, or the
// whole covariance for a dense metric.
class MetricEstimator {
 public:
  explicit MetricEstimator(Index dimension = 0, bool dense = false);
  void add(const Vector& x);
  Index count() const { return m_count; }
  bool dense() const { return m_dense; }
  // The regularised (co)variance above as a metric; needs at least 2 draws.
  Metric metric() const;
  void restart();

 private:
  bool m_dense = false;
  Index m_count = 0;
  Eigen::VectorXd m_mean, m_m2;  // m_m2: sums of squared deviations (diagonal)
  Eigen::MatrixXd m_cross;       // dense: sums of outer products of deviations
};

BAYESLAB_END_NAMESPACE
