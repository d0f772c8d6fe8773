#include "engine/diagnostics/bayesian_linear_regression.h"

#include <cmath>
#include <numbers>

BAYESLAB_BEGIN_NAMESPACE

namespace {
Eigen::MatrixXd design(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd phi(x.cols(), x.rows() + 1);
  phi.leftCols(x.rows()) = x.transpose();
  phi.col(x.rows()).setOnes();
  return phi;
}
}  // namespace

Eigen::VectorXd LinearRegressionPosterior::meanFieldStd() const {
  return precision.diagonal().cwiseInverse().cwiseSqrt();
}

void LinearRegressionPosterior::predict(const Eigen::MatrixXd& x, Eigen::VectorXd& m,
                                        Eigen::VectorXd& variance) const {
  const Eigen::MatrixXd phi = design(x);
  m = phi * mean;
  variance = (phi * covariance).cwiseProduct(phi).rowwise().sum();
}

LinearRegressionPosterior exactLinearRegression(const Dataset& data, double noiseStd,
                                                double priorStd) {
  const Eigen::MatrixXd x = data.inputs.cast<double>();
  const Eigen::VectorXd y = data.targets.row(0).transpose().cast<double>();
  const Eigen::MatrixXd phi = design(x);
  const double s2 = noiseStd * noiseStd, p2 = priorStd * priorStd;
  const Index n = phi.rows(), k = phi.cols();
  LinearRegressionPosterior post;
  post.precision = phi.transpose() * phi / s2 + Eigen::MatrixXd::Identity(k, k) / p2;
  const Eigen::LLT<Eigen::MatrixXd> llt(post.precision);
  post.covariance = llt.solve(Eigen::MatrixXd::Identity(k, k));
  post.mean = llt.solve(phi.transpose() * y / s2);
  // log N(y; 0, C) with C = p2 Phi Phi^T + s2 I, via the matrix determinant lemma:
  // log|C| = n log s2 + k log p2 + log|Lambda|,  y^T C^-1 y = (y^T y - y^T Phi m) / s2.
  const Eigen::MatrixXd L = llt.matrixL();
  const double logDetLambda = 2.0 * L.diagonal().array().log().sum();
  const double logDetC =
      static_cast<double>(n) * std::log(s2) + static_cast<double>(k) * std::log(p2) + logDetLambda;
  const double quad = (y.squaredNorm() - y.dot(phi * post.mean)) / s2;
  post.logEvidence =
      -0.5 * (static_cast<double>(n) * std::log(2.0 * std::numbers::pi) + logDetC + quad);
  return post;
}

BAYESLAB_END_NAMESPACE
