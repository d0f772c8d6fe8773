#include "engine/methods/laplace/laplace_covariance.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

LaplaceCovariance::LaplaceCovariance(std::shared_ptr<const DataCurvature> curvature,
                                     const Eigen::VectorXd& priorPrecision, const MlpLayout& layout)
    : m_curvature(std::move(curvature)), m_layout(layout) {
  const DataCurvature& c = *m_curvature;
  if (isDiagonal(c.structure)) {
    const Eigen::VectorXd precision = c.diagonal + priorPrecision;
    m_variance = precision.cwiseInverse();
    m_logDet = precision.array().log().sum();
  } else if (c.structure == HessianStructure::Kfac) {
    for (Index l = 0; l < layout.layerCount(); ++l) {
      const LayerShape& s = layout.layer(l);
      const KroneckerFactor& k = c.kronecker[static_cast<size_t>(l)];
      const double delta = priorPrecision.segment(s.weightOffset, s.parameterCount()).mean();
      const Eigen::MatrixXd precision = (k.g * k.a.transpose()).array() + delta;
      m_logDet += precision.array().log().sum();
      m_kfacScale.push_back(precision.cwiseInverse());
    }
  } else {
    Eigen::MatrixXd precision = c.dense;
    precision.diagonal() += priorPrecision.tail(c.coveredCount());
    m_cholesky.compute(precision);
    m_logDet = 2.0 * Eigen::MatrixXd(m_cholesky.matrixL()).diagonal().array().log().sum();
  }
}

void LaplaceCovariance::sample(RandomStream& rng, Real* eps) const {
  const DataCurvature& c = *m_curvature;
  const Index P = c.parameters;
  VectorMap out(eps, P);
  if (isDiagonal(c.structure)) {
    rng.fillNormal(out);
    out.array() *= m_variance.cwiseSqrt().cast<Real>().array();
    return;
  }
  if (c.structure == HessianStructure::Kfac) {
    for (Index l = 0; l < m_layout.layerCount(); ++l) {
      const LayerShape& s = m_layout.layer(l);
      const KroneckerFactor& k = c.kronecker[static_cast<size_t>(l)];
      Matrix z(s.outputs, s.inputs + 1);
      rng.fillNormal(z);
      const Eigen::MatrixXd scaled =
          z.cast<double>().cwiseProduct(m_kfacScale[static_cast<size_t>(l)].cwiseSqrt());
      MatrixMap(eps + s.weightOffset, s.outputs, s.inputs + 1) =
          (k.UG * scaled * k.UA.transpose()).cast<Real>();
    }
    return;
  }
  out.head(c.coveredOffset).setZero();
  Vector z(c.coveredCount());
  rng.fillNormal(z);
  const Eigen::VectorXd draw = m_cholesky.matrixU().solve(z.cast<double>());  // L^-T z
  out.tail(c.coveredCount()) = draw.cast<Real>();
}

Eigen::VectorXd LaplaceCovariance::marginalVariance() const {
  const DataCurvature& c = *m_curvature;
  if (isDiagonal(c.structure)) return m_variance;
  Eigen::VectorXd v = Eigen::VectorXd::Zero(c.parameters);
  if (c.structure == HessianStructure::Kfac) {
    for (Index l = 0; l < m_layout.layerCount(); ++l) {
      const LayerShape& s = m_layout.layer(l);
      const KroneckerFactor& k = c.kronecker[static_cast<size_t>(l)];
      // Var(eps_rc) = sum_ij UG_rj^2 UA_ci^2 / (g_j a_i + delta).
      Eigen::Map<Eigen::MatrixXd>(v.data() + s.weightOffset, s.outputs, s.inputs + 1) =
          k.UG.cwiseAbs2() * m_kfacScale[static_cast<size_t>(l)] * k.UA.cwiseAbs2().transpose();
    }
    return v;
  }
  const Eigen::MatrixXd inverseL =
      m_cholesky.matrixL().solve(Eigen::MatrixXd::Identity(c.coveredCount(), c.coveredCount()));
  v.tail(c.coveredCount()) = inverseL.cwiseAbs2().colwise().sum().transpose();
  return v;
}

Eigen::VectorXd LaplaceCovariance::functionalVariance(
    const std::vector<LayerFactors>& factors) const {
  const DataCurvature& c = *m_curvature;
  const Index columns = factors.front().delta.cols();
  Eigen::VectorXd v = Eigen::VectorXd::Zero(columns);
  if (isDiagonal(c.structure)) {
    for (Index l = 0; l < m_layout.layerCount(); ++l) {
      const LayerShape& s = m_layout.layer(l);
      const LayerFactors& f = factors[static_cast<size_t>(l)];
      const Eigen::Map<const Eigen::MatrixXd> V(m_variance.data() + s.weightOffset, s.outputs,
                                                s.inputs + 1);
      const Eigen::MatrixXd weighted = repeatColumns(V * f.input.cwiseAbs2(), f.perExample);
      v += f.delta.cwiseAbs2().cwiseProduct(weighted).colwise().sum().transpose();
    }
  } else if (c.structure == HessianStructure::Kfac) {
    for (Index l = 0; l < m_layout.layerCount(); ++l) {
      const LayerFactors& f = factors[static_cast<size_t>(l)];
      const KroneckerFactor& k = c.kronecker[static_cast<size_t>(l)];
      const Eigen::MatrixXd rotatedDelta = (k.UG.transpose() * f.delta).cwiseAbs2();
      const Eigen::MatrixXd rotatedInput = (k.UA.transpose() * f.input).cwiseAbs2();
      const Eigen::MatrixXd weighted =
          repeatColumns(m_kfacScale[static_cast<size_t>(l)] * rotatedInput, f.perExample);
      v += rotatedDelta.cwiseProduct(weighted).colwise().sum().transpose();
    }
  } else {
    Eigen::MatrixXd J;
    stackFactors(m_layout, factors, m_layout.layerOf(c.coveredOffset), J);
    m_cholesky.matrixL().solveInPlace(J);
    v = J.cwiseAbs2().colwise().sum().transpose();
  }
  return v;
}

std::size_t LaplaceCovariance::bytes() const {
  Index values = m_variance.size() + m_cholesky.rows() * m_cholesky.cols();
  for (const Eigen::MatrixXd& scale : m_kfacScale) values += scale.size();
  return m_curvature->bytes() + static_cast<std::size_t>(values) * sizeof(double);
}

BAYESLAB_END_NAMESPACE
