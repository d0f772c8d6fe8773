#include "engine/methods/sivi/mixing_network.h"

#include <cmath>

#include "engine/core/gemm.h"
#include "engine/methods/common/initialisation.h"

BAYESLAB_BEGIN_NAMESPACE

void MixingNetwork::initialise(const MlpLayout& layout, double scale, RandomStream& rng,
                               Real* params) const {
  initialiseWeights(layout, rng, params + meanOffset());
  ArrayMap(params + logScaleOffset(), m_weights).setConstant(static_cast<Real>(std::log(scale)));
  const Index loadings = m_weights * m_hidden;
  rng.fillNormal(params + loadingOffset(), loadings);
  ArrayMap(params + loadingOffset(), loadings) *=
      static_cast<Real>(1.0 / std::sqrt(static_cast<double>(m_hidden)));
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

void MixingNetwork::scales(const Real* params, Range rows, Real* scale) const {
  ArrayMap(scale, rows.size) =
      ConstArrayMap(params + logScaleOffset() + rows.begin, rows.size).exp();
}

void MixingNetwork::offsets(const Real* params, const Matrix& h, Range rows, const Real* scale,
                            Eigen::Ref<Matrix> z) const {
  const ConstMatrixMap loadings(params + loadingOffset() + rows.begin * m_hidden, m_hidden,
                                rows.size);
  gemm(loadings, Op::Transpose, h, Op::None, z);
  z.array().colwise() *= ConstArrayMap(scale, rows.size);
}

void MixingNetwork::backwardRows(const Real* params, const Matrix& h, Range rows, const Real* scale,
                                 Eigen::Ref<Matrix> dZ, Real* grad,
                                 Eigen::Ref<Matrix> dHidden) const {
  const ConstMatrixMap loadings(params + loadingOffset() + rows.begin * m_hidden, m_hidden,
                                rows.size);
  dZ.array().colwise() *= ConstArrayMap(scale, rows.size);
  MatrixMap dLoadings(grad + loadingOffset() + rows.begin * m_hidden, m_hidden, rows.size);
  gemm(h, Op::None, dZ, Op::Transpose, dLoadings);
  VectorMap(grad + logScaleOffset() + rows.begin, rows.size) =
      (loadings.array() * dLoadings.array()).colwise().sum().transpose().matrix();
  gemm(loadings, Op::None, dZ, Op::None, dHidden);
}

void MixingNetwork::backwardHidden(const Eigen::Ref<const Matrix>& eps, const Matrix& h,
                                   Matrix& dHidden, Real* grad) const {
  dHidden.array() *= Real(1) - h.array().square();
  MatrixMap dB(grad + inputWeightOffset(), m_hidden, m_noise);
  gemm(dHidden, Op::None, eps, Op::Transpose, dB);
  VectorMap(grad + inputBiasOffset(), m_hidden) = dHidden.rowwise().sum();
}

BAYESLAB_END_NAMESPACE
