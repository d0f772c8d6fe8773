#include "engine/methods/inducing/inducing_layer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "engine/core/gemm.h"
#include "engine/core/math_constants.h"
#include "engine/methods/common/softplus.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

Index floorSqrt(Index n) {
  Index r = static_cast<Index>(std::sqrt(static_cast<double>(n)));
  while (r * r > n) --r;
  while ((r + 1) * (r + 1) <= n) ++r;
  return std::max<Index>(1, r);
}
}  // namespace

Index InducingLayout::defaultRows(Index outputs) {
  return floorSqrt(outputs);
}
Index InducingLayout::defaultCols(Index inputs) {
  return floorSqrt(inputs + 1);
}

InducingLayout::InducingLayout(const MlpLayout& network, Index rows, Index cols, Index members) {
  Index offset = 0;
  for (const LayerShape& s : network.layers()) {
    InducingLayerShape shape;
    shape.outputs = s.outputs;
    shape.inputs = s.inputs;
    shape.rows = std::min(rows > 0 ? rows : defaultRows(s.outputs), s.outputs);
    shape.cols = std::min(cols > 0 ? cols : defaultCols(s.inputs), s.inputs + 1);
    shape.members = members;
    shape.offset = offset;
    offset += shape.count();
    layers.push_back(shape);
  }
  parameterCount = offset;
}

bool InducingSide::compute(const Real* z, Index count, Index width, const Real* rho) {
  d.resize(count);
  dSigmoid.resize(count);
  softplusWithDerivative(rho, count, d.data(), dSigmoid.data());
  const ConstMatrixMap zm(z, count, width);
  k.resize(count, count);
  gemm(zm, Op::None, zm, Op::Transpose, k);
  k.diagonal().array() += d.array().square();
  llt.compute(k);
  if (llt.info() != Eigen::Success) return false;
  l = llt.matrixL();
  lInv.setIdentity(count, count);
  l.triangularView<Eigen::Lower>().solveInPlace(lInv);
  kInv.resize(count, count);
  gemm(lInv, Op::Transpose, lInv, Op::None, kInv);
  return l.allFinite() && kInv.allFinite();
}

void InducingFactors::compute(const InducingLayerShape& shape, const Real* params, bool withA) {
  const Index M = shape.rows, N = shape.cols, O = shape.outputs, d = shape.columns();
  ok = row.compute(params + shape.zr(), M, O, params + shape.rhoR()) &&
       col.compute(params + shape.zc(), N, d, params + shape.rhoC());
  Real lambdaValue = 0, sigmoid = 0;
  softplusWithDerivative(params + shape.rhoLambda(), 1, &lambdaValue, &sigmoid);
  lambda = ok ? lambdaValue : std::numeric_limits<Real>::quiet_NaN();
  lambdaSigmoid = sigmoid;
  if (!withA) return;
  const ConstMatrixMap zr(params + shape.zr(), M, O), zc(params + shape.zc(), N, d);
  ar.resize(O, M);
  gemm(zr, Op::Transpose, row.kInv, Op::None, ar);
  ac.resize(N, d);
  gemm(col.kInv, Op::None, zc, Op::None, ac);
}

void FactorGradient::resize(const InducingLayerShape& shape) {
  const Index M = shape.rows, N = shape.cols;
  kr.resize(M, M);
  lr.resize(M, M);
  kc.resize(N, N);
  lc.resize(N, N);
  ar.resize(shape.outputs, M);
  ac.resize(N, shape.columns());
  zr.resize(M, shape.outputs);
  zc.resize(N, shape.columns());
  dr.resize(M);
  dc.resize(N);
}

void FactorGradient::setZero() {
  kr.setZero();
  kc.setZero();
  lr.setZero();
  lc.setZero();
  ar.setZero();
  ac.setZero();
  zr.setZero();
  zc.setZero();
  dr.setZero();
  dc.setZero();
  lambda = 0.0;
}

FactorGradient& FactorGradient::operator+=(const FactorGradient& o) {
  kr += o.kr;
  kc += o.kc;
  lr += o.lr;
  lc += o.lc;
  ar += o.ar;
  ac += o.ac;
  zr += o.zr;
  zc += o.zc;
  dr += o.dr;
  dc += o.dc;
  lambda += o.lambda;
  return *this;
}

void choleskyBackward(const Matrix& l, const Matrix& lInv, const Matrix& lBar, Matrix& out,
                      Matrix& scratch) {
  // K-bar = L^-T Phi(L^T L-bar) L^-1, then its symmetric part.
  const Index n = l.rows();
  scratch = lBar.triangularView<Eigen::Lower>();
  out.resize(n, n);
  gemm(l, Op::Transpose, scratch, Op::None, out);
  out.triangularView<Eigen::StrictlyUpper>().setZero();
  out.diagonal() *= Real(0.5);
  gemm(lInv, Op::Transpose, out, Op::None, scratch);
  gemm(scratch, Op::None, lInv, Op::None, out);
  scratch = out.transpose();
  out = Real(0.5) * (out + scratch);
}

Matrix choleskyBackward(const Matrix& l, const Matrix& lBar) {
  Matrix lInv = Matrix::Identity(l.rows(), l.cols()), out, scratch;
  l.triangularView<Eigen::Lower>().solveInPlace(lInv);
  choleskyBackward(l, lInv, lBar, out, scratch);
  return out;
}

namespace {

// dJ/dK (general) plus dJ/dL through the Cholesky factor, then to Z and D.
void backwardSide(const InducingSide& side, const Real* z, Index count, Index width, Matrix& gk,
                  const Matrix& gl, Matrix& gz, Vector& gd, Matrix& scratch, Matrix& scratch2) {
  choleskyBackward(side.l, side.lInv, gl, scratch, scratch2);
  gk += scratch;
  scratch = gk + gk.transpose();
  gemm(scratch, Op::None, ConstMatrixMap(z, count, width), Op::None, gz, true);
  gd.array() += Real(2) * side.d.array() * gk.diagonal().array();
}

}  // namespace

void backwardFactors(const InducingLayerShape& shape, const Real* params,
                     const InducingFactors& factors, FactorGradient& g, Real* gradient) {
  const Index M = shape.rows, N = shape.cols, O = shape.outputs, d = shape.columns();
  const ConstMatrixMap zr(params + shape.zr(), M, O), zc(params + shape.zc(), N, d);
  // A_r^T = K_r^-1 Z_r and A_c = K_c^-1 Z_c.
  if (factors.ar.size() > 0) {
    Matrix& t = g.scratchRows;  // K_r^-1 dA_r^T
    t.resize(M, O);
    gemm(factors.row.kInv, Op::None, g.ar, Op::Transpose, t);
    g.zr += t;
    g.rowSmall.resize(M, M);
    gemm(t, Op::None, factors.ar, Op::None, g.rowSmall);
    g.kr -= g.rowSmall;
    Matrix& u = g.scratchCols;  // K_c^-1 dA_c
    u.resize(N, d);
    gemm(factors.col.kInv, Op::None, g.ac, Op::None, u);
    g.zc += u;
    g.colSmall.resize(N, N);
    gemm(u, Op::None, factors.ac, Op::Transpose, g.colSmall);
    g.kc -= g.colSmall;
  }
  backwardSide(factors.row, params + shape.zr(), M, O, g.kr, g.lr, g.zr, g.dr, g.rowSmall,
               g.rowSmall2);
  backwardSide(factors.col, params + shape.zc(), N, d, g.kc, g.lc, g.zc, g.dc, g.colSmall,
               g.colSmall2);
  MatrixMap(gradient + shape.zr(), M, O) = g.zr;
  MatrixMap(gradient + shape.zc(), N, d) = g.zc;
  VectorMap(gradient + shape.rhoR(), M) = g.dr.cwiseProduct(factors.row.dSigmoid);
  VectorMap(gradient + shape.rhoC(), N) = g.dc.cwiseProduct(factors.col.dSigmoid);
  gradient[shape.rhoLambda()] = static_cast<Real>(g.lambda) * factors.lambdaSigmoid;
}

double whitenedKl(const InducingLayerShape& shape, const Real* params, Real scale, Real* gradient,
                  Vector& scratch) {
  const Index n = shape.inducingCount();
  if (scratch.size() < 2 * n) scratch.resize(2 * n);
  ArrayMap sigma(scratch.data(), n), sigmoid(scratch.data() + n, n);
  softplusWithDerivative(params + shape.rhoV(), n, sigma.data(), sigmoid.data());
  const ConstArrayMap m(params + shape.mean(), n);
  const auto& s = sigma;
  const double kl =
      static_cast<double>((-s.log() + Real(0.5) * (s.square() + m.square()) - Real(0.5)).sum());
  if (gradient) {
    ArrayMap(gradient + shape.mean(), n) += scale * m;
    ArrayMap(gradient + shape.rhoV(), n) += scale * (s - s.inverse()) * sigmoid;
  }
  return kl;
}

double memberNegativeLogPrior(const InducingLayerShape& shape, const Real* params, Index k,
                              Real scale, Real* gradient) {
  const Index n = shape.inducingCount();
  const ConstArrayMap v(params + shape.member(k), n);
  if (gradient) ArrayMap(gradient + shape.member(k), n) += scale * v;
  return 0.5 * static_cast<double>(v.matrix().squaredNorm()) +
         static_cast<double>(n) * kHalfLogTwoPi;
}

double lambdaRegulariser(const InducingLayerShape& shape, double lambda, double* derivative) {
  const double n = static_cast<double>(shape.weightCount());
  if (derivative) *derivative = n * (lambda - 1.0 / lambda);
  return n * (0.5 * lambda * lambda - std::log(lambda) - 0.5);
}

BAYESLAB_END_NAMESPACE
