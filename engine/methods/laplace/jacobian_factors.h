#pragma once
// Per-layer factors of Jacobian-transpose products, the building block of every
// curvature the Laplace approximation needs.
//
// For inputs x (d_in x M) and seed vectors r_c in output space (K x M C, columns
// n C .. n C + C - 1 belonging to example n), reverse mode gives for each layer l
// (z_l = W_l a_{l-1} + b_l, a_0 = x):
//   delta_L = r_c,   delta_{l-1} = (W_l^T delta_l) * f'(z_{l-1}),
// and the pulled-back vector J_n^T r_c restricted to layer l is
//   vec([dW_l  db_l]) = vec(delta_l abar_{l-1}^T) = abar_{l-1} (x) delta_l,
// with abar = [a; 1] (the weights are stored column-major with the bias after
// them, so the flat block of layer l is exactly vec([W_l b_l])). Keeping the
// two factors instead of the P-vector lets the diagonal, Kronecker and
// functional-variance computations run as small matrix products (as BackPACK,
// Dangel et al. 2020, does).
#include <vector>

#include <Eigen/Dense>

#include "engine/model/mlp_kernel.h"

BAYESLAB_BEGIN_NAMESPACE

struct LayerFactors {
  Eigen::MatrixXd delta;  // d_out x (M C): one column per seed
  Eigen::MatrixXd input;  // (d_in + 1) x M: abar of each example (seed column c uses c / C)
  Index perExample = 1;   // C
};

// The columns of a (rows x M) matrix, each repeated C times: (rows x M C).
Eigen::MatrixXd repeatColumns(const Eigen::MatrixXd& a, Index times);
// The sum of each example's C columns of a (rows x M C) matrix: (rows x M).
Eigen::MatrixXd sumColumnGroups(const Eigen::MatrixXd& a, Index times);

// `ws` must hold kernel.forward(w, x). layers[l] receives the factors of layer l.
void pullBackSeeds(const MlpKernel& kernel, const Real* w, const Eigen::Ref<const Matrix>& x,
                   const MlpWorkspace& ws, const Eigen::MatrixXd& seeds, Index perExample,
                   std::vector<LayerFactors>& layers);

// The layers' blocks stacked into flat pulled-back vectors for layers [first, L):
// out is (parameters of those layers) x (M C).
void stackFactors(const MlpLayout& layout, const std::vector<LayerFactors>& layers,
                  Index firstLayer, Eigen::MatrixXd& out);

BAYESLAB_END_NAMESPACE
