#pragma once
// First-order optimisers over a flat parameter vector, minimising an objective.
// `update` works on a range so the trainer can run it over fixed parameter
// blocks in parallel; the arithmetic is element-wise, hence thread-count
// independent.

#include <memory>
#include <string>
#include <vector>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual const char* id() const = 0;
  // Sizes the state for n parameters and forgets the history.
  virtual void reset(Index n) = 0;
  // Called once per step before the block updates (advances Adam's step count).
  virtual void beginStep() {}
  // params[i] -= step(grad[i]) for i in [begin, begin + count).
  virtual void update(Real* params, const Real* grad, Index begin, Index count) = 0;
  // Scalars of state kept per parameter (Adam's two moments: 2; plain SGD: 0).
  virtual Index statePerParameter() const { return 0; }

  // Copies another optimiser's state (of the same kind and size), without
  // reallocating once sized: the trainer's divergence checkpoints.
  virtual void copyStateFrom(const Optimizer& other) { m_learningRate = other.m_learningRate; }

  void setLearningRate(double lr) { m_learningRate = lr; }
  double learningRate() const { return m_learningRate; }

 protected:
  double m_learningRate = 1e-2;
};

const std::vector<std::string>& optimizerNames();  // "adam", "sgd"
// nullptr for an unknown name.
std::unique_ptr<Optimizer> makeOptimizer(const std::string& name, double learningRate);

BAYESLAB_END_NAMESPACE
