#pragma once
// Sessions and brute-force references shared by the Laplace tests (double precision).
#include <QtTest>
#include <cmath>

#include "engine/diagnostics/bayesian_linear_regression.h"
#include "engine/methods/laplace/laplace_method.h"
#include "tests/support/test_support.h"

namespace bayeslab::test {

inline constexpr double kTight = 1e-9;

inline SessionConfig linearSession(const std::string& hessian, int inputDim = 2) {
  SessionConfig c;
  c.dataset.name = "linear";
  c.dataset.nTrain = 30;
  c.dataset.nTest = 10;
  c.dataset.noise = 0.3;
  c.dataset.options.set("input_dim", static_cast<double>(inputDim));
  c.model.hidden = {};
  c.likelihood.noiseStd = 0.3;
  c.prior.options.set("scale", 0.7);
  c.method.name = "laplace";
  c.method.options.set("hessian", hessian);
  c.method.options.set("tune_prior", 0.0);
  c.training.steps = 0;
  c.training.seed = 2;
  return c;
}

// A small network on `dataset` (tanh, so the curvature is not piecewise constant).
inline SessionConfig networkSession(const std::string& dataset, const std::string& hessian) {
  SessionConfig c = smallSession(dataset, "laplace", {4, 3});
  c.model.activation = "tanh";
  c.dataset.nTrain = 20;
  c.method.options.set("hessian", hessian);
  c.method.options.set("tune_prior", 0.0);
  c.training.steps = 30;
  c.training.batchSize = 20;
  return c;
}

inline LaplaceMethod& laplaceOf(Trainer& trainer) {
  return dynamic_cast<LaplaceMethod&>(trainer.methodState());
}

// Moves the weights to `w` (likelihood parameters unchanged).
inline void setWeights(LaplaceMethod& m, const Eigen::VectorXd& w) {
  Vector params = m.parameters();
  params.head(w.size()) = w;
  m.setParameters(params);
}

// Per-example Jacobians of the outputs, from the kernel's backward pass: rows n K + k.
inline Eigen::MatrixXd jacobian(const MlpKernel& kernel, const Vector& w, const Matrix& x) {
  const Index K = kernel.layout().outputDim(), P = kernel.layout().parameterCount();
  Eigen::MatrixXd J(x.cols() * K, P);
  MlpWorkspace ws;
  Vector g(P);
  for (Index n = 0; n < x.cols(); ++n)
    for (Index k = 0; k < K; ++k) {
      const Matrix xn = x.col(n);
      kernel.forward(w.data(), xn, ws);
      ws.outputGradient().setZero();
      ws.outputGradient()(k, 0) = 1;
      kernel.backward(w.data(), xn, ws, g.data());
      J.row(n * K + k) = g.transpose();
    }
  return J;
}

// The output Hessian -d^2 log p / df^2 of example n, by the likelihood's definition.
inline Eigen::MatrixXd outputHessian(const Likelihood& likelihood, const Vector& params,
                                     const Matrix& f) {
  const Index K = f.rows();
  if (likelihood.task() == Task::Regression)
    return Eigen::MatrixXd::Identity(K, K) / likelihood.noiseVariance(params.data());
  Matrix p;
  likelihood.predictiveMean(f, p);
  if (K == 1) return Eigen::MatrixXd::Constant(1, 1, p(0, 0) * p(1, 0));
  const Eigen::VectorXd q = p.col(0);
  return Eigen::MatrixXd(q.asDiagonal()) - q * q.transpose();
}

inline Eigen::MatrixXd bruteForceGgn(const Trainer& trainer, const Vector& w, const Vector& phi) {
  const Dataset& data = trainer.data().train;
  const MlpKernel kernel(trainer.layout(), trainer.posterior()->kernel().activation());
  const Index K = trainer.layout().outputDim(), P = trainer.layout().parameterCount();
  const Eigen::MatrixXd J = jacobian(kernel, w, data.inputs);
  Eigen::MatrixXd G = Eigen::MatrixXd::Zero(P, P);
  MlpWorkspace ws;
  for (Index n = 0; n < data.size(); ++n) {
    const Matrix f = kernel.forward(w.data(), data.inputs.col(n), ws);
    const Eigen::MatrixXd Jn = J.middleRows(n * K, K);
    G += Jn.transpose() * outputHessian(trainer.likelihood(), phi, f) * Jn;
  }
  return G;
}

inline DataCurvature curvatureOf(Trainer& trainer, HessianStructure s, int threads = 1) {
  const LaplaceMethod& m = laplaceOf(trainer);
  const Index P = trainer.layout().parameterCount();
  return computeCurvature(s, trainer.posterior()->kernel(), trainer.likelihood(),
                          m.parameters().data() + P, m.parameters().data(), trainer.data().train,
                          threads);
}

inline double relativeError(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).norm() / std::max(b.norm(), 1e-300);
}

// A (x) B.
inline Eigen::MatrixXd kronecker(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  Eigen::MatrixXd k(a.rows() * b.rows(), a.cols() * b.cols());
  for (Index i = 0; i < a.rows(); ++i)
    for (Index j = 0; j < a.cols(); ++j)
      k.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return k;
}

// H = H_data + prior precision as a dense matrix, built from the structure's definition
// (KFAC: A (x) G + delta I per layer, delta the layer's mean prior precision).
inline Eigen::MatrixXd densePrecision(const DataCurvature& c, const MlpLayout& layout,
                                      const Eigen::VectorXd& prior) {
  const Index P = c.parameters;
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(P, P);
  if (c.structure == HessianStructure::Kfac) {
    for (Index l = 0; l < layout.layerCount(); ++l) {
      const LayerShape& s = layout.layer(l);
      const auto& k = c.kronecker[static_cast<size_t>(l)];
      const Index n = s.parameterCount();
      H.block(s.weightOffset, s.weightOffset, n, n) = kronecker(k.A, k.G);
      H.block(s.weightOffset, s.weightOffset, n, n).diagonal().array() +=
          prior.segment(s.weightOffset, n).mean();
    }
    return H;
  }
  if (c.diagonal.size() > 0)
    H.diagonal() = c.diagonal;
  else
    H.bottomRightCorner(c.coveredCount(), c.coveredCount()) = c.dense;
  H.diagonal() += prior;
  return H;
}

}  // namespace bayeslab::test
