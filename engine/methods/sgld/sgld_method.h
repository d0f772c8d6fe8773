#pragma once
// Stochastic gradient Langevin dynamics (Welling & Teh 2011, "Bayesian Learning
// via Stochastic Gradient Langevin Dynamics").
//
// Each step on a minibatch of B of the N training points:
//   w <- w + (eps_t / 2) (grad log p(w) + (N / B) sum_{i in batch} grad log p(y_i | x_i, w))
//          + eta_t,   eta_t ~ N(0, eps_t I),
//   eps_t = a (b + t)^(-gamma)   (t = 0, 1, ..., gamma in [0, 1]).
// Without the injected noise this is stochastic gradient ascent on the log
// posterior; with it, and eps_t -> 0 with sum eps_t = infinity and
// sum eps_t^2 < infinity (gamma in (0.5, 1]), the iterates become samples from
// the posterior: the injected noise dominates the minibatch noise as eps_t
// shrinks, and the discretisation error vanishes, so no Metropolis step is
// needed. With gamma = 0 the step size is constant (a biased but much faster
// mixing sampler, the usual practice).
//
// The first `burn_in` steps are discarded, then every `thinning`-th iterate is
// kept (at most `max_samples`, the most recent) and the kept iterates form the
// SamplePosterior (one chain); before burn-in ends the posterior is the current
// iterate. Metrics columns: expected_log_likelihood = (N/B) sum_batch log p(y | x, w),
// kl = -log p(w) at the iterate before the update. Extras: step_size (eps_t),
// kept_samples, monitored_weight (its value at every step: the trace including
// burn-in), and r_hat / ess of the monitored weight (split R-hat over the two
// halves of the kept chain; refreshed whenever 5% new draws have been kept).
#include <array>

#include "engine/methods/common/chain_store.h"
#include "engine/methods/common/checkpointable.h"
#include "engine/methods/common/log_joint.h"
#include "engine/methods/method.h"

BAYESLAB_BEGIN_NAMESPACE

// eps_t = a (b + t)^(-gamma).
struct SgldStepSchedule {
  double a = 1e-3, b = 1000.0, gamma = 0.55;
  double at(Index t) const;
};

class SgldMethod final : public InferenceMethod, public Checkpointable {
 public:
  explicit SgldMethod(const Problem& problem);

  StepStats step(StepInput& input) override;
  std::shared_ptr<const Posterior> posterior() const override;
  Index parameterCount() const override { return m_weights.size(); }
  // The current weights and their gradient, and the kept samples.
  std::size_t stateBytes() const override {
    return static_cast<std::size_t>(m_weights.size() + m_gradient.size()) * sizeof(Real) +
           m_store.bytes();
  }
  void setPrior(std::shared_ptr<const Prior> prior) override;
  // Divergence checkpoints: the chain's position and its step count (the kept
  // samples stay: they were finite).
  void saveCheckpoint(int slot) override;
  bool restoreCheckpoint(int slot) override;
  bool parametersFinite() const override { return m_weights.allFinite(); }

  const ChainStore& store() const { return m_store; }
  const Vector& weights() const { return m_weights; }
  const SgldStepSchedule& schedule() const { return m_schedule; }

 private:
  LogJoint m_target;
  SgldStepSchedule m_schedule;
  Index m_burnIn, m_thinning, m_monitor;
  ChainStore m_store;
  Vector m_weights, m_gradient, m_noise;
  Index m_t = 0;
  std::array<Vector, 2> m_savedWeights;
  std::array<Index, 2> m_savedT{-1, -1};
  mutable std::shared_ptr<const Posterior> m_cached;
  mutable Index m_cachedAt = -1;
};

MethodDescriptor sgldMethodDescriptor();

BAYESLAB_END_NAMESPACE
