#pragma once
// Adam (Kingma & Ba 2015):
//   m <- b1 m + (1 - b1) g,   v <- b2 v + (1 - b2) g^2,
//   theta <- theta - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
#include "engine/optim/optimizer.h"

BAYESLAB_BEGIN_NAMESPACE

class Adam final : public Optimizer {
 public:
  explicit Adam(double learningRate, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8);
  const char* id() const override { return "adam"; }
  void reset(Index n) override;
  void beginStep() override;
  void update(Real* params, const Real* grad, Index begin, Index count) override;
  Index statePerParameter() const override { return 2; }
  void copyStateFrom(const Optimizer& other) override;

 private:
  double m_beta1, m_beta2, m_eps;
  long long m_t = 0;
  Real m_stepScale = 0, m_secondScale = 0;
  ArrayX m_m, m_v;
};

BAYESLAB_END_NAMESPACE
