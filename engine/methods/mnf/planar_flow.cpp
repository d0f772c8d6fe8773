#include "engine/methods/mnf/planar_flow.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

namespace {
Real softplus(Real x) {
  return std::max(x, Real(0)) + std::log1p(std::exp(-std::abs(x)));
}
Real sigmoid(Real x) {
  return Real(1) / (Real(1) + std::exp(-x));
}
}  // namespace

void PlanarFlow::initialise(RandomStream& rng, Real* params) const {
  const Index D = m_dim;
  rng.fillNormal(params, 2 * D);
  ArrayMap(params, 2 * D) *= static_cast<Real>(1.0 / std::sqrt(static_cast<double>(D)));
  params[2 * D] = 0;
}

PlanarFlow::Scalars PlanarFlow::scalars(const Real* params) const {
  const ConstVectorMap w(params, m_dim), u(params + m_dim, m_dim);
  Scalars s;
  s.wu = w.dot(u);
  s.ww = w.squaredNorm();
  s.k = softplus(s.wu) - Real(1);
  s.shift = (s.k - s.wu) / s.ww;
  return s;
}

void PlanarFlow::forward(const Real* params, Eigen::Ref<Matrix> z, Eigen::Ref<Matrix> input,
                         Eigen::Ref<Matrix> t, Real* logDet) const {
  const Index D = m_dim, n = z.cols();
  const Scalars sc = scalars(params);
  const ConstVectorMap w(params, D), u(params + D, D);
  const Real b = params[2 * D];
  input = z;
  for (Index c = 0; c < n; ++c) {
    const Real tc = std::tanh(w.dot(z.col(c)) + b);
    t(0, c) = tc;
    z.col(c) += tc * (u + sc.shift * w);
    if (logDet) logDet[c] += std::log(Real(1) + (Real(1) - tc * tc) * sc.k);
  }
}

void PlanarFlow::backward(const Real* params, const Eigen::Ref<const Matrix>& input,
                          const Eigen::Ref<const Matrix>& t, Eigen::Ref<Matrix> outGradient,
                          Eigen::Ref<Matrix> scalars, Eigen::Ref<Matrix> dz,
                          Real logDetWeight) const {
  (void)input;
  const Index D = m_dim, n = dz.cols();
  const Scalars sc = this->scalars(params);
  const ConstVectorMap w(params, D), u(params + D, D);
  const Real gamma = logDetWeight;
  outGradient = dz;
  for (Index c = 0; c < n; ++c) {
    const Real tc = t(0, c), psi = Real(1) - tc * tc;
    const Real denominator = Real(1) + psi * sc.k;
    const Real ds = psi * (u.dot(dz.col(c)) + sc.shift * w.dot(dz.col(c))) -
                    Real(2) * gamma * sc.k * tc * psi / denominator;
    scalars(0, c) = ds;
    scalars(1, c) = gamma * psi / denominator;
    dz.col(c) += ds * w;
  }
}

void PlanarFlow::parameterGradient(const Real* params, const Eigen::Ref<const Matrix>& input,
                                   const Eigen::Ref<const Matrix>& t,
                                   const Eigen::Ref<const Matrix>& outGradient,
                                   const Eigen::Ref<const Matrix>& scalars, Real* gradient,
                                   bool accumulate) const {
  const Index D = m_dim;
  const Scalars sc = this->scalars(params);
  const ConstVectorMap w(params, D), u(params + D, D);
  VectorMap dw(gradient, D), du(gradient + D, D);
  Real& db = gradient[2 * D];
  if (!accumulate) {
    dw.setZero();
    du.setZero();
    db = 0;
  }
  // Direct: s = w^T z + b.
  for (Index c = 0; c < input.cols(); ++c) {
    dw += scalars(0, c) * input.col(c);
    db += scalars(0, c);
  }
  // Through u^ = u + shift w and the log-determinant's k.
  const Real dk = scalars.row(1).sum();
  Real dShift = 0;
  for (Index i = 0; i < D; ++i) {
    Real duHat = 0;
    for (Index c = 0; c < t.cols(); ++c) duHat += outGradient(i, c) * t(0, c);
    du(i) += duHat;
    dw(i) += sc.shift * duHat;
    dShift += duHat * w(i);
  }
  const Real dkTotal = dk + dShift / sc.ww;
  const Real dwu = dkTotal * sigmoid(sc.wu) - dShift / sc.ww;
  const Real dww = -dShift * sc.shift / sc.ww;
  du += dwu * w;
  dw += dwu * u + Real(2) * dww * w;
}

BAYESLAB_END_NAMESPACE
