#pragma once
// One planar flow step (Rezende & Mohamed 2015), the flow MNF uses for a layer
// with a single input, where a coupling step has nothing to condition on:
//
//   z' = z + u^ tanh(w^T z + b),
//   u^ = u + (k - w^T u) w / |w|^2,   k = -1 + softplus(w^T u),
//   log |det dz'/dz| = log(1 + (1 - t^2) k),   t = tanh(w^T z + b).
//
// The reparameterisation of u makes w^T u^ = k > -1, so the map is invertible
// and the determinant positive. There is no closed-form inverse.
//
// Backward, given dz' and a weight gamma of the log-determinant, with
// psi = 1 - t^2:
//   ds = psi u^T dz' - 2 gamma k t psi / (1 + psi k),   dz = dz' + w ds,
// and for the parameters (sums over columns)
//   dw = sum z ds + (chain rule through u^ and k),  db = sum ds,
//   du^ = sum t dz',  dk = sum gamma psi / (1 + psi k) (+ through u^).
// Parameters, flat: [w (D) | u (D) | b], 2 D + 1 of them.
#include "engine/core/random.h"
#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

class PlanarFlow {
 public:
  explicit PlanarFlow(Index dim) : m_dim(dim) {}

  Index dim() const { return m_dim; }
  Index parameterCount() const { return 2 * m_dim + 1; }
  // w, u ~ N(0, 1 / D), b = 0.
  void initialise(RandomStream& rng, Real* params) const;

  // z (D x n) becomes z'. Keeps `input` = z and `t` = tanh(w^T z + b) (1 x n).
  // If logDet: logDet[c] += log-determinant of column c.
  void forward(const Real* params, Eigen::Ref<Matrix> z, Eigen::Ref<Matrix> input,
               Eigen::Ref<Matrix> t, Real* logDet) const;

  // dz: dJ/dz' in, dJ/dz out. Keeps for parameterGradient(): `outGradient` =
  // dz' (D x n), `scalars` (2 x n) = [ds; dJ/dk of the log-determinant].
  void backward(const Real* params, const Eigen::Ref<const Matrix>& input,
                const Eigen::Ref<const Matrix>& t, Eigen::Ref<Matrix> outGradient,
                Eigen::Ref<Matrix> scalars, Eigen::Ref<Matrix> dz, Real logDetWeight) const;

  // The parameters' gradient from a backward pass: written, or added with accumulate.
  void parameterGradient(const Real* params, const Eigen::Ref<const Matrix>& input,
                         const Eigen::Ref<const Matrix>& t,
                         const Eigen::Ref<const Matrix>& outGradient,
                         const Eigen::Ref<const Matrix>& scalars, Real* gradient,
                         bool accumulate) const;

 private:
  // w^T u, |w|^2, k and the coefficient of w in u^ = u + shift w.
  struct Scalars {
    Real wu = 0, ww = 0, k = 0, shift = 0;
  };
  Scalars scalars(const Real* params) const;

  Index m_dim;
};

BAYESLAB_END_NAMESPACE
