#pragma once
// The mixing network of semi-implicit VI (Yin & Zhou 2018): it turns noise
// into the mean of a Gaussian over the P network weights,
//
//   psi = g(eps) = m + z,   z_i = exp(tau_i) (A tanh(B eps + c))_i,   eps ~ N(0, I_D),
//
// with m (P), tau (P), A (P x H), B (H x D), c (H). z is a one-hidden-layer
// MLP from D noise dimensions to P outputs with a linear read-out: a
// non-linear factor analyser whose H hidden units are shared by every weight,
// so it correlates weights across layers (what a factorised q cannot) at a
// cost linear in P. Its learned scalars are P (H + 2) + H (D + 1) (sigma adds
// P more), and a batch of M draws costs three P x H x M products (z, and the
// gradients of A and of the hidden units): for a 1-64-64-1 network
// (P = 4,353), H = 20 and M = 51 draws, 13 million multiply-adds. A full
// MLP read-out per weight or a hidden width growing with P would not stay
// linear in P; a per-weight mixing (one small network per weight) would keep
// q factorised and lose the correlations.
//
// Why each weight's row of A has its own learned scale exp(tau_i), as sigma
// has softplus(rho): Adam moves every parameter by about the learning rate
// per step whatever its gradient's scale, so the scale of a parameter decides
// how fast what it controls can change. Three alternatives were measured on
// the example session (Bayesian linear regression, exact posterior
// correlation of slope and bias -0.88; 3,000 steps, 8 seeds x initial sigma
// 0.05 and 0.01) and on a 1-64-64-1 network:
//   - psi = m + A h: A's entries (about sigma, 0.01) moved by 0.01 a step and
//     the draws of the 1-64-64-1 network blew up within ten steps
//     (log-likelihoods of -10^6);
//   - psi = m + s0 A h, s0 the initial sigma: stable, but sigma grows by
//     relative steps and the mixing's spread only by absolute ones; where the
//     spread falls well below sigma the bounds' gradient to spread the
//     mixture vanishes: 2 runs of 16 stalled near a single Gaussian
//     (correlation -0.08 and -0.64);
//   - psi = m + sigma A h (the spread tied to sigma): 5 of 16 stalled
//     (correlation -0.09 to -0.76);
//   - exp(tau_i) per weight: 15 of 16 reached correlation -0.80 to -0.89,
//     with the training's L_50 within 0.21 nats of the log evidence; the
//     last (-0.68) got there by 6,000 steps.
// tau and the norm of A's row are redundant; that costs nothing.
//
// Parameter layout (relative to the network's first parameter):
//   [ m (P) | tau (P) | A^T (H x P, column-major: weight i's H loadings
//     contiguous) | B (H x D, column-major) | c (H) ]
// A is stored transposed so that any contiguous range of weights owns a
// contiguous slice of A: the per-block passes of the method read and write
// their own slice only.
//
// Gradients, given dL/dz per draw (rows x M for a range of weights), with
// a_i = exp(tau_i) A_i the effective row:
//   dL/dA_i = exp(tau_i) sum_j dL/dz_ij h_j,   dL/dtau_i = A_i . dL/dA_i,
//   dL/dh = sum_i a_i dL/dz_i,   dL/du = dL/dh (1 - h^2) with u = B eps + c,
//   dL/dB = dL/du eps^T,   dL/dc = sum_j dL/du_j.
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
  Index parameterCount() const { return m_weights * (m_hidden + 2) + m_hidden * (m_noise + 1); }

  // Initial parameters: m as the other methods' weights (LeCun), B ~ N(0, 1/D)
  // so that each hidden unit's input is about N(0, 1) (tanh neither linear nor
  // saturated), c = 0, A ~ N(0, 1/H) and exp(tau) = scale, so that each z_i
  // varies by about 0.6 scale: with scale the initial sigma, the mixture
  // starts about as wide as the Gaussians it mixes, and the K-sample bounds
  // see it from the first step.
  void initialise(const MlpLayout& layout, double scale, RandomStream& rng, Real* params) const;

  // h = tanh(B eps + c) for the draws in the columns of eps (D x M); h is H x M.
  void hidden(const Real* params, const Eigen::Ref<const Matrix>& eps, Matrix& h) const;
  // exp(tau) on the weights `rows`, into scale (rows.size values).
  void scales(const Real* params, Range rows, Real* scale) const;
  // z (rows.size x M) on the weights `rows`, given their scales().
  void offsets(const Real* params, const Matrix& h, Range rows, const Real* scale,
               Eigen::Ref<Matrix> z) const;
  // Given dZ = dL/dz on the weights `rows` (rows.size x M; overwritten with
  // exp(tau) dZ): writes dL/dA and dL/dtau on those rows into grad (the
  // network's gradient, same layout as params; overwritten there) and
  // dHidden = sum_i a_i dL/dz_i (H x M), this range's share of dL/dh. dL/dm
  // is the method's (it is dL/dw summed over draws).
  void backwardRows(const Real* params, const Matrix& h, Range rows, const Real* scale,
                    Eigen::Ref<Matrix> dZ, Real* grad, Eigen::Ref<Matrix> dHidden) const;
  // From the whole dL/dh (H x M): writes dL/dB and dL/dc into grad. dHidden is
  // overwritten with dL/du.
  void backwardHidden(const Eigen::Ref<const Matrix>& eps, const Matrix& h, Matrix& dHidden,
                      Real* grad) const;

  // Offsets into the parameter layout.
  Index meanOffset() const { return 0; }
  Index logScaleOffset() const { return m_weights; }
  Index loadingOffset() const { return 2 * m_weights; }
  Index inputWeightOffset() const { return m_weights * (m_hidden + 2); }
  Index inputBiasOffset() const { return inputWeightOffset() + m_hidden * m_noise; }

 private:
  Index m_weights = 0, m_hidden = 0, m_noise = 0;
};

BAYESLAB_END_NAMESPACE
