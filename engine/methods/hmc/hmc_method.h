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
// every chain, costing L full-data gradient evaluations per chain.
//
// K chains start from K independent initialisations (initRng.derive(k)) and
// advance in parallel, chain k drawing its noise from step.rng.derive(k), so the
// draws do not depend on the thread count. Each transition: momentum p ~ N(0, I),
// L leapfrog steps of size eps, Metropolis accept (hmc_sampler.h). During the
// first `warmup` transitions each chain adapts its eps by dual averaging to the
// target acceptance (dual_averaging.h), starting from Hoffman & Gelman's
// heuristic; afterwards eps is fixed at the averaged value (jittered by +-10% per
// transition against periodic trajectories) and every `thinning`-th state is kept
// (at most `max_samples` per chain, the most recent).
//
// The kept draws of all chains form the SamplePosterior; before the first draw is
// kept it is the chains' current states. Metrics columns: expected_log_likelihood
// and kl hold the mean over chains of log p(D | w) and -log p(w) at the current
// states (elbo = their log joint). Extras: accept_rate (mean Metropolis acceptance
// probability over chains in the current phase: warm-up or sampling), step_size
// (mean over chains), divergences (after warm-up), kept_samples, monitored_weight
// (chain 1's current value of the monitored weight: its trace including warm-up),
// r_hat and ess of the monitored weight over the kept draws (refreshed whenever 5%
// new draws have been kept).
#include <vector>

#include "engine/methods/common/chain_store.h"
#include "engine/methods/common/log_joint.h"
#include "engine/methods/hmc/dual_averaging.h"
#include "engine/methods/hmc/hmc_sampler.h"
#include "engine/methods/method.h"

BAYESLAB_BEGIN_NAMESPACE

class HmcMethod final : public InferenceMethod {
 public:
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
  const Vector& chainPosition(Index chain) const {
    return m_chains[static_cast<size_t>(chain)].state.position;
  }

 private:
  struct Chain {
    LogJoint target;
    HmcSampler sampler{nullptr};
    HmcState state;
    DualAveraging adaptation;
    double stepSize = 0.0;
    LogJointTerms terms, lastTerms;  // at the state; at the last evaluated point
    HmcTransition last;
  };

  void useData(const Dataset* data);

  Batch m_data;
  const Dataset* m_dataSource = nullptr;
  std::vector<Chain> m_chains;
  ChainStore m_store;
  Index m_weightCount = 0;
  int m_leapfrogSteps;
  Index m_warmup, m_thinning, m_monitor;
  double m_targetAccept;
  int m_threads = 1;
  Index m_transitions = 0;
  double m_acceptSum = 0.0;
  Index m_acceptCount = 0, m_divergences = 0;
  mutable std::shared_ptr<const Posterior> m_cached;
  mutable Index m_cachedAt = -1;
};

MethodDescriptor hmcMethodDescriptor();

BAYESLAB_END_NAMESPACE
