#pragma once
// Inducing weights sampled in function space: a layer's output f = W x~ drawn
// per input, with exactly the distribution that a W drawn from q(W | U) q(U)
// by the extended Matheron rule (matheron_sampler.h) gives at that input, at
// O(N d + M d_out) cost per input instead of O(d_out d). As with local
// reparameterisation, inputs get independent draws: every input's expected
// log-likelihood, hence the ELBO, is the same, and the estimator's variance is
// lower. (The lecture's "faster inference in function space".)
//
// Derivation (s = 1; multiply f by the prior scale s). Take one input x~ = [x; 1]
// (d) and write
//   c = Z_c x~ (N),  a = A_c x~ = K_c^-1 c,  q = c . a = x~^T Z_c^T K_c^-1 Z_c x~,
//   n_x = |x~|^2,    0 <= q <= n_x  (Z_c^T K_c^-1 Z_c <= I since K_c >= Z_c Z_c^T).
// With W = A_r U A_c + lambda (E_1 - A_r U~' A_c) (matheron_sampler.h),
//   f = W x~ = A_r (U a - lambda U~' a) + lambda E_1 x~.
// The two parts are independent.
//  (1) U a = L_r V (L_c^T a) = L_r w,  a' = L_c^T a: with FFG-U, w = V a' has
//      independent entries N(m a', sigma_V^2 a'^2) (local reparameterisation over
//      the mean-field V); with Ensemble-U member k, w = V_k a'.
//  (2) (g, h) = (E_1 x~, U~' a) with U~' = Zbar_r E Zbar_c^T: jointly Gaussian with
//        Cov(g) = n_x I_{d_out},  Cov(h) = |Zbar_c^T a|^2 K_r = (a^T K_c a) K_r = q K_r,
//        Cov(g, h) = (x~ . Z_c^T a) Z_r^T = q Z_r^T
//      (K_c a = c, so a^T K_c a = q). A draw with these moments:
//        g = sqrt(n_x) e_1,                         e_1 ~ N(0, I_{d_out}),
//        h = alpha (Z_r e_1 + D_r e_6) + beta L_r e_5, e_5, e_6 ~ N(0, I_M),
//        alpha = q / sqrt(n_x),  beta = sqrt(q - q^2 / n_x),
//      since Cov(g, h) = sqrt(n_x) alpha Z_r^T = q Z_r^T and
//      Cov(h) = alpha^2 (Z_r Z_r^T + D_r^2) + beta^2 K_r = (alpha^2 + beta^2) K_r = q K_r.
// So with Y' = K_r^-1 (L_r w - lambda h) (M), and A_r = Z_r^T K_r^-1,
//   f = s (Z_r^T Y' + lambda sqrt(n_x) e_1).
// Per input: Z_c x~ (N d), Z_r e_1 and Z_r^T Y' (2 M d_out), d_out + 3M normals,
// and O(M^2 + N^2) for the small solves. Over a batch these are GEMMs of depth
// d, d_out and M.
//
// Backward, given delta = dJ/df and delta~ = s delta (columns are inputs):
//   dY' = Z_r delta~,  dZ_r += Y' delta~^T + (alpha dh) e_1^T,
//   dlambda += sum sqrt(n_x) (delta~ . e_1) - sum dY . h,  dn_x += lambda (delta~ . e_1) / (2
//   sqrt(n_x)), dY = K_r^-1 dY',  dK_r -= dY Y'^T,  dL_r += dY w^T + (beta dh) e_5^T,  dw = L_r^T
//   dY, dh = -lambda dY,  dalpha = dh . (Z_r e_1 + D_r e_6),  dbeta = dh . (L_r e_5), dD_r +=
//   rowsum(alpha dh e_6), FFG-U: w = m a' + sqrt(v) e_4, v = sigma_V^2 a'^2:  dm += dw a'^T,
//          dv = dw e_4 / (2 sqrt(v)),  d(sigma_V^2) += dv (a'^2)^T,
//          da' = m^T dw + 2 a' (sigma_V^2)^T dv;
//   Ensemble-U: dV_k += dw a'^T, da' = V_k^T dw;
//   da = L_c da',  dL_c += a da'^T,
//   dq = dalpha / sqrt(n_x) + dbeta (1 - 2q/n_x) / (2 beta),
//   dn_x += -dalpha q / (2 n_x^1.5) + dbeta q^2 / (2 beta n_x^2),
//   dc = dq a + K_c^-1 (da + dq c),  dK_c -= K_c^-1 (da + dq c) a^T,
//   dZ_c += dc x~^T,  dx = Z_c^T dc + 2 dn_x x  (the bias row of x~ dropped).
#include "engine/core/random.h"
#include "engine/methods/inducing/inducing_layer.h"

BAYESLAB_BEGIN_NAMESPACE

// A layer's per-step constants for function-space draws.
struct FunctionSpaceConstants {
  const InducingLayerShape* shape = nullptr;
  const InducingFactors* factors = nullptr;
  const Real* params = nullptr;
  Real scale = 1;          // the prior scale s
  Matrix zrT;              // Z_r^T (d_out x M): spares a transpose per product
  Matrix variance;         // FFG-U: sigma_V^2 (M x N)
  Matrix varianceSigmoid;  // FFG-U: 2 sigma_V sigmoid(rho_V): d(sigma_V^2)/d(rho_V)

  void prepare(const InducingLayerShape& s, const InducingFactors& f, const Real* p,
               Real priorScale);
  // m (FFG-U) or V_k (Ensemble-U).
  ConstMatrixMap inducing(Index member) const;
};

// Per-unit sums of the small gradients (reduced over units in a fixed order).
struct FunctionSpaceGradient {
  Matrix kr, lr, kc, lc;  // dJ/dK_r, dJ/dL_r, dJ/dK_c, dJ/dL_c
  Vector dr;              // dJ/dD_r
  Matrix mean;            // dJ/dm (FFG-U) or dJ/dV_k (Ensemble-U)
  Matrix variance;        // FFG-U: dJ/d(sigma_V^2)
  double lambda = 0.0;
  Matrix scratchRows, scratchCols;  // M x M, N x N

  void resize(const InducingLayerShape& shape);
  void setZero();
};

// One layer's draws over `columns` inputs (a batch, all Monte Carlo passes side
// by side). forward / backward work on a range of columns, so units of a batch
// can run in parallel; the products over the whole batch (dZ_r, dZ_c) are left
// to the caller (rowsGradient, colsGradient) so they run as single GEMMs.
class FunctionSpaceSampler {
 public:
  void resize(const InducingLayerShape& shape, Index columns);

  // x: the layer's inputs (d_in x n, without the bias row), for columns
  // [col, col + n). out: the layer's outputs (d_out x n), pre-activation.
  void forward(const FunctionSpaceConstants& k, Index member, const Eigen::Ref<const Matrix>& x,
               Index col, RandomStream& stream, Eigen::Ref<Matrix> out);
  // delta: dJ/d(out) for the same columns. Accumulates into g; writes
  // dJ/dx into dx (d_in x n, column-major) when given; keeps what
  // rowsGradient / colsGradient need.
  void backward(const FunctionSpaceConstants& k, Index member, const Eigen::Ref<const Matrix>& x,
                Index col, const Eigen::Ref<const Matrix>& delta, FunctionSpaceGradient& g,
                Real* dx);

  // dJ/dZ_r, columns [begin, begin + n) of it (M x n), over all columns of the
  // batch: Y' delta~^T + (alpha dh) e_1^T. delta: all columns (d_out x columns).
  void rowsGradient(const FunctionSpaceConstants& k, const Eigen::Ref<const Matrix>& delta,
                    Index begin, Index n, Eigen::Ref<Matrix> out) const;
  // dJ/dZ_c for columns [begin, begin + n) of it (N x n) given the layer's
  // inputs (d_in x columns; the bias row of x~ is implicit). The first layer's
  // input is one batch shared by all `passes`: call sumPasses(passes) once
  // first and pass that batch (d_in x columns / passes).
  void sumPasses(Index passes);
  void colsGradient(const Eigen::Ref<const Matrix>& x, Index begin, Index n,
                    Eigen::Ref<Matrix> out) const;

 private:
  InducingLayerShape m_shape;
  // Per input (columns): c, a = K_c^-1 c, a' = L_c^T a (N); w, e_4 / (2 sqrt v),
  // Z_r e_1 + D_r e_6, L_r e_5, e_5, e_6, h, Y' (M); e_1 (d_out); the backward's
  // dc (N) and alpha dh (M); and the scalars n_x, q, alpha, beta.
  Matrix m_c, m_a, m_ap, m_w, m_noise4, m_zeta, m_l5, m_e5, m_e6, m_h, m_yp, m_e1;
  Matrix m_dc, m_dzeta;
  RowVector m_nx, m_q, m_alpha, m_beta;
  // Per-column scratch (M, N rows; five rows of per-input scalars).
  Matrix m_scratchM, m_scratchM2, m_scratchM3, m_scratchN, m_scratchN2, m_scratchN3, m_rows;
  Matrix m_dcSum;  // the first layer's dc summed over passes
  bool m_summed = false;
};

BAYESLAB_END_NAMESPACE
