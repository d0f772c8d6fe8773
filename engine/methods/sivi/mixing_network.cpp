#include "engine/methods/sivi/mixing_network.h"

#include <cmath>

#include "engine/core/gemm.h"
#include "engine/methods/common/initialisation.h"

BAYESLAB_BEGIN_NAMESPACE

void MixingNetwork::initialise(const MlpLayout& layout, double spread, RandomStream& rng,
                               Real* params) const {
  initialiseWeights(layout, rng, params + meanOffset());
  const Index loadings = m_weights * m_hidden;
  rng.fillNormal(params + loadingOffset(), loadings);
  ArrayMap(params + loadingOffset(), loadings) *=
      static_cast<Real>(spread / std::sqrt(static_cast<double>(m_hidden)));
  rng.fillNormal(params + inputWeightOffset(), m_hidden * m_noise);
  ArrayMap(params + inputWeightOffset(), m_hidden * m_noise) *=
      static_cast<Real>(1.0 / std::sqrt(static_cast<double>(m_noise)));
  ArrayMap(params + inputBiasOffset(), m_hidden).setZero();
}

void MixingNetwork::hidden(const Real* params, const Eigen::Ref<const Matrix>& eps,
                           Matrix& h) const {
  const ConstMatrixMap B(params + inputWeightOffset(), m_hidden, m_noise);
  const ConstVectorMap c(params + inputBiasOffset(), m_hidden);
  h.resize(m_hidden, eps.cols());
  gemm(B, Op::None, eps, Op::None, h);
  h.colwise() += c;
  h = h.array().tanh().matrix();
}

void MixingNetwork::outputs(const Real* params, const Matrix& h, Range rows,
                            Eigen::Ref<Matrix> psi) const {
  const ConstMatrixMap loadings(params + loadingOffset() + rows.begin * m_hidden, m_hidden,
                                rows.size);
  gemm(loadings, Op::Transpose, h, Op::None, psi);
  psi.colwise() += ConstVectorMap(params + meanOffset() + rows.begin, rows.size);
}

void MixingNetwork::backwardRows(const Real* params, const Matrix& h, Range rows,
                                 const Eigen::Ref<const Matrix>& dPsi, Real* grad,
                                 Eigen::Ref<Matrix> dHidden) const {
  const ConstMatrixMap loadings(params + loadingOffset() + rows.begin * m_hidden, m_hidden,
                                rows.size);
  VectorMap(grad + meanOffset() + rows.begin, rows.size) = dPsi.rowwise().sum();
  MatrixMap dLoadings(grad + loadingOffset() + rows.begin * m_hidden, m_hidden, rows.size);
  gemm(h, Op::None, dPsi, Op::Transpose, dLoadings);
  gemm(loadings, Op::None, dPsi, Op::None, dHidden);
}

void MixingNetwork::backwardHidden(const Eigen::Ref<const Matrix>& eps, const Matrix& h,
                                   Matrix& dHidden, Real* grad) const {
  dHidden.array() *= Real(1) - h.array().square();
  MatrixMap dB(grad + inputWeightOffset(), m_hidden, m_noise);
  gemm(dHidden, Op::None, eps, Op::Transpose, dB);
  VectorMap(grad + inputBiasOffset(), m_hidden) = dHidden.rowwise().sum();
}

BAYESLAB_END_NAMESPACE
