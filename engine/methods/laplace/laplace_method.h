#pragma once
// The Laplace approximation (MacKay 1992; Ritter, Botev & Barber 2018; Daxberger
// et al. 2021): a Gaussian at the MAP whose precision is the curvature of the
// negative log joint there,
//   q(w) = N(w*, H^-1),   w* = argmax log p(D | w) + log p(w),
//   H = H_data + H_prior,   H_data ~ -d^2/dw^2 log p(D | w*) (curvature.h, in the structure of
//   the `hessian` option),   H_prior = -d^2/dw^2 log p(w*) (prior_curvature.h).
//
// Training is MAP training (the same objective and metrics columns as `map`):
//   minimise -(N / B) sum_{i in batch} log p(y_i | x_i, w) - log p(w).
// The snapshot from posterior() computes H_data on the whole training set (StepInput::data,
// else Problem::train) at the current parameters and caches it until they change.
//
// Log marginal likelihood (laplace_evidence.h), reported every `refresh_every` steps (the
// curvature recomputed at the parameters of that step) with the prior precision in use and
// the effective number of parameters gamma:
//   log p(D) ~ log p(D | w*) + log p(w*) + (P/2) log 2 pi - (1/2) log det H.
// With tune_prior the prior becomes N(0, 1/lambda) with lambda maximising it (MacKay's
// evidence framework): at each refresh lambda is re-estimated and the MAP objective uses it
// from then on, so training converges to a MAP under the evidence-optimal prior; the snapshot
// tunes lambda for its own curvature. Tuning needs a prior that is the same for every entry
// (with the per-entry prior of sequential learning the prior is used as it is).
//
// last_layer_full covers only the last layer (P = its parameters in the evidence); the other
// weights stay at the MAP. A learned observation noise is point-estimated with the MAP.
// Extras: log_marginal_likelihood, prior_precision (NaN for a non-isotropic prior),
// effective_parameters; NaN before the first refresh.
#include "engine/methods/common/batch_evaluator.h"
#include "engine/methods/common/gradient_method.h"
#include "engine/methods/laplace/curvature.h"
#include "engine/methods/laplace/laplace_posterior.h"

BAYESLAB_BEGIN_NAMESPACE

class LaplaceMethod final : public GradientMethod {
 public:
  explicit LaplaceMethod(const Problem& problem);

  double evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                  StepStats& stats) override;
  std::shared_ptr<const Posterior> posterior() const override;
  void setPrior(std::shared_ptr<const Prior> prior) override;
  // The MAP's parameters, gradient and optimiser moments, and the curvature and
  // covariance factors of the posterior at the current parameters (computed by
  // posterior() if it is not cached).
  std::size_t stateBytes() const override;

  HessianStructure structure() const { return m_structure; }
  // The evidence at the last refresh (NaNs before the first).
  const LaplaceEvidenceSummary& lastEvidence() const { return m_evidence; }
  // The prior precision the MAP objective uses when tuned (0 before the first tuning).
  double tunedPrecision() const { return m_tunedPrecision; }
  // The Laplace posterior at the given weights (used by posterior() and the refreshes).
  std::shared_ptr<const LaplacePosterior> laplaceAt(const Vector& params, int threads) const;

 private:
  const Prior& objectivePrior() const;
  bool tuning() const { return m_tunePrior && m_sessionPrior->isIdentical(); }

  BatchEvaluator m_evaluator;
  std::shared_ptr<const Likelihood> m_likelihood;
  std::shared_ptr<const Prior> m_sessionPrior, m_tunedPrior;
  std::shared_ptr<const Dataset> m_train;
  const Dataset* m_data;
  HessianStructure m_structure;
  LaplacePredictive m_predictive;
  bool m_tunePrior;
  Index m_refreshEvery, m_weightCount;
  Index m_lastRefresh = -1;
  int m_threads = 1;  // of the last step, for the snapshots
  double m_tunedPrecision = 0.0;
  LaplaceEvidenceSummary m_evidence;
  mutable std::shared_ptr<const Posterior> m_cached;
  mutable Vector m_cachedParams;
  mutable const Dataset* m_cachedData = nullptr;
};

MethodDescriptor laplaceMethodDescriptor();

BAYESLAB_END_NAMESPACE
