#include "engine/model/mlp_kernel.h"

#include "engine/core/gemm.h"

BAYESLAB_BEGIN_NAMESPACE

MlpKernel::MlpKernel(MlpLayout layout, Activation activation)
    : m_layout(std::move(layout)), m_activation(activation) {}

void MlpKernel::prepare(MlpWorkspace& ws, Index batch) const {
  const auto L = static_cast<size_t>(m_layout.layerCount());
  ws.activations.resize(L);
  ws.deltas.resize(L);
  for (size_t l = 0; l < L; ++l) {
    const Index out = m_layout.layer(static_cast<Index>(l)).outputs;
    ws.activations[l].resize(out, batch);
    ws.deltas[l].resize(out, batch);
  }
}

const Matrix& MlpKernel::forward(const Real* weights, const Eigen::Ref<const Matrix>& x,
                                 MlpWorkspace& ws) const {
  prepare(ws, x.cols());
  const Index L = m_layout.layerCount();
  for (Index l = 0; l < L; ++l) {
    const LayerShape& s = m_layout.layer(l);
    const ConstMatrixMap W(weights + s.weightOffset, s.outputs, s.inputs);
    const ConstVectorMap b(weights + s.biasOffset, s.outputs);
    Matrix& z = ws.activations[static_cast<size_t>(l)];
    if (l == 0)
      gemm(W, Op::None, x, Op::None, z);
    else
      gemm(W, Op::None, ws.activations[static_cast<size_t>(l - 1)], Op::None, z);
    z.colwise() += b;
    if (l + 1 < L) applyActivation(m_activation, z);
  }
  return ws.activations.back();
}

void MlpKernel::backward(const Real* weights, const Eigen::Ref<const Matrix>& x, MlpWorkspace& ws,
                         Real* gradient) const {
  const Index L = m_layout.layerCount();
  for (Index l = L - 1; l >= 0; --l) {
    const LayerShape& s = m_layout.layer(l);
    Matrix& delta = ws.deltas[static_cast<size_t>(l)];
    MatrixMap gW(gradient + s.weightOffset, s.outputs, s.inputs);
    VectorMap gb(gradient + s.biasOffset, s.outputs);
    if (l == 0)
      gemm(delta, Op::None, x, Op::Transpose, gW);
    else
      gemm(delta, Op::None, ws.activations[static_cast<size_t>(l - 1)], Op::Transpose, gW);
    gb.noalias() = delta.rowwise().sum();
    if (l > 0) {
      const ConstMatrixMap W(weights + s.weightOffset, s.outputs, s.inputs);
      Matrix& previous = ws.deltas[static_cast<size_t>(l - 1)];
      gemm(W, Op::Transpose, delta, Op::None, previous);
      multiplyActivationDerivative(m_activation, previous,
                                   ws.activations[static_cast<size_t>(l - 1)]);
    }
  }
}

BAYESLAB_END_NAMESPACE
