#include "engine/methods/hmc/metric.h"

#include <Eigen/Cholesky>

BAYESLAB_BEGIN_NAMESPACE

Metric Metric::diagonal(Vector inverseDiagonal) {
  Metric m;
  m.m_kind = Kind::Diagonal;
  m.m_diagonal = std::move(inverseDiagonal);
  return m;
}

Metric Metric::dense(const Eigen::MatrixXd& sigma) {
  Metric m;
  m.m_kind = Kind::Dense;
  m.m_sigma = sigma.cast<Real>();
  m.m_cholesky = Eigen::LLT<Eigen::MatrixXd>(sigma).matrixL().toDenseMatrix().cast<Real>();
  return m;
}

Vector Metric::inverseDiagonal(Index n) const {
  switch (m_kind) {
    case Kind::Diagonal:
      return m_diagonal;
    case Kind::Dense:
      return m_sigma.diagonal();
    case Kind::Identity:
      break;
  }
  return Vector::Ones(n);
}

void Metric::drawMomentum(RandomStream& rng, Vector& p) const {
  rng.fillNormal(p);
  if (m_kind == Kind::Diagonal)
    p.array() /= m_diagonal.array().sqrt();
  else if (m_kind == Kind::Dense)
    m_cholesky.transpose().triangularView<Eigen::Upper>().solveInPlace(p);
}

void Metric::sharp(const Vector& p, Vector& out) const {
  if (m_kind == Kind::Diagonal)
    out = m_diagonal.cwiseProduct(p);
  else if (m_kind == Kind::Dense)
    out.noalias() = m_sigma * p;
  else
    out = p;
}

double Metric::kineticEnergy(const Vector& p) const {
  const Eigen::VectorXd q = p.cast<double>();
  if (m_kind == Kind::Diagonal) return 0.5 * q.cwiseAbs2().dot(m_diagonal.cast<double>());
  if (m_kind == Kind::Dense) return 0.5 * q.dot(m_sigma.cast<double>() * q);
  return 0.5 * q.squaredNorm();
}

BAYESLAB_END_NAMESPACE
