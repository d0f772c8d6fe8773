#pragma once
// One layer's inducing-weight parameterisation (Ritter, Kukla, Zhang, Li 2021,
// "Sparse Uncertainty Representation in Deep Learning with Inducing Weights")
// and the small matrix algebra every sampler of the method shares.
//
// The layer's weight matrix W is d_out x d with the bias folded in as its last
// column (d = d_in + 1; in the flat network layout W then b is exactly that
// matrix, column-major). With the prior scale s, W = s W~ and
//
//   W~ ~ MN(0, I, I)                      (so each weight is N(0, s^2) a priori)
//   U~ = Zbar_r E Zbar_c^T,   Zbar_r = [Z_r | diag(D_r)],  Zbar_c = [Z_c | diag(D_c)],
//
// where E is a (d_out + M) x (d + N) standard normal matrix whose top-left
// d_out x d block is W~ itself. Hence the inducing matrix U~ (M x N) is jointly
// Gaussian with W~, matrix normal with
//   Cov(U~) = K_c (x) K_r,  K_r = Z_r Z_r^T + D_r^2,  K_c = Z_c Z_c^T + D_c^2,
//   Cov(vec U~, vec W~) = Z_c (x) Z_r,
// which is the paper's p(W, U). (The PyTorch reference writes the three extra
// blocks of E through a jittered Cholesky factor of Z Z^T; the augmented E gives
// the same distribution exactly, without the jitter and its gradient.)
// Conditioning gives E[W~ | U] = A_r U A_c with
//   A_r = Z_r^T K_r^-1 (d_out x M),   A_c = K_c^-1 Z_c (N x d),
//   Cov(W~ | U) = I - (Z_c^T K_c^-1 Z_c) (x) (Z_r^T K_r^-1 Z_r).
//
// Variational family: q(W, U) = q(U) q(W | U), where q(W | U) has the mean of
// p(W | U) and lambda^2 times its covariance, and U = L_r V L_c^T (L L^T = K,
// Cholesky) in whitened coordinates V, so p(V) = N(0, I):
//   FFG-U:       q(V) = N(m, diag(sigma_V^2)), sigma_V = softplus(rho_V),
//   Ensemble-U:  q(V) = (1/K) sum_k delta(V - V_k).
// KL terms (per layer, n = d_out d):
//   KL(q(U) || p(U)) = KL(q(V) || N(0, I)) = sum [-log sigma_V + (sigma_V^2 + m^2)/2 - 1/2],
//   R(lambda) = KL(q(W | U) || p(W | U)) = n (lambda^2 / 2 - log lambda - 1/2),
// the latter the same for every U because only the covariance is scaled.
// D_r = softplus(rho_r), D_c = softplus(rho_c), lambda = softplus(rho_lambda).
//
// Parameters of a layer, in order: Z_r (M x d_out), Z_c (N x d), rho_r (M),
// rho_c (N), rho_lambda (1), then FFG-U: m (M x N), rho_V (M x N); Ensemble-U:
// V_1 .. V_K (M x N each). That is M d_out + N d + M + N + 1 + 2MN scalars
// (K MN instead of 2MN for the ensemble).
//
// Gradients. All small-matrix functions are differentiated by hand:
//   Y = K^-1 X:          dX = K^-1 dY,        dK = -(K^-1 dY) Y^T,
//   L = chol(K):         dK = sym(L^-T Phi(L^T dL) L^-1)  (Phi: lower triangle,
//                        halved diagonal; Murray 2016),
//   K = Z Z^T + D^2:     dZ = (dK + dK^T) Z,   dD = 2 D diag(dK),
//   D = softplus(rho):   drho = dD sigmoid(rho).
#include <vector>

#include <Eigen/Cholesky>

#include "engine/core/real.h"
#include "engine/model/mlp_layout.h"

BAYESLAB_BEGIN_NAMESPACE

// Where one layer's parameters live in the method's flat parameter vector.
struct InducingLayerShape {
  Index outputs = 0;  // d_out
  Index inputs = 0;   // d_in; W has d = d_in + 1 columns
  Index rows = 0;     // M
  Index cols = 0;     // N
  Index members = 0;  // 0: FFG-U; K >= 1: Ensemble-U with K members
  Index offset = 0;   // first parameter of the layer

  Index columns() const { return inputs + 1; }
  Index weightCount() const { return outputs * columns(); }
  Index inducingCount() const { return rows * cols; }
  bool ensemble() const { return members > 0; }
  Index zr() const { return offset; }
  Index zc() const { return zr() + rows * outputs; }
  Index rhoR() const { return zc() + cols * columns(); }
  Index rhoC() const { return rhoR() + rows; }
  Index rhoLambda() const { return rhoC() + cols; }
  // FFG-U: m; Ensemble-U: V_1.
  Index mean() const { return rhoLambda() + 1; }
  // FFG-U only.
  Index rhoV() const { return mean() + inducingCount(); }
  // Ensemble-U: V_k.
  Index member(Index k) const { return mean() + k * inducingCount(); }
  Index count() const {
    return rows * outputs + cols * columns() + rows + cols + 1 +
           (ensemble() ? members : 2) * inducingCount();
  }
};

// The layers of a network. rows / cols of 0 give the defaults floor(sqrt(d_out))
// and floor(sqrt(d_in + 1)); any value is capped at d_out and d_in + 1.
struct InducingLayout {
  InducingLayout() = default;
  InducingLayout(const MlpLayout& network, Index rows, Index cols, Index members);

  std::vector<InducingLayerShape> layers;
  Index parameterCount = 0;

  static Index defaultRows(Index outputs);
  static Index defaultCols(Index inputs);
};

// Softplus, K, its Cholesky factor and inverse for one side (rows or columns).
// Sized once, then allocation-free.
struct InducingSide {
  Vector d, dSigmoid;       // D = softplus(rho), dD/drho
  Matrix k, l, lInv, kInv;  // K = Z Z^T + D^2, L L^T = K, L^-1, K^-1 = L^-T L^-1
  Eigen::LLT<Matrix> llt;

  // z: count x width, column-major. Returns false when K is not positive definite.
  bool compute(const Real* z, Index count, Index width, const Real* rho);
};

// What a step needs of a layer before sampling: both sides, lambda and, when
// asked for, A_r and A_c.
struct InducingFactors {
  InducingSide row, col;
  Real lambda = 0, lambdaSigmoid = 0;
  Matrix ar, ac;  // A_r = Z_r^T K_r^-1 (d_out x M), A_c = K_c^-1 Z_c (N x d)
  bool ok = true;

  void compute(const InducingLayerShape& shape, const Real* params, bool withA);
};

// Gradient of the objective with respect to the quantities InducingFactors
// computes, accumulated by the samplers; backward() takes it to Z_r, Z_c,
// rho_r, rho_c and rho_lambda.
struct FactorGradient {
  Matrix kr, kc;  // dJ/dK (general; only its symmetric part matters)
  Matrix lr, lc;  // dJ/dL (lower triangle)
  Matrix ar, ac;  // dJ/dA_r, dJ/dA_c (weight-space layers)
  Matrix zr, zc;  // direct dJ/dZ_r, dJ/dZ_c
  Vector dr, dc;  // direct dJ/dD_r, dJ/dD_c
  double lambda = 0.0;
  // backwardFactors' scratch (sized once: a training step allocates nothing).
  Matrix scratchRows, scratchCols, rowSmall, rowSmall2, colSmall, colSmall2;

  void resize(const InducingLayerShape& shape);
  void setZero();
  FactorGradient& operator+=(const FactorGradient& other);
};

// The chain rule from g to the layer's Z_r, Z_c, rho_r, rho_c, rho_lambda,
// written (overwritten) into `gradient` at the layer's offsets. Clobbers g.
void backwardFactors(const InducingLayerShape& shape, const Real* params,
                     const InducingFactors& factors, FactorGradient& g, Real* gradient);

// The symmetric dJ/dK of J(L), L = chol(K), given dJ/dL (lower triangle read)
// and L^-1; out and scratch are resized.
void choleskyBackward(const Matrix& l, const Matrix& lInv, const Matrix& lBar, Matrix& out,
                      Matrix& scratch);
Matrix choleskyBackward(const Matrix& l, const Matrix& lBar);

// KL(q(V) || N(0, I)) of FFG-U over the layer's M x N entries, and its gradient
// times `scale` added to the mean's and rho_V's gradient. scratch: 2 M N values.
double whitenedKl(const InducingLayerShape& shape, const Real* params, Real scale, Real* gradient,
                  Vector& scratch);
// Ensemble-U: -log N(V_k; 0, I) = |V_k|^2 / 2 + MN log(2 pi) / 2 for member k,
// gradient times `scale` added.
double memberNegativeLogPrior(const InducingLayerShape& shape, const Real* params, Index k,
                              Real scale, Real* gradient);
// R(lambda) = n (lambda^2 / 2 - log lambda - 1/2), n = d_out d; dR/dlambda.
double lambdaRegulariser(const InducingLayerShape& shape, double lambda, double* derivative);

BAYESLAB_END_NAMESPACE
