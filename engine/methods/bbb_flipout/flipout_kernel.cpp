#include "engine/methods/bbb_flipout/flipout_kernel.h"

#include <algorithm>

#include "engine/core/gemm.h"
#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
// Batch columns per unit: wider than BatchEvaluator's chunks because every layer here
// runs two products per pass, and each product packs the whole weight matrix again.
constexpr Index kFlipoutChunkColumns = 64;
constexpr Index kFlipoutMaxChunks = 16;
constexpr std::uint64_t kPerturbationStream = 0x64656c7461;  // "delta"
constexpr std::uint64_t kSignStream = 0x7369676e;            // "sign"

// Random +1 / -1 from the bits of 64-bit draws. Branch-free so the compiler
// vectorises the bit expansion: Flipout draws d_in + d_out signs per example and
// layer, as many as local reparameterisation draws normals.
void fillRandomSigns(RandomStream& rng, Real* out, Index n) {
  for (Index i = 0; i < n; i += 64) {
    const std::uint64_t bits = rng.nextU64();
    const int count = static_cast<int>(std::min<Index>(64, n - i));
    for (int b = 0; b < count; ++b)
      out[i + b] = Real(1) - Real(2) * static_cast<Real>((bits >> b) & 1U);
  }
}
}  // namespace

FlipoutKernel::FlipoutKernel(MlpLayout layout, Activation activation,
                             std::shared_ptr<const Likelihood> likelihood, Index jobWork)
    : m_layout(std::move(layout)),
      m_activation(activation),
      m_likelihood(std::move(likelihood)),
      m_jobWork(std::max<Index>(1, jobWork)) {}

void FlipoutKernel::prepare(Index samples, Index batch) {
  if (samples == m_samples && batch == m_batch) return;
  m_samples = samples;
  m_batch = batch;
  m_chunks = unitCount(batch, kFlipoutChunkColumns, kFlipoutMaxChunks);
  const Index L = m_layout.layerCount();
  const Index P = m_layout.parameterCount();
  const Index columns = samples * batch;
  m_unitNoise.resize(P, samples);
  m_perturbation.resize(P, samples);
  for (auto* v : {&m_output, &m_inputSign, &m_flipped, &m_outputSign, &m_delta})
    v->resize(static_cast<size_t>(L));
  Index widest = m_layout.inputDim();
  m_jobs.clear();
  for (Index l = 0; l < L; ++l) {
    const LayerShape& s = m_layout.layer(l);
    const auto k = static_cast<size_t>(l);
    m_output[k].resize(s.outputs, columns);
    m_inputSign[k].resize(s.inputs, columns);
    m_flipped[k].resize(s.inputs, columns);
    m_outputSign[k].resize(s.outputs, columns);
    m_delta[k].resize(s.outputs, columns);
    widest = std::max(widest, s.outputs);
    // Each job is a block of the gradient's columns (inputs): a contiguous slice of a
    // column-major matrix, and only its slice of the right-hand side is packed.
    const Index perColumn = std::max<Index>(1, s.outputs * columns);
    const Index blocks = std::min(s.inputs, (s.inputs * perColumn + m_jobWork - 1) / m_jobWork);
    for (int part = 0; part < 2; ++part) {
      for (Index b = 0; b < blocks; ++b) {
        const Range cols = partRange(s.inputs, blocks, b);
        Job job;
        job.layer = l;
        job.sigma = part == 1;
        job.columnBegin = cols.begin;
        job.columnCount = cols.size;
        if (samples > 1) {
          if (!job.sigma && l == 0) job.scratch.resize(s.outputs, batch);
          if (job.sigma) job.scratch.resize(s.outputs, cols.size);
        }
        m_jobs.push_back(std::move(job));
      }
    }
  }
  m_units.resize(static_cast<size_t>(samples * m_chunks));
  const Index chunkColumns = partRange(batch, m_chunks, 0).size;
  for (Unit& unit : m_units) unit.scratch.resize(widest * chunkColumns);
}

double FlipoutKernel::evaluate(const Batch& batch, Index samples, const Real* mu, const Real* sigma,
                               const Real* phi, Real gradientScale, Real* dMu, Real* dSigma,
                               Real* dPhi, const RandomStream& rng, int threads) {
  const Index B = batch.size();
  const Index P = m_layout.parameterCount();
  const Index Lp = m_likelihood->parameterCount();
  prepare(samples, B);
  const Index chunks = m_chunks;
  const Index blocks = parameterBlocks(P);
  const bool wantGradient = dMu != nullptr;

  // Base perturbations, per (sample, parameter block).
  const RandomStream perturbationRng = rng.derive(kPerturbationStream);
  parallelFor(threads, samples * blocks, [&](Index job) {
    const Index s = job / blocks;
    const Range r = partRange(P, blocks, job % blocks);
    RandomStream stream = perturbationRng.derive(static_cast<std::uint64_t>(s))
                              .derive(static_cast<std::uint64_t>(job % blocks));
    Real* e = m_unitNoise.col(s).data() + r.begin;
    stream.fillNormal(e, r.size);
    ArrayMap(m_perturbation.col(s).data() + r.begin, r.size) =
        ConstArrayMap(sigma + r.begin, r.size) * ConstArrayMap(e, r.size);
  });

  const RandomStream signRng = rng.derive(kSignStream);
  parallelFor(threads, samples * chunks, [&](Index u) {
    Unit& unit = m_units[static_cast<size_t>(u)];
    const Index s = u / chunks, c = u % chunks;
    forwardChunk(unit, s, c, batch, mu, signRng);
    const Range cols = partRange(B, chunks, c);
    const auto output = m_output.back().middleCols(s * B + cols.begin, cols.size);
    const TargetView y = TargetView::of(batch, cols.begin, cols.size);
    if (!wantGradient) {
      unit.logLikelihood = m_likelihood->logLikelihood(output, y, phi, 0, nullptr, nullptr);
      return;
    }
    if (Lp > 0) unit.likelihoodGradient.setZero(Lp);
    unit.logLikelihood =
        m_likelihood->logLikelihood(output, y, phi, gradientScale, &unit.outputGradient,
                                    Lp > 0 ? unit.likelihoodGradient.data() : nullptr);
    m_delta.back().middleCols(s * B + cols.begin, cols.size) = unit.outputGradient;
    backwardChunk(unit, s, c, mu);
  });

  double total = 0.0;
  for (const Unit& unit : m_units) total += unit.logLikelihood;
  if (!wantGradient) return total;

  parallelFor(threads, static_cast<Index>(m_jobs.size()),
              [&](Index j) { weightGradient(m_jobs[static_cast<size_t>(j)], batch, dMu, dSigma); });
  if (dPhi && Lp > 0)
    for (const Unit& unit : m_units) VectorMap(dPhi, Lp) += unit.likelihoodGradient;
  return total;
}

void FlipoutKernel::forwardChunk(Unit& unit, Index s, Index c, const Batch& batch, const Real* mu,
                                 const RandomStream& rng) {
  const Index B = batch.size();
  const Range cols = partRange(B, m_chunks, c);
  const Index n = cols.size, g = s * B + cols.begin;
  const Index L = m_layout.layerCount();
  RandomStream stream =
      rng.derive(static_cast<std::uint64_t>(s)).derive(static_cast<std::uint64_t>(c));
  const Real* perturbation = m_perturbation.col(s).data();
  for (Index l = 0; l < L; ++l) {
    const LayerShape& shape = m_layout.layer(l);
    const auto k = static_cast<size_t>(l);
    const ConstMatrixMap muW(mu + shape.weightOffset, shape.outputs, shape.inputs);
    const ConstVectorMap muB(mu + shape.biasOffset, shape.outputs);
    const ConstMatrixMap deltaW(perturbation + shape.weightOffset, shape.outputs, shape.inputs);
    const ConstVectorMap deltaB(perturbation + shape.biasOffset, shape.outputs);
    auto z = m_output[k].middleCols(g, n);
    auto signIn = m_inputSign[k].middleCols(g, n);
    auto u = m_flipped[k].middleCols(g, n);
    auto signOut = m_outputSign[k].middleCols(g, n);
    fillRandomSigns(stream, signIn.data(), signIn.size());
    fillRandomSigns(stream, signOut.data(), signOut.size());
    if (l == 0) {
      const auto x = batch.inputs.middleCols(cols.begin, n);
      gemm(muW, Op::None, x, Op::None, z);
      u = (signIn.array() * x.array()).matrix();
    } else {
      const auto a = m_output[k - 1].middleCols(g, n);
      gemm(muW, Op::None, a, Op::None, z);
      u = (signIn.array() * a.array()).matrix();
    }
    z.colwise() += muB;
    MatrixMap v(unit.scratch.data(), shape.outputs, n);
    gemm(deltaW, Op::None, u, Op::None, v);
    v.colwise() += deltaB;
    z.array() += signOut.array() * v.array();
    if (l + 1 < L) applyActivation(m_activation, z);
  }
}

void FlipoutKernel::backwardChunk(Unit& unit, Index s, Index c, const Real* mu) {
  const Range cols = partRange(m_batch, m_chunks, c);
  const Index n = cols.size, g = s * m_batch + cols.begin;
  const Real* perturbation = m_perturbation.col(s).data();
  for (Index l = m_layout.layerCount() - 1; l >= 0; --l) {
    const LayerShape& shape = m_layout.layer(l);
    const auto k = static_cast<size_t>(l);
    const auto d = m_delta[k].middleCols(g, n);
    auto dv = m_outputSign[k].middleCols(g, n);
    dv.array() *= d.array();
    if (l == 0) break;
    const ConstMatrixMap muW(mu + shape.weightOffset, shape.outputs, shape.inputs);
    const ConstMatrixMap deltaW(perturbation + shape.weightOffset, shape.outputs, shape.inputs);
    auto previous = m_delta[k - 1].middleCols(g, n);
    const auto a = m_output[k - 1].middleCols(g, n);
    MatrixMap t(unit.scratch.data(), shape.inputs, n);
    gemm(muW, Op::Transpose, d, Op::None, previous);
    gemm(deltaW, Op::Transpose, dv, Op::None, t);
    previous.array() += m_inputSign[k].middleCols(g, n).array() * t.array();
    multiplyActivationDerivative(m_activation, previous, a);
  }
}

void FlipoutKernel::weightGradient(Job& job, const Batch& batch, Real* dMu, Real* dSigma) {
  const LayerShape& shape = m_layout.layer(job.layer);
  const auto k = static_cast<size_t>(job.layer);
  const Index B = m_batch, S = m_samples;
  const Index c0 = job.columnBegin, cols = job.columnCount;
  const bool biases = c0 == 0;  // the first column block also does the biases
  if (!job.sigma) {
    auto gW = MatrixMap(dMu + shape.weightOffset, shape.outputs, shape.inputs).middleCols(c0, cols);
    const Matrix& D = m_delta[k];
    if (job.layer == 0 && S > 1) {
      // The input is the same for every sample: sum the deltas first.
      job.scratch = D.middleCols(0, B);
      for (Index s = 1; s < S; ++s) job.scratch += D.middleCols(s * B, B);
      gemm(job.scratch, Op::None, batch.inputs.middleRows(c0, cols), Op::Transpose, gW);
    } else if (job.layer == 0) {
      gemm(D, Op::None, batch.inputs.middleRows(c0, cols), Op::Transpose, gW);
    } else {
      gemm(D, Op::None, m_output[k - 1].middleRows(c0, cols), Op::Transpose, gW);
    }
    if (biases) VectorMap(dMu + shape.biasOffset, shape.outputs).noalias() = D.rowwise().sum();
    return;
  }
  // Each sample has its own E, so the sigma gradient is a sum of per-sample products.
  auto gW =
      MatrixMap(dSigma + shape.weightOffset, shape.outputs, shape.inputs).middleCols(c0, cols);
  auto gB = VectorMap(dSigma + shape.biasOffset, shape.outputs);
  for (Index s = 0; s < S; ++s) {
    const auto dv = m_outputSign[k].middleCols(s * B, B);
    const auto u = m_flipped[k].block(c0, s * B, cols, B);
    const ConstArrayMap eW(m_unitNoise.col(s).data() + shape.weightOffset + c0 * shape.outputs,
                           gW.size());
    const auto eB = m_unitNoise.col(s).segment(shape.biasOffset, shape.outputs).array();
    ArrayMap g(gW.data(), gW.size());
    if (s == 0) {
      gemm(dv, Op::None, u, Op::Transpose, gW);
      g *= eW;
      if (biases) gB = (dv.rowwise().sum().array() * eB).matrix();
    } else {
      job.scratch.resize(shape.outputs, cols);
      gemm(dv, Op::None, u, Op::Transpose, job.scratch);
      g += job.scratch.reshaped().array() * eW;
      if (biases) gB.array() += dv.rowwise().sum().array() * eB;
    }
  }
}

BAYESLAB_END_NAMESPACE
