#include "engine/methods/laplace/linearised_network.h"

BAYESLAB_BEGIN_NAMESPACE

void jacobianVectorProduct(const MlpKernel& kernel, const Real* w,
                           const Eigen::Ref<const Matrix>& x, const MlpWorkspace& ws, const Real* v,
                           Matrix& out) {
  const MlpLayout& layout = kernel.layout();
  const Index L = layout.layerCount();
  Matrix tangent;  // adot_{l-1}
  for (Index l = 0; l < L; ++l) {
    const LayerShape& s = layout.layer(l);
    const ConstMatrixMap W(w + s.weightOffset, s.outputs, s.inputs);
    const ConstMatrixMap V(v + s.weightOffset, s.outputs, s.inputs);
    const ConstVectorMap vb(v + s.biasOffset, s.outputs);
    Matrix z;
    if (l == 0) {
      z.noalias() = V * x;
    } else {
      z.noalias() = V * ws.activations[static_cast<size_t>(l - 1)];
      z.noalias() += W * tangent;
    }
    z.colwise() += vb;
    if (l + 1 < L)
      multiplyActivationDerivative(kernel.activation(), z, ws.activations[static_cast<size_t>(l)]);
    tangent.swap(z);
  }
  out.swap(tangent);
}

BAYESLAB_END_NAMESPACE
