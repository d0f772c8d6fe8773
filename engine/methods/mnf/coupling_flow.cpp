#include "engine/methods/mnf/coupling_flow.h"

#include <algorithm>
#include <cmath>

#include "engine/core/gemm.h"

BAYESLAB_BEGIN_NAMESPACE

void fillHalfBernoulli(RandomStream& stream, Real* out, Index n) {
  for (Index i = 0; i < n; i += 64) {
    const std::uint64_t bits = stream.nextU64();
    const Index count = std::min<Index>(64, n - i);
    for (Index b = 0; b < count; ++b) out[i + b] = static_cast<Real>((bits >> b) & 1U);
  }
}

void transposeInto(const Eigen::Ref<const Matrix>& a, Real* out) {
  // 16 x 16 tiles: a plain strided copy of a 400 x 784 matrix measured 2.6x slower.
  constexpr Index kTile = 16;
  MatrixMap t(out, a.cols(), a.rows());
  for (Index j = 0; j < a.cols(); j += kTile)
    for (Index i = 0; i < a.rows(); i += kTile) {
      const Index bj = std::min(kTile, a.cols() - j), bi = std::min(kTile, a.rows() - i);
      t.block(j, i, bj, bi).noalias() = a.block(i, j, bi, bj).transpose();
    }
}

CouplingFlow::View CouplingFlow::view(const Real* params) const {
  const Index D = m_dim, H = m_hidden;
  const Real* wIn = params;
  const Real* bIn = wIn + H * D;
  const Real* wOut = bIn + H;
  const Real* bOut = wOut + 2 * D * H;
  return {ConstMatrixMap(wIn, H, D), ConstVectorMap(bIn, H), ConstMatrixMap(wOut, 2 * D, H),
          ConstVectorMap(bOut, 2 * D)};
}

void CouplingFlow::initialise(RandomStream& rng, Real* params) const {
  const Index D = m_dim, H = m_hidden;
  MatrixMap wIn(params, H, D);
  rng.fillNormal(wIn.data(), wIn.size());
  wIn *= static_cast<Real>(1.0 / std::sqrt(static_cast<double>(D)));
  VectorMap(params + H * D, H).setZero();
  MatrixMap wOut(params + H * D + H, 2 * D, H);
  rng.fillNormal(wOut.data(), wOut.size());
  wOut *= static_cast<Real>(1.0 / std::sqrt(static_cast<double>(H)));
  VectorMap bOut(params + H * D + H + 2 * D * H, 2 * D);
  bOut.head(D).setZero();
  bOut.tail(D).setConstant(Real(2));
}

void CouplingFlow::hiddenAndOut(const View& v, const Eigen::Ref<const Matrix>& u,
                                Eigen::Ref<Matrix> hidden, Eigen::Ref<Matrix> out) const {
  gemm(v.wIn, Op::None, u, Op::None, hidden);
  hidden.colwise() += v.bIn;
  hidden = hidden.array().tanh().matrix();
  gemm(v.wOut, Op::None, hidden, Op::None, out);
  out.colwise() += v.bOut;
}

void CouplingFlow::forward(const Real* params, const Eigen::Ref<const Matrix>& mask,
                           Eigen::Ref<Matrix> z, Eigen::Ref<Matrix> input,
                           Eigen::Ref<Matrix> hidden, Eigen::Ref<Matrix> out, Eigen::Ref<Matrix> u,
                           Real* logDet) const {
  const Index D = m_dim, n = z.cols();
  const View v = view(params);
  input = z;
  u = mask.cwiseProduct(z);
  hiddenAndOut(v, u, hidden, out);
  auto s = out.bottomRows(D);
  if (logDet) {
    // log g = -softplus(-s), stable for any s.
    for (Index c = 0; c < n; ++c) {
      const auto sc = s.col(c).array();
      const auto logGate = -((-sc).max(Real(0)) + ((-sc.abs()).exp() + Real(1)).log());
      logDet[c] += ((Real(1) - mask.col(c).array()) * logGate).sum();
    }
  }
  s = (Real(1) + (-s.array()).exp()).inverse().matrix();  // g
  const auto mu = out.topRows(D).array();
  const auto g = out.bottomRows(D).array();
  z.array() += (Real(1) - mask.array()) * (Real(1) - g) * (mu - z.array());
}

void CouplingFlow::backward(const Real* params, const Eigen::Ref<const Matrix>& mask,
                            Eigen::Ref<Matrix> input, const Eigen::Ref<const Matrix>& hidden,
                            Eigen::Ref<Matrix> out, Eigen::Ref<Matrix> dpre, Eigen::Ref<Matrix> dz,
                            Real logDetWeight, Eigen::Ref<Matrix> du,
                            const Real* transposed) const {
  const Index D = m_dim, n = dz.cols();
  const View v = view(params);
  const Real gamma = logDetWeight;
  for (Index c = 0; c < n; ++c) {
    const Real* m = mask.col(c).data();
    const Real* z = input.col(c).data();
    Real* mu = out.col(c).data();
    Real* g = mu + D;
    Real* d = dz.col(c).data();
    for (Index i = 0; i < D; ++i) {
      const Real keep = Real(1) - m[i], gi = g[i], di = d[i];
      const Real slope = keep * (Real(1) - gi);
      const Real ds = slope * (gi * (z[i] - mu[i]) * di + gamma);
      mu[i] = slope * di;              // dmu
      g[i] = ds;                       // ds
      d[i] = (m[i] + keep * gi) * di;  // the direct path; the masked path is added below
    }
  }
  if (transposed) {
    const ConstMatrixMap wInT(transposed, D, m_hidden),
        wOutT(transposed + D * m_hidden, m_hidden, 2 * D);
    gemm(wOutT, Op::None, out, Op::None, dpre);
    dpre.array() *= Real(1) - hidden.array().square();
    gemm(wInT, Op::None, dpre, Op::None, du);
  } else if (n == 1) {
    // One draw (the bound's z): matrix-vector products read W^T in place,
    // where gemm() would first copy out the transpose of the whole matrix.
    dpre.noalias() = v.wOut.transpose() * out;
    dpre.array() *= Real(1) - hidden.array().square();
    du.noalias() = v.wIn.transpose() * dpre;
  } else {
    gemm(v.wOut, Op::Transpose, out, Op::None, dpre);
    dpre.array() *= Real(1) - hidden.array().square();
    gemm(v.wIn, Op::Transpose, dpre, Op::None, du);
  }
  dz.array() += mask.array() * du.array();
  input.array() *= mask.array();
}

void CouplingFlow::transposeWeights(const Real* params, Real* transposed) const {
  const Index D = m_dim, H = m_hidden;
  const View v = view(params);
  transposeInto(v.wIn, transposed);
  transposeInto(v.wOut, transposed + D * H);
}

void CouplingFlow::parameterGradient(const Eigen::Ref<const Matrix>& maskedInput,
                                     const Eigen::Ref<const Matrix>& hidden,
                                     const Eigen::Ref<const Matrix>& outGradient,
                                     const Eigen::Ref<const Matrix>& dpre, Real* gradient,
                                     bool accumulate) const {
  const Index D = m_dim, H = m_hidden;
  MatrixMap dwIn(gradient, H, D);
  VectorMap dbIn(gradient + H * D, H);
  MatrixMap dwOut(gradient + H * D + H, 2 * D, H);
  VectorMap dbOut(gradient + H * D + H + 2 * D * H, 2 * D);
  gemm(dpre, Op::None, maskedInput, Op::Transpose, dwIn, accumulate);
  gemm(outGradient, Op::None, hidden, Op::Transpose, dwOut, accumulate);
  if (accumulate) {
    dbIn.noalias() += dpre.rowwise().sum();
    dbOut.noalias() += outGradient.rowwise().sum();
  } else {
    dbIn.noalias() = dpre.rowwise().sum();
    dbOut.noalias() = outGradient.rowwise().sum();
  }
}

void CouplingFlow::inverse(const Real* params, const Eigen::Ref<const Matrix>& mask,
                           Eigen::Ref<Matrix> z, Eigen::Ref<Matrix> hidden, Eigen::Ref<Matrix> out,
                           Eigen::Ref<Matrix> u) const {
  const Index D = m_dim;
  const View v = view(params);
  u = mask.cwiseProduct(z);
  hiddenAndOut(v, u, hidden, out);
  const auto mu = out.topRows(D).array();
  const auto g = (Real(1) + (-out.bottomRows(D).array()).exp()).inverse();
  const auto keep = Real(1) - mask.array();
  z.array() = mask.array() * z.array() + keep * (z.array() - (Real(1) - g) * mu) / g;
}

BAYESLAB_END_NAMESPACE
