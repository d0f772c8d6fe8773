#pragma once
// The mixing network of semi-implicit VI (Yin & Zhou 2018): it turns noise
// into the mean of a Gaussian over the P network weights,
//
//   psi = g(eps) = m + A tanh(B eps + c),   eps ~ N(0, I_D),
//
// with m (P), A (P x H), B (H x D), c (H). It is a one-hidden-layer MLP from
// D noise dimensions to P outputs with a linear read-out: a non-linear factor
// analyser whose H hidden units are shared by every weight, so it correlates
// weights across layers (what a factorised q cannot) at a cost linear in P.
// The learned scalars are P (H + 1) + H (D + 1), and a batch of M draws costs
// three P x H x M products (psi, and the gradients of A and of the hidden
// units): for a 1-64-64-1 network (P = 4,353), H = 20, D = 10 and M = 51
// draws that is 13 million multiply-adds, a fraction of a millisecond. A
// full MLP output layer per weight or a hidden width growing with P would not
// stay linear in P; a per-weight mixing (one tiny network per weight) would
// keep q factorised and lose the correlations.
//
// Parameter layout (relative to the network's first parameter):
//   [ m (P) | A^T (H x P, column-major: weight i's H loadings contiguous) |
//     B (H x D, column-major) | c (H) ]
// A is stored transposed so that any contiguous range of weights owns a
// contiguous slice of A: the per-block passes of the method read and write
// their own slice only.
//
// Gradients, for dL/dpsi given per draw (rows x M for a range of weights):
//   dL/dm = sum_j dL/dpsi_j,   dL/dA = dL/dPsi h^T,   dL/dh = A^T dL/dPsi,
//   dL/du = dL/dh (1 - h^2) with u = B eps + c,   dL/dB = dL/du eps^T,
//   dL/dc = sum_j dL/du_j.
#include "engine/core/parallel.h"
#include "engine/core/random.h"
#include "engine/model/mlp_layout.h"

BAYESLAB_BEGIN_NAMESPACE

class MixingNetwork {
 public:
  MixingNetwork() = default;
  MixingNetwork(Index weights, Index hidden, Index noiseDim)
      : m_weights(weights), m_hidden(hidden), m_noise(noiseDim) {}

  Index weightCount() const { return m_weights; }  // P
  Index hiddenCount() const { return m_hidden; }   // H
  Index noiseDim() const { return m_noise; }       // D
  Index parameterCount() const { return m_weights * (m_hidden + 1) + m_hidden * (m_noise + 1); }

  // Initial parameters: m as the other methods' weights (LeCun), B ~ N(0, 1/D)
  // so that each hidden unit's input is about N(0, 1) (tanh neither linear nor
  // saturated), c = 0, and A ~ N(0, spread^2 / H) so that each psi_i varies
  // by about spread around m: the mixture starts as wide as the Gaussians it
  // mixes, and the K-sample bounds see it from the first step.
  void initialise(const MlpLayout& layout, double spread, RandomStream& rng, Real* params) const;

  // h = tanh(B eps + c) for the draws in the columns of eps (D x M); h is H x M.
  void hidden(const Real* params, const Eigen::Ref<const Matrix>& eps, Matrix& h) const;
  // psi (rows.size x M) = m + A h on the weights `rows`.
  void outputs(const Real* params, const Matrix& h, Range rows, Eigen::Ref<Matrix> psi) const;
  // Given dPsi = dL/dpsi on the weights `rows` (rows.size x M): writes dL/dm
  // and dL/dA on those rows into grad (the network's gradient, same layout as
  // params; overwritten there) and dHidden = A_rows^T dPsi (H x M), this
  // range's share of dL/dh.
  void backwardRows(const Real* params, const Matrix& h, Range rows,
                    const Eigen::Ref<const Matrix>& dPsi, Real* grad,
                    Eigen::Ref<Matrix> dHidden) const;
  // From the whole dL/dh (H x M): writes dL/dB and dL/dc into grad. dHidden is
  // overwritten with dL/du.
  void backwardHidden(const Eigen::Ref<const Matrix>& eps, const Matrix& h, Matrix& dHidden,
                      Real* grad) const;

  // Offsets into the parameter layout.
  Index meanOffset() const { return 0; }
  Index loadingOffset() const { return m_weights; }
  Index inputWeightOffset() const { return m_weights * (m_hidden + 1); }
  Index inputBiasOffset() const { return inputWeightOffset() + m_hidden * m_noise; }

 private:
  Index m_weights = 0, m_hidden = 0, m_noise = 0;
};

BAYESLAB_END_NAMESPACE
