#pragma once
// The Laplace posterior covariance Sigma = H^-1 with H = H_data + prior precision,
// in the structure of the data curvature (curvature.h):
//
//   diagonal    Sigma = diag(1 / (h_i + lambda_i)).
//   kfac        per layer, with the eigendecompositions A = UA diag(a) UA^T, G = UG diag(g) UG^T,
//               A (x) G + delta I = (UA (x) UG) diag(a_i g_j + delta) (UA (x) UG)^T exactly,
//               so Sigma_l = (UA (x) UG) diag(1 / (a_i g_j + delta)) (UA (x) UG)^T. delta is the
//               layer's mean prior precision (exact for an isotropic prior).
//   dense       Sigma = (H_block + diag(lambda))^-1 over the covered block by Cholesky
//               L L^T = H; draws L^-T z. Parameters outside the block (all but the last
//               layer for last_layer_full) keep their MAP values (zero variance).
//
// Draws: diagonal sqrt(Sigma_ii) z; kfac vec(UG (Z ./ sqrt(g a^T + delta)) UA^T), Z a
// d_out x (d_in + 1) matrix of standard normals; dense L^-T z.
// The variance of a linearised output along pulled-back factors (abar, delta) is
//   v = (abar (x) delta)^T Sigma (abar (x) delta)
// = sum_l (delta^2)^T V_l (abar^2)                                 (diagonal, V_l = variances)
// = sum_l sum_ij ((UG^T delta)_j (UA^T abar)_i)^2 / (a_i g_j + delta) (kfac)
// = |L^-1 J^T r|^2                                                  (dense).
#include <memory>

#include "engine/core/random.h"
#include "engine/methods/laplace/curvature.h"
#include "engine/methods/laplace/jacobian_factors.h"

BAYESLAB_BEGIN_NAMESPACE

class LaplaceCovariance {
 public:
  // priorPrecision: P values, the curvature of -log p(w) at the mode.
  LaplaceCovariance(std::shared_ptr<const DataCurvature> curvature,
                    const Eigen::VectorXd& priorPrecision, const MlpLayout& layout);

  const DataCurvature& curvature() const { return *m_curvature; }
  Index parameters() const { return m_curvature->parameters; }

  // One draw of w - w* ~ N(0, Sigma) into eps (P values).
  void sample(RandomStream& rng, Real* eps) const;
  Eigen::VectorXd marginalVariance() const;
  // log det H over the covered parameters.
  double logDetPrecision() const { return m_logDet; }
  // Memory held: the curvature and the factors of Sigma (variances, KFAC scales, Cholesky).
  std::size_t bytes() const;
  // Variance of each column's linearised output J^T-seed (see above): one value per column.
  Eigen::VectorXd functionalVariance(const std::vector<LayerFactors>& factors) const;

 private:
  std::shared_ptr<const DataCurvature> m_curvature;
  MlpLayout m_layout;
  Eigen::VectorXd m_variance;                // diagonal: P values
  std::vector<Eigen::MatrixXd> m_kfacScale;  // kfac: 1 / (g a^T + delta) per layer (d_out x d_in+1)
  Eigen::LLT<Eigen::MatrixXd> m_cholesky;    // dense
  double m_logDet = 0.0;
};

BAYESLAB_END_NAMESPACE
