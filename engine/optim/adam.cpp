#include "engine/optim/adam.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

Adam::Adam(double learningRate, double beta1, double beta2, double eps)
    : m_beta1(beta1), m_beta2(beta2), m_eps(eps) {
  m_learningRate = learningRate;
}

void Adam::reset(Index n) {
  m_m = ArrayX::Zero(n);
  m_v = ArrayX::Zero(n);
  m_t = 0;
}

void Adam::copyStateFrom(const Optimizer& other) {
  Optimizer::copyStateFrom(other);
  const auto& o = static_cast<const Adam&>(other);
  m_beta1 = o.m_beta1, m_beta2 = o.m_beta2, m_eps = o.m_eps;
  m_t = o.m_t;
  m_stepScale = o.m_stepScale, m_secondScale = o.m_secondScale;
  m_m = o.m_m;
  m_v = o.m_v;
}

void Adam::beginStep() {
  ++m_t;
  const double c1 = 1.0 - std::pow(m_beta1, static_cast<double>(m_t));
  const double c2 = 1.0 - std::pow(m_beta2, static_cast<double>(m_t));
  // lr * m_hat / (sqrt(v_hat) + eps) = (lr / c1) * m / (sqrt(v / c2) + eps)
  m_stepScale = static_cast<Real>(m_learningRate / c1);
  m_secondScale = static_cast<Real>(1.0 / c2);
}

void Adam::update(Real* params, const Real* grad, Index begin, Index count) {
  ArrayMap theta(params + begin, count);
  const ConstArrayMap g(grad + begin, count);
  auto m = m_m.segment(begin, count);
  auto v = m_v.segment(begin, count);
  const Real b1 = static_cast<Real>(m_beta1), b2 = static_cast<Real>(m_beta2);
  m = b1 * m + (Real(1) - b1) * g;
  v = b2 * v + (Real(1) - b2) * g.square();
  theta -= m_stepScale * m / ((v * m_secondScale).sqrt() + static_cast<Real>(m_eps));
}

BAYESLAB_END_NAMESPACE
