#pragma once
// Deep ensembles (Lakshminarayanan, Pritzel & Blundell 2017): K networks trained
// independently as MAP estimates from different random initialisations, on the same
// minibatches. The spread between members stands in for epistemic uncertainty; the
// predictive is the equally weighted mixture (1/K) sum_k p(y | f(x; w_k)).
//
// Minimised: the mean over members of the MAP objective,
//   L = (1/K) sum_k [ -(N / B) sum_{i in batch} log p(y_i | x_i, w_k) - log p(w_k) ],
// (the prior term dropped when use_prior is off), so the metrics columns are the mean
// over members of each member's log joint terms. Each member's gradient is 1/K of its
// own MAP gradient: Adam, which is invariant to the scale of the gradient, moves each
// member exactly as it would move a lone MAP network (K = 1 is MAP); with plain SGD
// multiply the learning rate by K for the same effect. Member k is initialised from
// initRng.derive(k). Members train in parallel (one per thread); their own passes are
// then single-threaded, since OpenMP regions do not nest (parallelFor).
//
// The likelihood parameters (a learned noise) and the prior's hyperparameters are
// shared by the members, so the mixture has one observation model.
//
// Parameters: [w_1 (P) | .. | w_K (P) | likelihood (L) | prior hyperparameters (H)].
#include <vector>

#include "engine/methods/common/batch_evaluator.h"
#include "engine/methods/common/gradient_method.h"

BAYESLAB_BEGIN_NAMESPACE

class EnsembleMethod final : public GradientMethod {
 public:
  explicit EnsembleMethod(const Problem& problem);

  double evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                  StepStats& stats) override;
  std::shared_ptr<const Posterior> posterior() const override;
  void setPrior(std::shared_ptr<const Prior> prior) override;

  Index memberCount() const { return m_members; }
  // The flat weights of member k in a parameter vector.
  Eigen::Ref<const Vector> memberWeights(Index k) const {
    return m_params.segment(k * m_weightCount, m_weightCount);
  }

 private:
  std::vector<BatchEvaluator> m_evaluators;  // one per member: own buffers
  std::shared_ptr<const Likelihood> m_likelihood;
  std::shared_ptr<const Prior> m_prior;
  bool m_usePrior;
  Index m_members, m_weightCount;
  std::vector<double> m_logLik, m_logPrior;
  Matrix m_likelihoodGradient, m_hyperGradient;  // L x K, H x K
};

MethodDescriptor ensembleMethodDescriptor();

BAYESLAB_END_NAMESPACE
