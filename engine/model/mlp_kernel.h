#pragma once
// Forward and backward passes of a multilayer perceptron whose weights are a
// flat vector (see MlpLayout). Inputs are d_in x B (one example per column):
//
//   a_0 = x,   z_l = W_l a_{l-1} + b_l,   a_l = f(z_l) (l < L),   output = z_L.
//
// Backward, given delta_L = dJ/d(output):
//   dJ/dW_l = delta_l a_{l-1}^T,  dJ/db_l = sum_columns(delta_l),
//   delta_{l-1} = (W_l^T delta_l) * f'(z_{l-1}).
//
// Every method that evaluates the network at a concrete weight vector (MAP,
// Bayes by Backprop, ensembles, SGLD, HMC, Laplace) uses this kernel. The
// workspace is sized on first use and reused, so a training step allocates
// nothing.

#include <vector>

#include "engine/core/real.h"
#include "engine/model/activation.h"
#include "engine/model/mlp_layout.h"

BAYESLAB_BEGIN_NAMESPACE

struct MlpWorkspace {
  std::vector<Matrix> activations;  // a_1 .. a_L (a_L = output)
  std::vector<Matrix> deltas;       // delta_1 .. delta_L
  // delta_L: fill it with dJ/d(output) before calling backward().
  Matrix& outputGradient() { return deltas.back(); }
  const Matrix& output() const { return activations.back(); }
};

class MlpKernel {
 public:
  MlpKernel() = default;
  MlpKernel(MlpLayout layout, Activation activation);

  const MlpLayout& layout() const { return m_layout; }
  Activation activation() const { return m_activation; }

  // Sizes the workspace for a batch of `batch` columns (no-op when already sized).
  void prepare(MlpWorkspace& ws, Index batch) const;

  // Returns the network output (d_out x B), stored in the workspace.
  const Matrix& forward(const Real* weights, const Eigen::Ref<const Matrix>& x,
                        MlpWorkspace& ws) const;

  // Writes dJ/dweights (flat, overwritten) from ws.outputGradient(). Must follow a
  // forward() on the same x, weights and workspace. Clobbers the deltas.
  void backward(const Real* weights, const Eigen::Ref<const Matrix>& x, MlpWorkspace& ws,
                Real* gradient) const;

 private:
  MlpLayout m_layout;
  Activation m_activation = Activation::Relu;
};

BAYESLAB_END_NAMESPACE
