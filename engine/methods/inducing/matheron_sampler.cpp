#include "engine/methods/inducing/matheron_sampler.h"

#include <algorithm>
#include <cassert>

#include "engine/core/gemm.h"
#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
constexpr Index kMaxBlocks = 16;

// The part of column range r below `limit`.
Range below(const Range& r, Index limit) {
  const Index end = std::min(r.end(), limit);
  return {r.begin, std::max<Index>(0, end - r.begin)};
}
}  // namespace

void MatheronSampler::resize(const InducingLayerShape& shape, Index blockWork) {
  m_shape = shape;
  const Index O = shape.outputs, d = shape.columns(), M = shape.rows, N = shape.cols;
  const Index perColumn = std::max<Index>(1, 5 * M * (O + M));
  m_blocks = unitCount(d + N, std::max<Index>(1, blockWork / perColumn), kMaxBlocks);
  m_e.resize(O + M, d + N);
  m_s.resize(M, d + N);
  m_uParts.resize(M, N * m_blocks);
  m_ta.resize(M, d);
  m_j.resize(M, d);
  m_dtParts.resize(M, N * m_blocks);
  m_darParts.resize(O, M * m_blocks);
  m_dzrParts.resize(M, O * m_blocks);
  m_ddrParts.resize(M, m_blocks);
  m_lambdaParts.resize(m_blocks);
  m_ds.resize(M, d + N);
  m_dac.resize(N, d);
  m_dzc.resize(N, d);
  m_ddc.resize(N);
}

Range MatheronSampler::block(Index b) const {
  return partRange(m_shape.columns() + m_shape.cols, m_blocks, b);
}

void MatheronSampler::drawBlock(Index b, const InducingFactors& f, const Real* params,
                                RandomStream stream) {
  const Index O = m_shape.outputs, d = m_shape.columns(), M = m_shape.rows, N = m_shape.cols;
  const Range r = block(b);
  auto e = m_e.middleCols(r.begin, r.size);
  stream.fillNormal(e.data(), e.size());
  const ConstMatrixMap zr(params + m_shape.zr(), M, O), zc(params + m_shape.zc(), N, d);
  auto s = m_s.middleCols(r.begin, r.size);
  gemm(zr, Op::None, e.topRows(O), Op::None, s);
  s.noalias() += f.row.d.asDiagonal() * e.bottomRows(M);
  auto part = m_uParts.middleCols(b * N, N);
  const Range w = below(r, d);
  if (w.size > 0)
    gemm(m_s.middleCols(w.begin, w.size), Op::None, zc.middleCols(w.begin, w.size), Op::Transpose,
         part);
  else
    part.setZero();
  for (Index j = std::max(r.begin, d); j < r.end(); ++j)
    part.col(j - d) += f.col.d(j - d) * m_s.col(j);
}

void MatheronSampler::combine(const InducingFactors& f, const Eigen::Ref<const Matrix>& v) {
  const Index N = m_shape.cols;
  m_uTilde = m_uParts.leftCols(N);
  for (Index b = 1; b < m_blocks; ++b) m_uTilde += m_uParts.middleCols(b * N, N);
  m_v = v;
  m_lv.noalias() = f.row.l * m_v;
  m_u.noalias() = m_lv * f.col.l.transpose();
  m_t = m_u - f.lambda * m_uTilde;
}

void MatheronSampler::weightBlock(Index b, const InducingFactors& f, Real scale, Real* w) {
  const Index O = m_shape.outputs, d = m_shape.columns();
  const Range c = below(block(b), d);
  if (c.size == 0) return;
  auto ta = m_ta.middleCols(c.begin, c.size);
  gemm(m_t, Op::None, f.ac.middleCols(c.begin, c.size), Op::None, ta);
  auto wb = MatrixMap(w, O, d).middleCols(c.begin, c.size);
  gemm(f.ar, Op::None, ta, Op::None, wb);
  wb = scale * (wb + f.lambda * m_e.block(0, c.begin, O, c.size));
}

void MatheronSampler::draw(const InducingFactors& f, const Real* params,
                           const Eigen::Ref<const Matrix>& v, Real scale,
                           const RandomStream& stream, Real* w) {
  for (Index b = 0; b < m_blocks; ++b)
    drawBlock(b, f, params, stream.derive(static_cast<std::uint64_t>(b)));
  combine(f, v);
  for (Index b = 0; b < m_blocks; ++b) weightBlock(b, f, scale, w);
}

void MatheronSampler::gradientBlock(Index b, const InducingFactors& f, Real scale, const Real* g) {
  const Index O = m_shape.outputs, d = m_shape.columns(), M = m_shape.rows, N = m_shape.cols;
  const Range c = below(block(b), d);
  auto dt = m_dtParts.middleCols(b * N, N);
  auto dar = m_darParts.middleCols(b * M, M);
  if (c.size == 0) {
    dt.setZero();
    dar.setZero();
    m_lambdaParts(b) = 0;
    return;
  }
  const auto gb = ConstMatrixMap(g, O, d).middleCols(c.begin, c.size);
  auto j = m_j.middleCols(c.begin, c.size);
  gemm(f.ar, Op::Transpose, gb, Op::None, j);
  j *= scale;
  gemm(j, Op::None, f.ac.middleCols(c.begin, c.size), Op::Transpose, dt);
  gemm(gb, Op::None, m_ta.middleCols(c.begin, c.size), Op::Transpose, dar);
  dar *= scale;
  m_lambdaParts(b) = scale * (gb.array() * m_e.block(0, c.begin, O, c.size).array()).sum();
}

void MatheronSampler::combineGradient(const InducingFactors& f) {
  const Index N = m_shape.cols;
  m_dt = m_dtParts.leftCols(N);
  for (Index b = 1; b < m_blocks; ++b) m_dt += m_dtParts.middleCols(b * N, N);
  double lambdaPart = 0.0;
  for (Index b = 0; b < m_blocks; ++b) lambdaPart += static_cast<double>(m_lambdaParts(b));
  m_factored = false;
  m_dlambda = lambdaPart - static_cast<double>((m_dt.array() * m_uTilde.array()).sum());
  m_duTilde = -f.lambda * m_dt;
}

void MatheronSampler::prepareTranspose() {
  m_e1t.resize(m_shape.columns(), m_shape.outputs);
}

void MatheronSampler::transposeBlock(Index b) {
  // Blocks run in parallel: the matrix must have its size before (prepareTranspose).
  const Index O = m_shape.outputs, d = m_shape.columns();
  assert(m_e1t.rows() == d && m_e1t.cols() == O);
  const Range c = below(block(b), d);
  if (c.size > 0) m_e1t.middleRows(c.begin, c.size) = m_e.block(0, c.begin, O, c.size).transpose();
}

void MatheronSampler::setFactoredGradient(const InducingFactors& f,
                                          const Eigen::Ref<const Matrix>& dt, double lambdaPart) {
  m_dt = dt;
  m_factored = true;
  m_dlambda = lambdaPart - static_cast<double>((m_dt.array() * m_uTilde.array()).sum());
  m_duTilde = -f.lambda * m_dt;
}

void MatheronSampler::gradientBlock2(Index b, const InducingFactors& f, const Real* params) {
  const Index O = m_shape.outputs, d = m_shape.columns(), M = m_shape.rows, N = m_shape.cols;
  const Range r = block(b);
  const Range c = below(r, d);
  const ConstMatrixMap zc(params + m_shape.zc(), N, d);
  if (c.size > 0) {
    if (!m_factored) {
      auto dac = m_dac.middleCols(c.begin, c.size);
      gemm(m_t, Op::Transpose, m_j.middleCols(c.begin, c.size), Op::None, dac);
    }
    auto ds = m_ds.middleCols(c.begin, c.size);
    gemm(m_duTilde, Op::None, zc.middleCols(c.begin, c.size), Op::None, ds);
    auto dzc = m_dzc.middleCols(c.begin, c.size);
    gemm(m_duTilde, Op::Transpose, m_s.middleCols(c.begin, c.size), Op::None, dzc);
  }
  for (Index j = std::max(r.begin, d); j < r.end(); ++j) {
    m_ds.col(j) = f.col.d(j - d) * m_duTilde.col(j - d);
    m_ddc(j - d) = m_duTilde.col(j - d).dot(m_s.col(j));
  }
  const auto ds = m_ds.middleCols(r.begin, r.size);
  auto dzr = m_dzrParts.middleCols(b * O, O);
  gemm(ds, Op::None, m_e.block(0, r.begin, O, r.size), Op::Transpose, dzr);
  m_ddrParts.col(b) = (ds.array() * m_e.block(O, r.begin, M, r.size).array()).rowwise().sum();
}

const Matrix& MatheronSampler::finish(const InducingFactors& f, FactorGradient& out) {
  const Index O = m_shape.outputs, M = m_shape.rows;
  for (Index b = 0; b < m_blocks; ++b) {
    out.zr += m_dzrParts.middleCols(b * O, O);
    out.dr += m_ddrParts.col(b);
    if (!m_factored) out.ar += m_darParts.middleCols(b * M, M);
  }
  out.zc += m_dzc;
  out.dc += m_ddc;
  if (!m_factored) out.ac += m_dac;
  out.lambda += m_dlambda;
  // U = L_r V L_c^T with dU = dT.
  m_lv.noalias() = m_dt * f.col.l;
  m_dv.noalias() = f.row.l.transpose() * m_lv;
  m_vl.noalias() = f.col.l * m_v.transpose();  // (V L_c^T)^T
  out.lr.noalias() += m_dt * m_vl;
  m_lv.noalias() = f.row.l * m_v;
  out.lc.noalias() += m_dt.transpose() * m_lv;
  return m_dv;
}

BAYESLAB_END_NAMESPACE
