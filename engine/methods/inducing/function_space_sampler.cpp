#include "engine/methods/inducing/function_space_sampler.h"

#include "engine/core/gemm.h"
#include "engine/methods/common/softplus.h"

BAYESLAB_BEGIN_NAMESPACE

void FunctionSpaceConstants::prepare(const InducingLayerShape& s, const InducingFactors& f,
                                     const Real* p, Real priorScale) {
  shape = &s;
  factors = &f;
  params = p;
  scale = priorScale;
  zrT = ConstMatrixMap(p + s.zr(), s.rows, s.outputs).transpose();
  if (s.ensemble()) return;
  variance.resize(s.rows, s.cols);
  varianceSigmoid.resize(s.rows, s.cols);
  softplusWithDerivative(p + s.rhoV(), s.inducingCount(), variance.data(), varianceSigmoid.data());
  varianceSigmoid.array() *= Real(2) * variance.array();  // d(sigma^2)/drho = 2 sigma sigmoid
  variance.array() = variance.array().square();
}

ConstMatrixMap FunctionSpaceConstants::inducing(Index member) const {
  const Index offset = shape->ensemble() ? shape->member(member) : shape->mean();
  return ConstMatrixMap(params + offset, shape->rows, shape->cols);
}

void FunctionSpaceGradient::resize(const InducingLayerShape& shape) {
  const Index M = shape.rows, N = shape.cols;
  kr.resize(M, M);
  lr.resize(M, M);
  kc.resize(N, N);
  lc.resize(N, N);
  dr.resize(M);
  mean.resize(M, N);
  variance.resize(shape.ensemble() ? 0 : M, shape.ensemble() ? 0 : N);
  scratchRows.resize(M, M);
  scratchCols.resize(N, N);
}

void FunctionSpaceGradient::setZero() {
  kr.setZero();
  lr.setZero();
  kc.setZero();
  lc.setZero();
  dr.setZero();
  mean.setZero();
  variance.setZero();
  lambda = 0.0;
}

void FunctionSpaceSampler::resize(const InducingLayerShape& shape, Index columns) {
  m_shape = shape;
  const Index M = shape.rows, N = shape.cols, O = shape.outputs;
  for (Matrix* m : {&m_c, &m_a, &m_ap, &m_dc, &m_scratchN, &m_scratchN2, &m_scratchN3})
    m->resize(N, columns);
  for (Matrix* m : {&m_w, &m_noise4, &m_zeta, &m_l5, &m_e5, &m_e6, &m_h, &m_yp, &m_dzeta,
                    &m_scratchM, &m_scratchM2, &m_scratchM3})
    m->resize(M, columns);
  m_rows.resize(5, columns);
  m_e1.resize(O, columns);
  for (RowVector* v : {&m_nx, &m_q, &m_alpha, &m_beta}) v->resize(columns);
}

void FunctionSpaceSampler::forward(const FunctionSpaceConstants& k, Index member,
                                   const Eigen::Ref<const Matrix>& x, Index col,
                                   RandomStream& stream, Eigen::Ref<Matrix> out) {
  const InducingLayerShape& s = m_shape;
  const InducingFactors& f = *k.factors;
  const Index n = x.cols(), din = s.inputs, N = s.cols, M = s.rows;
  const ConstMatrixMap zc(k.params + s.zc(), N, din + 1);
  const ConstMatrixMap zr(k.params + s.zr(), M, s.outputs);

  // c = Z_c x~, a = K_c^-1 c, q = c . a, n_x = |x~|^2.
  auto c = m_c.middleCols(col, n);
  gemm(zc.leftCols(din), Op::None, x, Op::None, c);
  c.colwise() += zc.col(din);
  auto a = m_a.middleCols(col, n);
  gemm(f.col.kInv, Op::None, c, Op::None, a);
  auto nx = m_nx.segment(col, n);
  auto q = m_q.segment(col, n);
  nx = (x.colwise().squaredNorm().array() + Real(1)).matrix();
  q = (c.array() * a.array()).colwise().sum().matrix();
  q = q.cwiseMax(Real(0)).cwiseMin(nx);
  m_alpha.segment(col, n) = (q.array() / nx.array().sqrt()).matrix();
  m_beta.segment(col, n) = (q.array() * (nx - q).array() / nx.array()).max(Real(0)).sqrt().matrix();

  // w = V a' (U a = L_r w), by local reparameterisation for FFG-U.
  auto ap = m_ap.middleCols(col, n);
  gemm(f.col.l, Op::Transpose, a, Op::None, ap);
  auto w = m_w.middleCols(col, n);
  gemm(k.inducing(member), Op::None, ap, Op::None, w);
  auto e1 = m_e1.middleCols(col, n);
  auto e5 = m_e5.middleCols(col, n);
  auto e6 = m_e6.middleCols(col, n);
  stream.fillNormal(e1.data(), e1.size());
  stream.fillNormal(e5.data(), e5.size());
  stream.fillNormal(e6.data(), e6.size());
  if (!s.ensemble()) {
    auto apSquared = m_scratchN.middleCols(col, n);
    apSquared = ap.array().square().matrix();
    auto noise = m_noise4.middleCols(col, n);
    auto sd = m_scratchM.middleCols(col, n);
    gemm(k.variance, Op::None, apSquared, Op::None, sd);
    sd = sd.array().sqrt().matrix();
    stream.fillNormal(noise.data(), noise.size());
    w.array() += sd.array() * noise.array();
    // What backward needs: e_4 / (2 sqrt(v)) (0 where v = 0: w does not depend on sigma there).
    noise.array() = (sd.array() > Real(0)).select(Real(0.5) * noise.array() / sd.array(), Real(0));
  }

  // h = alpha (Z_r e_1 + D_r e_6) + beta L_r e_5.
  auto zeta = m_zeta.middleCols(col, n);
  gemm(zr, Op::None, e1, Op::None, zeta);
  zeta.noalias() += f.row.d.asDiagonal() * e6;
  auto l5 = m_l5.middleCols(col, n);
  gemm(f.row.l, Op::None, e5, Op::None, l5);
  auto h = m_h.middleCols(col, n);
  h = (zeta.array().rowwise() * m_alpha.segment(col, n).array() +
       l5.array().rowwise() * m_beta.segment(col, n).array())
          .matrix();

  // Y' = K_r^-1 (L_r w - lambda h); f = s (Z_r^T Y' + lambda sqrt(n_x) e_1).
  auto y = m_scratchM.middleCols(col, n);
  gemm(f.row.l, Op::None, w, Op::None, y);
  y -= f.lambda * h;
  auto yp = m_yp.middleCols(col, n);
  gemm(f.row.kInv, Op::None, y, Op::None, yp);
  gemm(k.zrT, Op::None, yp, Op::None, out);
  auto noiseScale = m_rows.row(0).segment(col, n);
  noiseScale = (f.lambda * nx.array().sqrt()).matrix();
  out.array() += e1.array().rowwise() * noiseScale.array();
  out *= k.scale;
}

void FunctionSpaceSampler::backward(const FunctionSpaceConstants& k, Index member,
                                    const Eigen::Ref<const Matrix>& x, Index col,
                                    const Eigen::Ref<const Matrix>& delta, FunctionSpaceGradient& g,
                                    Real* dx) {
  const InducingLayerShape& s = m_shape;
  const InducingFactors& f = *k.factors;
  const Index n = x.cols(), din = s.inputs, N = s.cols, M = s.rows;
  const ConstMatrixMap zc(k.params + s.zc(), N, din + 1);
  const ConstMatrixMap zr(k.params + s.zr(), M, s.outputs);
  const auto nx = m_nx.segment(col, n).array();
  const auto q = m_q.segment(col, n).array();
  const auto alpha = m_alpha.segment(col, n).array();
  const auto beta = m_beta.segment(col, n).array();
  const auto e1 = m_e1.middleCols(col, n);
  const Real lambda = f.lambda;
  auto rho1 = m_rows.row(0).segment(col, n).array();
  auto dnx = m_rows.row(1).segment(col, n).array();
  auto dalpha = m_rows.row(2).segment(col, n).array();
  auto dbeta = m_rows.row(3).segment(col, n).array();
  auto dq = m_rows.row(4).segment(col, n).array();

  // f = s (Z_r^T Y' + lambda sqrt(n_x) e_1).
  auto dyp = m_scratchM.middleCols(col, n);
  gemm(zr, Op::None, delta, Op::None, dyp);
  dyp *= k.scale;
  rho1 = k.scale * (delta.array() * e1.array()).colwise().sum();
  g.lambda += static_cast<double>((nx.sqrt() * rho1).sum());
  dnx = lambda * rho1 / (Real(2) * nx.sqrt());

  // Y' = K_r^-1 Y, Y = L_r w - lambda h.
  const auto yp = m_yp.middleCols(col, n);
  auto dy = m_scratchM2.middleCols(col, n);
  gemm(f.row.kInv, Op::None, dyp, Op::None, dy);
  gemm(dy, Op::None, yp, Op::Transpose, g.scratchRows);
  g.kr -= g.scratchRows;
  gemm(dy, Op::None, m_w.middleCols(col, n), Op::Transpose, g.lr, true);
  auto dw = m_scratchM.middleCols(col, n);
  gemm(f.row.l, Op::Transpose, dy, Op::None, dw);
  g.lambda -= static_cast<double>((dy.array() * m_h.middleCols(col, n).array()).sum());

  // h = alpha zeta + beta L_r e_5 with dh = -lambda dY.
  const auto zeta = m_zeta.middleCols(col, n);
  const auto l5 = m_l5.middleCols(col, n);
  dalpha = -lambda * (dy.array() * zeta.array()).colwise().sum();
  dbeta = -lambda * (dy.array() * l5.array()).colwise().sum();
  auto dzeta = m_dzeta.middleCols(col, n);
  dzeta.array() = (dy.array().rowwise() * alpha) * (-lambda);
  g.dr += (dzeta.array() * m_e6.middleCols(col, n).array()).rowwise().sum().matrix();
  auto betaDh = m_scratchM3.middleCols(col, n);
  betaDh.array() = (dy.array().rowwise() * beta) * (-lambda);
  gemm(betaDh, Op::None, m_e5.middleCols(col, n), Op::Transpose, g.lr, true);

  // w = V a' (+ sqrt(v) e_4 for FFG-U).
  const auto ap = m_ap.middleCols(col, n);
  gemm(dw, Op::None, ap, Op::Transpose, g.mean, true);
  auto dap = m_scratchN.middleCols(col, n);
  gemm(k.inducing(member), Op::Transpose, dw, Op::None, dap);
  if (!s.ensemble()) {
    auto dv = m_scratchM3.middleCols(col, n);
    dv.array() = dw.array() * m_noise4.middleCols(col, n).array();
    auto apSquared = m_scratchN3.middleCols(col, n);
    apSquared = ap.array().square().matrix();
    gemm(dv, Op::None, apSquared, Op::Transpose, g.variance, true);
    auto t = m_scratchN2.middleCols(col, n);
    gemm(k.variance, Op::Transpose, dv, Op::None, t);
    dap.array() += Real(2) * ap.array() * t.array();
  }

  // a' = L_c^T a; alpha, beta from q and n_x; q = c . a; a = K_c^-1 c.
  const auto a = m_a.middleCols(col, n);
  const auto c = m_c.middleCols(col, n);
  auto da = m_scratchN2.middleCols(col, n);
  gemm(f.col.l, Op::None, dap, Op::None, da);
  gemm(a, Op::None, dap, Op::Transpose, g.lc, true);
  // dbeta / (2 beta), 0 where beta = 0 (h does not depend on beta's derivative there).
  dbeta = (beta > Real(0)).select(dbeta / (Real(2) * beta), Real(0));
  dq = dalpha / nx.sqrt() + dbeta * (Real(1) - Real(2) * q / nx);
  dnx += -dalpha * q / (Real(2) * nx * nx.sqrt()) + dbeta * q.square() / nx.square();
  da.array() += c.array().rowwise() * dq;
  auto dc = m_dc.middleCols(col, n);
  gemm(f.col.kInv, Op::None, da, Op::None, dc);
  gemm(dc, Op::None, a, Op::Transpose, g.scratchCols);
  g.kc -= g.scratchCols;
  dc.array() += a.array().rowwise() * dq;

  if (!dx) return;
  MatrixMap dxm(dx, din, n);
  gemm(zc.leftCols(din), Op::Transpose, dc, Op::None, dxm);
  dxm.array() += (x.array().rowwise() * dnx) * Real(2);
}

void FunctionSpaceSampler::rowsGradient(const FunctionSpaceConstants& k,
                                        const Eigen::Ref<const Matrix>& delta, Index begin, Index n,
                                        Eigen::Ref<Matrix> out) const {
  gemm(m_yp, Op::None, delta.middleRows(begin, n), Op::Transpose, out);
  out *= k.scale;
  gemm(m_dzeta, Op::None, m_e1.middleRows(begin, n), Op::Transpose, out, true);
}

void FunctionSpaceSampler::sumPasses(Index passes) {
  m_summed = passes > 1;
  if (!m_summed) return;
  const Index batch = m_dc.cols() / passes;
  m_dcSum = m_dc.leftCols(batch);
  for (Index p = 1; p < passes; ++p) m_dcSum += m_dc.middleCols(p * batch, batch);
}

void FunctionSpaceSampler::colsGradient(const Eigen::Ref<const Matrix>& x, Index begin, Index n,
                                        Eigen::Ref<Matrix> out) const {
  const Matrix& dc = m_summed && x.cols() < m_dc.cols() ? m_dcSum : m_dc;
  const Index din = m_shape.inputs;
  const Index inner = std::min(begin + n, din) - begin;
  if (inner > 0) gemm(dc, Op::None, x.middleRows(begin, inner), Op::Transpose, out.leftCols(inner));
  if (begin + n > din) out.col(n - 1) = dc.rowwise().sum();
}

BAYESLAB_END_NAMESPACE
