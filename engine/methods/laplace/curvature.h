#pragma once
// The data term of the Laplace precision, H_data ~ -d^2/dw^2 log p(D | w) at w,
// in one of the structures of Ritter, Botev & Barber (2018) and Daxberger et al.
// (2021, "Laplace Redux"), all built from the seeds of output_curvature.h pulled
// back per layer (jacobian_factors.h):
//
//   diag_ggn / diag_ef   diagonal of sum_c g_c g_c^T with g_c = J^T r_c (GGN seeds or
//                        per-example gradients): per layer (delta^2)(abar^2)^T.
//   kfac                 per-layer blocks A_l (x) G_l (Martens & Grosse 2015):
//                          A_l = sum_n abar_n abar_n^T,  G_l = (1/N) sum_{n,c} delta delta^T,
//                        approximating the exact block sum_n (abar abar^T) (x) (sum_c delta
//                        delta^T) by (1/N) (sum A_n) (x) (sum G_n). Exact when G_n is the same
//                        for every example: a single layer with a scalar Gaussian output.
//   last_layer_full      the exact GGN of the last layer's weights and biases (the rest of
//                        the network fixed at w: a Bayesian last layer).
//   full                 the exact GGN of every parameter (small networks only).
//
// Vectorisation is column-major with each layer's bias after its weights, so layer l's
// block is vec([W_l b_l]) and the Kronecker order is A (x) G. The data are cut into a
// fixed number of groups processed in parallel and summed in order: the result does not
// depend on the thread count.
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "engine/data/dataset.h"
#include "engine/likelihood/likelihood.h"
#include "engine/model/mlp_kernel.h"

BAYESLAB_BEGIN_NAMESPACE

enum class HessianStructure { DiagonalGgn, DiagonalEf, Kfac, LastLayerFull, Full };

inline bool isDiagonal(HessianStructure s) {
  return s == HessianStructure::DiagonalGgn || s == HessianStructure::DiagonalEf;
}

const std::vector<std::string>& hessianStructureIds();           // diag_ggn, diag_ef, kfac, ...
HessianStructure hessianStructureFromId(const std::string& id);  // throws InputError

struct KroneckerFactor {
  Eigen::MatrixXd A;  // (d_in + 1)^2
  Eigen::MatrixXd G;  // d_out^2
  // A = UA diag(a) UA^T, G = UG diag(g) UG^T (eigenvalues clamped at 0).
  Eigen::MatrixXd UA, UG;
  Eigen::VectorXd a, g;
};

struct DataCurvature {
  HessianStructure structure = HessianStructure::DiagonalGgn;
  Index parameters = 0;      // P
  Index coveredOffset = 0;   // the approximation covers flat parameters [coveredOffset, P)
  Eigen::VectorXd diagonal;  // diagonal structures: P values
  std::vector<KroneckerFactor> kronecker;  // kfac: one per layer
  Eigen::MatrixXd dense;                   // last_layer_full, full: the covered block
  double logLikelihood = 0.0;              // sum_n log p(y_n | x_n, w)
  Index examples = 0;
  // Eigenvalues of H_data over the covered parameters (diagonal entries; products a_i g_j;
  // the dense block's spectrum): what the evidence of an isotropic prior needs.
  Eigen::VectorXd spectrum;

  Index coveredCount() const { return parameters - coveredOffset; }
  // Memory held by the matrices and vectors above.
  std::size_t bytes() const;
};

// Largest parameter count the `full` structure accepts (its P x P matrix is inverted).
constexpr Index kMaxFullLaplaceParameters = 1000;

DataCurvature computeCurvature(HessianStructure structure, const MlpKernel& kernel,
                               const Likelihood& likelihood, const Real* likelihoodParams,
                               const Real* w, const Dataset& data, int threads);

BAYESLAB_END_NAMESPACE
