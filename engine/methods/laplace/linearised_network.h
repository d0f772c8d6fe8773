#pragma once
// The network linearised in its weights around w* (the GLM of Immer, Korzepa &
// Bauer 2021, "Improving predictions of Bayesian neural nets via local
// linearization"):
//   f_lin(x; w) = f(x; w*) + J(x) (w - w*),   J(x) = df(x; w)/dw at w*.
// J(x) v is a forward-mode directional derivative, one pass as cheap as forward():
//   zdot_l = W_l adot_{l-1} + V_l a_{l-1} + v_b,l,   adot_l = f'(z_l) * zdot_l,   adot_0 = 0,
// where (V_l, v_b,l) is layer l's part of v and a, z come from the forward pass at w*.
// Under a Gaussian q(w) = N(w*, Sigma) the linearised outputs are exactly Gaussian,
// f_lin(x) ~ N(f(x; w*), J Sigma J^T).
#include "engine/model/mlp_kernel.h"

BAYESLAB_BEGIN_NAMESPACE

// out (d_out x M) = J(x) v. `ws` must hold kernel.forward(w, x).
void jacobianVectorProduct(const MlpKernel& kernel, const Real* w,
                           const Eigen::Ref<const Matrix>& x, const MlpWorkspace& ws, const Real* v,
                           Matrix& out);

BAYESLAB_END_NAMESPACE
