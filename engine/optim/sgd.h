#pragma once
// Plain stochastic gradient descent: theta <- theta - lr * g.
#include "engine/optim/optimizer.h"

BAYESLAB_BEGIN_NAMESPACE

class Sgd final : public Optimizer {
 public:
  explicit Sgd(double learningRate) { m_learningRate = learningRate; }
  const char* id() const override { return "sgd"; }
  void reset(Index) override {}
  void update(Real* params, const Real* grad, Index begin, Index count) override {
    ArrayMap(params + begin, count) -=
        static_cast<Real>(m_learningRate) * ConstArrayMap(grad + begin, count);
  }
};

BAYESLAB_END_NAMESPACE
