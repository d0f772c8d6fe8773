#pragma once
// Exact Bayesian linear regression, the reference every approximation is
// checked against. Model: y = w^T x + b + e, e ~ N(0, sigma^2), prior
// theta = (w, b) ~ N(0, s^2 I). With the design Phi = [X^T, 1] (N x (d+1)):
//   posterior precision  Lambda = Phi^T Phi / sigma^2 + I / s^2
//   posterior covariance Sigma = Lambda^{-1},  mean m = Sigma Phi^T y / sigma^2
//   log evidence log p(y) = log N(y; 0, s^2 Phi Phi^T + sigma^2 I)
// The mean-field Gaussian that maximises the ELBO has the exact means m and
// variances 1 / Lambda_ii (MacKay 2003, ch. 33; Bishop 2006, sec. 10.1.2).
// Parameter order matches the engine's layout: weights, then the bias.
#include <Eigen/Dense>

#include "engine/data/dataset.h"

BAYESLAB_BEGIN_NAMESPACE

struct LinearRegressionPosterior {
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance;
  Eigen::MatrixXd precision;
  double logEvidence = 0.0;
  // Mean-field optimum: the exact means with variances 1 / diag(precision).
  Eigen::VectorXd meanFieldStd() const;
  // Predictive mean and variance of f(x) (epistemic) at inputs x (d x M).
  void predict(const Eigen::MatrixXd& x, Eigen::VectorXd& mean, Eigen::VectorXd& variance) const;
};

LinearRegressionPosterior exactLinearRegression(const Dataset& data, double noiseStd,
                                                double priorStd);

BAYESLAB_END_NAMESPACE
