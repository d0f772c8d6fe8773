#pragma once
// The mass matrix M of a Hamiltonian sampler, held as its inverse (the
// "metric" M^-1, an estimate of the posterior covariance): identity, diagonal
// M^-1 = diag(m), or dense M^-1 = Sigma = L L^T (L its Cholesky factor).
//
// Momentum p ~ N(0, M): p = z / sqrt(m) (diagonal) or p = L^-T z (dense,
// covariance L^-T L^-1 = Sigma^-1 = M). Velocity dx/dt = M^-1 p, kinetic energy
// p^T M^-1 p / 2. A metric equal to the posterior covariance makes a Gaussian
// posterior isotropic, so one step size and one trajectory length fit every
// direction: the diagonal rescales each weight, the dense one also removes
// correlations (e.g. slope and intercept of a regression on off-centre inputs).
#include "engine/core/random.h"
#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

class Metric {
 public:
  enum class Kind { Identity, Diagonal, Dense };

  Metric() = default;
  static Metric diagonal(Vector inverseDiagonal);
  // Sigma must be symmetric positive definite (the estimator regularises it).
  static Metric dense(const Eigen::MatrixXd& sigma);

  Kind kind() const { return m_kind; }
  // The diagonal of M^-1 (ones for the identity).
  Vector inverseDiagonal(Index n) const;

  void drawMomentum(RandomStream& rng, Vector& p) const;  // p sized already
  void sharp(const Vector& p, Vector& out) const;         // out = M^-1 p
  double kineticEnergy(const Vector& p) const;

 private:
  Kind m_kind = Kind::Identity;
  Vector m_diagonal;
  Matrix m_sigma, m_cholesky;  // dense: Sigma and its lower Cholesky factor
};

BAYESLAB_END_NAMESPACE
