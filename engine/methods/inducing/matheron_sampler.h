#pragma once
// The extended Matheron rule (Ritter et al. 2021, Sec. 3.2): one weight matrix
// of a layer drawn from q(W | U) without ever forming the d_out d x d_out d
// conditional covariance, and the gradient of anything computed from that W
// back to the layer's parameters.
//
// Matheron's rule: if (W~', U~') is a joint draw from p(W~, U~), then
// W~' + A_r (U - U~') A_c is a draw from p(W~ | U~ = U). q(W | U) keeps that
// mean and scales the deviation by lambda, so with the prior scale s:
//
//   E      ~ N(0, I), (d_out + M) x (d + N); its top-left block E_1 = W~'
//   S      = Zbar_r E = Z_r E_top + D_r E_bottom          (M x (d + N))
//   U~'    = S Zbar_c^T = S_{:, <d} Z_c^T + S_{:, >=d} D_c  (M x N)
//   T      = U - lambda U~'
//   W      = s (A_r (T A_c) + lambda E_1)                   (d_out x d)
//
// (inducing_layer.h has the joint distribution). Every product is O(d_out d M)
// or smaller: the chain never forms an (M N) x (d_out d) matrix.
//
// Backward, from G = dJ/dW and G~ = s G:
//   J = A_r^T G~,  dT = J A_c^T,  dA_c = T^T J,  dA_r = G~ (T A_c)^T,
//   dlambda = <G~, E_1> - <dT, U~'>,  dU = dT,  dU~' = -lambda dT,
//   dS_{:, <d} = dU~' Z_c,  dS_{:, >=d} = dU~' D_c,  dZ_c += dU~'^T S_{:, <d},
//   dD_c += colsum(dU~' * S_{:, >=d}),  dZ_r += dS E_top^T,  dD_r += rowsum(dS * E_bottom),
// and U = L_r V L_c^T gives dV = L_r^T dU L_c, dL_r += dU L_c V^T, dL_c += dU^T L_r V.
//
// The columns of E are cut into blocks fixed by the layer's shape, so a large
// layer's draw and gradient run in parallel: each block draws its own columns of
// E from its own stream, and the two reductions over columns (U~' forward; dT,
// dA_r, dlambda, dZ_r, dD_r backward) sum the blocks' parts in a fixed order.
// Call drawBlock for every block, then combine, then weightBlock for every block;
// backward: gradientBlock, combineGradient, gradientBlock2, finish.
//
// Factored evaluation: a layer's outputs for a batch X~ (d x B) need not form W:
//   W X~ = s (A_r T (A_c X~) + lambda E_1 X~),
// which costs d_out d B for E_1 X~ (the same as W X~) but saves the O(d_out d M)
// products that form W and turn dJ/dW back into dT, dA_r, dA_c: with delta~ = s delta,
//   rho = A_r^T delta~,  dT = rho (A_c X~)^T,  dA_r = delta~ (T A_c X~)^T,
//   dA_c = (T^T rho) X~^T,  dlambda = <delta~, E_1 X~> - <dT, U~'>,
//   dX~ = lambda s E_1^T delta + A_c^T T^T rho
// (dJ/dW = delta X~^T is never formed either). The estimator does the batch products;
// here: transposeBlock (E_1^T for dX~) in place of weightBlock, and setFactoredGradient
// (dT and <delta~, E_1 X~> over the batch) in place of gradientBlock and combineGradient;
// finish then leaves dA_r and dA_c to the caller.
#include "engine/core/parallel.h"
#include "engine/core/random.h"
#include "engine/methods/inducing/inducing_layer.h"

BAYESLAB_BEGIN_NAMESPACE

class MatheronSampler {
 public:
  // Multiply-adds per column block of E (about 5 M (d_out + M) per column of a
  // draw and its gradient): a 784-400 layer's 813 columns make 9 blocks, a
  // 400-10 output layer's draw is one. Each block draws its columns of E from
  // its own stream, so the value (fixed by the shape) selects the draw.
  static constexpr Index kDefaultBlockWork = Index(1) << 22;

  void resize(const InducingLayerShape& shape, Index blockWork = kDefaultBlockWork);
  Index blockCount() const { return m_blocks; }

  // Forward.
  void drawBlock(Index b, const InducingFactors& f, const Real* params, RandomStream stream);
  // v: the whitened inducing matrix V (M x N) of this draw.
  void combine(const InducingFactors& f, const Eigen::Ref<const Matrix>& v);
  // Writes columns of W (d_out x d, column-major, leading dimension d_out) for block b.
  void weightBlock(Index b, const InducingFactors& f, Real scale, Real* w);

  // Backward, from g = dJ/dW (d_out x d, column-major).
  void gradientBlock(Index b, const InducingFactors& f, Real scale, const Real* g);
  void combineGradient(const InducingFactors& f);
  void gradientBlock2(Index b, const InducingFactors& f, const Real* params);
  // Adds this draw's gradient to `out` and returns dJ/dV.
  const Matrix& finish(const InducingFactors& f, FactorGradient& out);

  // Factored evaluation (above): rows of E_1^T (d x d_out) for block b's columns.
  // Sizes E_1^T's buffer (call before the parallel transposeBlock calls).
  void prepareTranspose();
  void transposeBlock(Index b);
  const Matrix& t() const { return m_t; }
  // E_1 (d_out x d) and E_1^T.
  Eigen::Block<const Matrix> e1() const {
    return m_e.topLeftCorner(m_shape.outputs, m_shape.columns());
  }
  const Matrix& e1Transposed() const { return m_e1t; }
  // dT and <delta~, E_1 X~> summed over the batch.
  void setFactoredGradient(const InducingFactors& f, const Eigen::Ref<const Matrix>& dt,
                           double lambdaPart);

  // Serial draw of a whole W (the posterior's function draws).
  void draw(const InducingFactors& f, const Real* params, const Eigen::Ref<const Matrix>& v,
            Real scale, const RandomStream& stream, Real* w);

  const Matrix& noise() const { return m_e; }
  const Matrix& inducingDraw() const { return m_uTilde; }  // U~'
  const Matrix& inducing() const { return m_u; }           // U

 private:
  Range block(Index b) const;

  InducingLayerShape m_shape;
  Index m_blocks = 1;
  Matrix m_e, m_s;  // E, S
  Matrix m_uParts;  // M x (N blocks): U~' per block
  Matrix m_uTilde, m_u, m_t, m_v, m_ta, m_lv, m_vl;
  // Backward.
  Matrix m_j;            // A_r^T G~ (M x d)
  Matrix m_dtParts;      // M x (N blocks)
  Matrix m_darParts;     // d_out x (M blocks)
  Matrix m_dzrParts;     // M x (d_out blocks)
  Matrix m_ddrParts;     // M x blocks
  Vector m_lambdaParts;  // blocks
  Matrix m_dt, m_duTilde, m_ds, m_dac, m_dzc, m_dv;
  Vector m_ddc;
  double m_dlambda = 0.0;
  Matrix m_e1t;             // factored evaluation: E_1^T
  bool m_factored = false;  // the last backward was factored
};

BAYESLAB_END_NAMESPACE
