#include "engine/methods/mnf/normalising_flow.h"

BAYESLAB_BEGIN_NAMESPACE

NormalisingFlow::NormalisingFlow(Index dim, Index steps, Index hidden)
    : m_dim(dim), m_steps(steps), m_hidden(hidden) {}

Index NormalisingFlow::stepParameterCount() const {
  return planar() ? PlanarFlow(m_dim).parameterCount()
                  : CouplingFlow(m_dim, m_hidden).parameterCount();
}

void NormalisingFlow::initialise(RandomStream& rng, Real* params) const {
  const Index n = stepParameterCount();
  for (Index k = 0; k < m_steps; ++k) {
    if (planar())
      PlanarFlow(m_dim).initialise(rng, params + k * n);
    else
      CouplingFlow(m_dim, m_hidden).initialise(rng, params + k * n);
  }
}

void NormalisingFlow::Tape::resize(const NormalisingFlow& flow, Index n) {
  if (columns == n && static_cast<Index>(input.size()) == flow.steps()) return;
  columns = n;
  const auto K = static_cast<size_t>(flow.steps());
  const Index D = flow.dim(), H = flow.hidden();
  input.resize(K);
  mask.resize(K);
  hidden.resize(K);
  out.resize(K);
  dpre.resize(K);
  for (size_t k = 0; k < K; ++k) {
    input[k].resize(D, n);
    if (flow.planar()) {
      hidden[k].resize(1, n);
      out[k].resize(D, n);
      dpre[k].resize(2, n);
    } else {
      mask[k].resize(D, n);
      hidden[k].resize(H, n);
      out[k].resize(2 * D, n);
      dpre[k].resize(H, n);
    }
  }
}

void NormalisingFlow::Scratch::resize(const NormalisingFlow& flow, Index n) {
  if (flow.planar()) return;
  if (u.rows() != flow.dim() || u.cols() < n) {
    u.resize(flow.dim(), n);
    du.resize(flow.dim(), n);
  }
}

void NormalisingFlow::forward(const Real* params, Eigen::Ref<Matrix> z, Tape& tape, Index begin,
                              RandomStream& maskStream, Real* logDet, Scratch& scratch) const {
  const Index n = z.cols(), stride = stepParameterCount();
  for (Index k = 0; k < m_steps; ++k) {
    const auto s = static_cast<size_t>(k);
    const Real* p = params + k * stride;
    auto input = tape.input[s].middleCols(begin, n);
    auto hidden = tape.hidden[s].middleCols(begin, n);
    if (planar()) {
      PlanarFlow(m_dim).forward(p, z, input, hidden, logDet);
      continue;
    }
    auto mask = tape.mask[s].middleCols(begin, n);
    // Whole columns are contiguous: one fill per step.
    fillHalfBernoulli(maskStream, mask.data(), mask.size());
    CouplingFlow(m_dim, m_hidden)
        .forward(p, mask, z, input, hidden, tape.out[s].middleCols(begin, n), scratch.u.leftCols(n),
                 logDet);
  }
}

Index NormalisingFlow::transposedCount() const {
  return planar() ? 0 : m_steps * CouplingFlow(m_dim, m_hidden).transposedCount();
}

void NormalisingFlow::transposeWeights(Index step, const Real* params, Real* transposed) const {
  if (planar()) return;
  const CouplingFlow coupling(m_dim, m_hidden);
  coupling.transposeWeights(params + step * stepParameterCount(),
                            transposed + step * coupling.transposedCount());
}

void NormalisingFlow::backward(const Real* params, Eigen::Ref<Matrix> dz, Tape& tape, Index begin,
                               Real logDetWeight, Scratch& scratch, const Real* transposed) const {
  const Index n = dz.cols(), stride = stepParameterCount();
  for (Index k = m_steps - 1; k >= 0; --k) {
    const auto s = static_cast<size_t>(k);
    const Real* p = params + k * stride;
    if (planar()) {
      PlanarFlow(m_dim).backward(
          p, tape.input[s].middleCols(begin, n), tape.hidden[s].middleCols(begin, n),
          tape.out[s].middleCols(begin, n), tape.dpre[s].middleCols(begin, n), dz, logDetWeight);
      continue;
    }
    const CouplingFlow coupling(m_dim, m_hidden);
    coupling.backward(p, tape.mask[s].middleCols(begin, n), tape.input[s].middleCols(begin, n),
                      tape.hidden[s].middleCols(begin, n), tape.out[s].middleCols(begin, n),
                      tape.dpre[s].middleCols(begin, n), dz, logDetWeight, scratch.du.leftCols(n),
                      transposed ? transposed + k * coupling.transposedCount() : nullptr);
  }
}

void NormalisingFlow::stepGradient(Index k, const Real* params, const Tape& tape, Index begin,
                                   Index n, Real* gradient, bool accumulate) const {
  const auto s = static_cast<size_t>(k);
  const Index stride = stepParameterCount();
  const Real* p = params + k * stride;
  Real* g = gradient + k * stride;
  if (planar()) {
    PlanarFlow(m_dim).parameterGradient(
        p, tape.input[s].middleCols(begin, n), tape.hidden[s].middleCols(begin, n),
        tape.out[s].middleCols(begin, n), tape.dpre[s].middleCols(begin, n), g, accumulate);
    return;
  }
  CouplingFlow(m_dim, m_hidden)
      .parameterGradient(tape.input[s].middleCols(begin, n), tape.hidden[s].middleCols(begin, n),
                         tape.out[s].middleCols(begin, n), tape.dpre[s].middleCols(begin, n), g,
                         accumulate);
}

void NormalisingFlow::parameterGradient(const Real* params, const Tape& tape, Index begin, Index n,
                                        Real* gradient, bool accumulate) const {
  for (Index k = 0; k < m_steps; ++k) stepGradient(k, params, tape, begin, n, gradient, accumulate);
}

void NormalisingFlow::inverse(const Real* params, Eigen::Ref<Matrix> z, const Tape& tape,
                              Index begin, Scratch& scratch, Matrix& hidden, Matrix& out) const {
  const Index n = z.cols(), stride = stepParameterCount();
  hidden.resize(m_hidden, n);
  out.resize(2 * m_dim, n);
  for (Index k = m_steps - 1; k >= 0; --k) {
    CouplingFlow(m_dim, m_hidden)
        .inverse(params + k * stride, tape.mask[static_cast<size_t>(k)].middleCols(begin, n), z,
                 hidden, out, scratch.u.leftCols(n));
  }
}

BAYESLAB_END_NAMESPACE
