#pragma once
// Hamiltonian Monte Carlo over the network weights (Neal 2011): the reference
// posterior for small networks.
//
// Target: the full-data log posterior
//   log pi(w) = sum_{i=1}^{N} log p(y_i | x_i, w) + log p(w).
// HMC needs the exact target in its Metropolis correction, so it ignores the
// trainer's minibatch and uses the whole training set the batch is drawn from
// (StepInput::data; with sequential learning the current part; Problem::train
// when called outside the trainer). One trainer step = one HMC transition of
// every chain.
//
// K chains start from K independent initialisations (initRng.derive(k)) and
// advance in parallel, chain k drawing its noise from step.rng.derive(k), so the
// draws do not depend on the thread count. The `sampler` option chooses the
// transition:
//  - "nuts" (default): the No-U-Turn sampler (nuts_sampler.h), which builds each
//    trajectory until it turns back on itself (at most 2^max_tree_depth - 1
//    gradient evaluations), so results do not hinge on a trajectory length;
//  - "hmc": L leapfrog steps and a Metropolis accept (hmc_sampler.h), the path
//    length jittered after warm-up (eps by +-10 %, L by +-50 %) against the
//    resonance a fixed trajectory has on near-Gaussian posteriors.
// Both use momentum p ~ N(0, M). During the first `warmup` transitions each
// chain adapts its eps by dual averaging to the target acceptance
// (dual_averaging.h), starting from Hoffman & Gelman's heuristic, and M^-1 to
// the (co)variance of its draws in Stan's windows (metric_adaptation.h): the
// `metric` option's "diagonal", "dense" or "auto" (dense up to
// kDenseMetricWeights weights, where a few hundred warm-up draws estimate a full
// covariance well and correlations such as a regression's slope and intercept
// dominate; diagonal beyond);
// afterwards both are fixed and every `thinning`-th state is kept (at most
// `max_samples` per chain, the most recent).
//
// The kept draws of all chains form the SamplePosterior; before the first draw is
// kept it is the chains' current states. Metrics columns: expected_log_likelihood
// and kl hold the mean over chains of log p(D | w) and -log p(w) at the current
// states (elbo = their log joint). Extras: accept_rate (mean acceptance
// statistic over chains in the current phase: warm-up or sampling), step_size
// (mean over chains), divergences (after warm-up), kept_samples, monitored_weight
// (chain 1's current value of the monitored weight: its trace including warm-up),
// r_hat and ess of the monitored weight over the kept draws (refreshed whenever 5%
// new draws have been kept), tree_depth (NUTS: mean over chains of the last
// transition's doublings), gradients_per_draw (mean leapfrog steps per
// transition in the current phase), min_ess (the smallest ESS over all weights,
// refreshed with the others) and min_ess_per_gradient (min_ess over the gradient
// evaluations spent on the kept draws: the sampler's efficiency for its slowest
// weight).
#include <limits>
#include <vector>

#include "engine/core/stop_request.h"
#include "engine/methods/common/chain_store.h"
#include "engine/methods/common/log_joint.h"
#include "engine/methods/hmc/dual_averaging.h"
#include "engine/methods/hmc/hmc_sampler.h"
#include "engine/methods/hmc/metric_adaptation.h"
#include "engine/methods/hmc/nuts_sampler.h"
#include "engine/methods/method.h"

BAYESLAB_BEGIN_NAMESPACE

class HmcMethod final : public InferenceMethod {
 public:
  static constexpr Index kDenseMetricWeights = 16;

  explicit HmcMethod(const Problem& problem);

  StepStats step(StepInput& input) override;
  std::shared_ptr<const Posterior> posterior() const override;
  // The sampler's state: one weight vector per chain.
  Index parameterCount() const override { return m_weightCount * chainCount(); }
  // Each chain's position and gradient there, and the kept draws (the full-data batch
  // is data, the trajectory's momentum per-step scratch).
  std::size_t stateBytes() const override {
    return static_cast<std::size_t>(2 * m_weightCount * chainCount()) * sizeof(Real) +
           m_store.bytes();
  }
  void setPrior(std::shared_ptr<const Prior> prior) override;

  Index chainCount() const { return static_cast<Index>(m_chains.size()); }
  const ChainStore& store() const { return m_store; }
  double stepSize(Index chain) const { return m_chains[static_cast<size_t>(chain)].stepSize; }
  bool warmedUp() const { return m_transitions >= m_warmup; }
  bool usesNuts() const { return m_nuts; }
  // Chain k's inverse mass matrix (the identity until the first window ends).
  const Metric& metric(Index chain) const { return m_chains[static_cast<size_t>(chain)].metric; }
  bool denseMetric() const { return m_denseMetric; }
  const Vector& chainPosition(Index chain) const {
    return m_chains[static_cast<size_t>(chain)].state.position;
  }

 private:
  struct Chain {
    LogJoint target;
    HmcSampler sampler{nullptr};
    NutsSampler nuts{nullptr};
    HmcState state;
    DualAveraging adaptation;
    MetricEstimator metricEstimator;
    Metric metric;
    double stepSize = 0.0;
    LogJointTerms terms, lastTerms;  // at the state; at the last evaluated point
    // The last transition.
    double accept = 0.0;
    int treeDepth = 0, leapfrogSteps = 0;
    bool divergent = false;
  };
  void transition(Chain& c, RandomStream& rng, bool warming);
  void adapt(Chain& c, Index chainIndex);
  void refreshMinEss();

  void useData(const Dataset* data);

  Batch m_data;
  const Dataset* m_dataSource = nullptr;
  std::vector<Chain> m_chains;
  ChainStore m_store;
  Index m_weightCount = 0;
  bool m_nuts, m_denseMetric;
  int m_leapfrogSteps, m_maxTreeDepth;
  Index m_warmup, m_thinning, m_monitor;
  double m_targetAccept;
  WarmupWindows m_windows;
  std::uint64_t m_adaptationSeed = 0;
  int m_threads = 1;
  // The building thread's stop flag (engine/core/stop_request.h): once set, every
  // gradient evaluation returns at once and the transition ends as a rejection.
  const std::atomic<bool>* m_stop = currentStopFlag();
  Index m_transitions = 0;
  double m_acceptSum = 0.0, m_gradientSum = 0.0;
  Index m_acceptCount = 0, m_divergences = 0;
  double m_sampledGradients = 0.0;  // gradient evaluations of all chains since warm-up
  Index m_keptAtMinEss = 0;
  double m_minEss = std::numeric_limits<double>::quiet_NaN();
  mutable std::shared_ptr<const Posterior> m_cached;
  mutable Index m_cachedAt = -1;
};

MethodDescriptor hmcMethodDescriptor();

BAYESLAB_END_NAMESPACE
