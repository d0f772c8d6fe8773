#pragma once
// Shared machinery of the methods trained by a first-order optimiser on a
// differentiable objective (MAP and the variational family): a flat parameter
// vector, its gradient, the optimiser, and the guard that refuses a step whose
// objective or gradient is not finite (the parameters stay at their last good
// values and the trainer reports the divergence).

#include <memory>

#include "engine/methods/method.h"
#include "engine/optim/optimizer.h"

BAYESLAB_BEGIN_NAMESPACE

class GradientMethod : public InferenceMethod {
 public:
  explicit GradientMethod(const Problem& problem);

  StepStats step(StepInput& input) final;

  // The minibatch objective (to be minimised) at `params` and, if `gradient`
  // is given, its gradient. Deterministic given input.rng: the finite-difference
  // checks call it repeatedly with the same noise.
  virtual double evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                          StepStats& stats) = 0;

  const Vector& parameters() const { return m_params; }
  void setParameters(const Vector& params) { m_params = params; }
  Index parameterCount() const override { return m_params.size(); }
  void setLearningRate(double lr) override { m_optimizer->setLearningRate(lr); }

 protected:
  // Call at the end of the derived constructor, once m_params has its final size.
  void resetOptimizer() { m_optimizer->reset(m_params.size()); }

  Vector m_params;
  Vector m_gradient;
  std::unique_ptr<Optimizer> m_optimizer;
};

BAYESLAB_END_NAMESPACE
