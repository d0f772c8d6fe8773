#include "engine/methods/bbb_lrt/local_reparameterisation_kernel.h"

#include <algorithm>

#include "engine/core/gemm.h"
#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
// Batch columns per unit: wider than BatchEvaluator's chunks because every layer here
// runs two products per pass, and each product packs the whole weight matrix again.
constexpr Index kLrtChunkColumns = 64;
constexpr Index kLrtMaxChunks = 16;
}  // namespace

LocalReparameterisationKernel::LocalReparameterisationKernel(
    MlpLayout layout, Activation activation, std::shared_ptr<const Likelihood> likelihood,
    Index jobWork)
    : m_layout(std::move(layout)),
      m_activation(activation),
      m_likelihood(std::move(likelihood)),
      m_jobWork(std::max<Index>(1, jobWork)) {}

void LocalReparameterisationKernel::prepare(Index samples, Index batch) {
  if (samples == m_samples && batch == m_batch) return;
  m_samples = samples;
  m_batch = batch;
  m_chunks = unitCount(batch, kLrtChunkColumns, kLrtMaxChunks);
  const Index L = m_layout.layerCount();
  const Index columns = samples * batch;
  m_variance.resize(m_layout.parameterCount());
  m_inputSquared.resize(m_layout.inputDim(), batch);
  m_output.resize(static_cast<size_t>(L));
  m_inputSquaredHidden.resize(static_cast<size_t>(L));
  m_noise.resize(static_cast<size_t>(L));
  m_delta.resize(static_cast<size_t>(L));
  Index widest = m_layout.inputDim();
  m_jobs.clear();
  m_parts = 0;
  Index pairs = 0;
  for (Index l = 0; l < L; ++l) {
    const LayerShape& s = m_layout.layer(l);
    const auto k = static_cast<size_t>(l);
    m_output[k].resize(s.outputs, columns);
    if (l > 0) m_inputSquaredHidden[k].resize(s.inputs, columns);
    m_noise[k].resize(s.outputs, columns);
    m_delta[k].resize(s.outputs, columns);
    widest = std::max(widest, s.outputs);
    // Each job is a block of the gradient's columns (inputs): a contiguous slice of a
    // column-major matrix, and only its slice of the right-hand side is packed.
    // Layer 0 sums the delta over samples before its GEMM, so its depth is B.
    const Index depth = l == 0 ? batch : columns;
    const Index perColumn = std::max<Index>(1, s.outputs * depth);
    const Index blocks = std::min(s.inputs, (s.inputs * perColumn + m_jobWork - 1) / m_jobWork);
    const Index firstPair = pairs;
    for (int part = 0; part < 2; ++part) {
      Index finishPart = m_parts;
      for (Index b = 0; b < blocks; ++b) {
        const Range cols = partRange(s.inputs, blocks, b);
        Job job;
        job.layer = l;
        job.variance = part == 1;
        job.columnBegin = cols.begin;
        job.columnCount = cols.size;
        job.pair = firstPair + b;
        job.part = finishPart;
        finishPart += b == 0 ? 2 : 1;  // the first block also finishes the biases
        if (l == 0 && samples > 1) job.sampleSum.resize(s.outputs, batch);
        m_jobs.push_back(std::move(job));
      }
      if (part == 1) m_parts = finishPart;
    }
    pairs += blocks;
  }
  m_pairDone = std::vector<std::atomic<int>>(static_cast<size_t>(pairs));
  m_units.resize(static_cast<size_t>(samples * m_chunks));
  const Index chunkColumns = partRange(batch, m_chunks, 0).size;
  for (Unit& unit : m_units) unit.scratch.resize(widest * chunkColumns);
}

double LocalReparameterisationKernel::evaluate(const Batch& batch, Index samples, const Real* mu,
                                               const Real* sigma, const Real* phi,
                                               Real gradientScale, Real* dMu, Real* dSigma,
                                               Real* dPhi, const RandomStream& rng, int threads) {
  return run(batch, samples, mu, sigma, phi, gradientScale, dMu, dSigma, dPhi, rng, threads,
             nullptr);
}

double LocalReparameterisationKernel::evaluate(const Batch& batch, Index samples, const Real* mu,
                                               const Real* sigma, const Real* phi,
                                               Real gradientScale, Real* dMu, Real* dSigma,
                                               Real* dPhi, const RandomStream& rng, int threads,
                                               const BlockPasses& passes) {
  return run(batch, samples, mu, sigma, phi, gradientScale, dMu, dSigma, dPhi, rng, threads,
             &passes);
}

Index LocalReparameterisationKernel::finishParts(Index samples, Index batch) {
  prepare(samples, batch);
  return m_parts;
}

Range LocalReparameterisationKernel::jobWeights(const Job& job) const {
  const LayerShape& shape = m_layout.layer(job.layer);
  return {shape.weightOffset + job.columnBegin * shape.outputs, job.columnCount * shape.outputs};
}

double LocalReparameterisationKernel::run(const Batch& batch, Index samples, const Real* mu,
                                          const Real* sigma, const Real* phi, Real gradientScale,
                                          Real* dMu, Real* dSigma, Real* dPhi,
                                          const RandomStream& rng, int threads,
                                          const BlockPasses* passes) {
  const Index B = batch.size();
  const Index P = m_layout.parameterCount();
  const Index Lp = m_likelihood->parameterCount();
  prepare(samples, B);
  const Index chunks = m_chunks;
  const Index blocks = parameterBlocks(P);
  const bool wantGradient = dMu != nullptr;
  const auto jobCount = static_cast<Index>(m_jobs.size());
  // The caller's finish of job j's parts.
  const auto finish = [&](const Job& job) {
    passes->finish(jobWeights(job), job.part);
    if (job.columnBegin != 0) return;
    const LayerShape& shape = m_layout.layer(job.layer);
    passes->finish({shape.biasOffset, shape.outputs}, job.part + 1);
  };

  // sigma^2 over parameter blocks, each just after the caller's prepare wrote its
  // sigma, and x^2 over batch chunks.
  parallelFor(threads, blocks + chunks, [&](Index job) {
    if (job < blocks) {
      const Range r = partRange(P, blocks, job);
      if (passes) passes->prepare(job);
      ArrayMap(m_variance.data() + r.begin, r.size) =
          ConstArrayMap(sigma + r.begin, r.size).square();
    } else {
      const Range cols = partRange(B, chunks, job - blocks);
      m_inputSquared.middleCols(cols.begin, cols.size) =
          batch.inputs.middleCols(cols.begin, cols.size).array().square().matrix();
    }
  });

  parallelFor(threads, samples * chunks, [&](Index u) {
    Unit& unit = m_units[static_cast<size_t>(u)];
    const Index s = u / chunks, c = u % chunks;
    forwardChunk(unit, s, c, batch, mu, rng);
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
  if (!wantGradient) {
    if (passes)
      parallelFor(threads, jobCount, [&](Index j) {
        const Job& job = m_jobs[static_cast<size_t>(j)];
        if (!job.variance) finish(job);
      });
    return total;
  }

  if (passes)
    for (std::atomic<int>& done : m_pairDone) done.store(0, std::memory_order_relaxed);
  parallelFor(threads, jobCount, [&](Index j) {
    Job& job = m_jobs[static_cast<size_t>(j)];
    weightGradient(job, batch, sigma, dMu, dSigma);
    // The second of a pair to finish sees the first's gradient (acquire-release).
    if (passes &&
        m_pairDone[static_cast<size_t>(job.pair)].fetch_add(1, std::memory_order_acq_rel) == 1)
      finish(job);
  });
  if (dPhi && Lp > 0)
    for (const Unit& unit : m_units) VectorMap(dPhi, Lp) += unit.likelihoodGradient;
  return total;
}

void LocalReparameterisationKernel::forwardChunk(Unit& unit, Index s, Index c, const Batch& batch,
                                                 const Real* mu, const RandomStream& rng) {
  const Index B = batch.size();
  const Range cols = partRange(B, m_chunks, c);
  const Index n = cols.size, g = s * B + cols.begin;
  const Index L = m_layout.layerCount();
  RandomStream stream =
      rng.derive(static_cast<std::uint64_t>(s)).derive(static_cast<std::uint64_t>(c));
  for (Index l = 0; l < L; ++l) {
    const LayerShape& shape = m_layout.layer(l);
    const auto k = static_cast<size_t>(l);
    const ConstMatrixMap muW(mu + shape.weightOffset, shape.outputs, shape.inputs);
    const ConstVectorMap muB(mu + shape.biasOffset, shape.outputs);
    const ConstMatrixMap varW(m_variance.data() + shape.weightOffset, shape.outputs, shape.inputs);
    const ConstVectorMap varB(m_variance.data() + shape.biasOffset, shape.outputs);
    auto z = m_output[k].middleCols(g, n);
    MatrixMap v(unit.scratch.data(), shape.outputs, n);
    if (l == 0) {
      gemm(muW, Op::None, batch.inputs.middleCols(cols.begin, n), Op::None, z);
      gemm(varW, Op::None, m_inputSquared.middleCols(cols.begin, n), Op::None, v);
    } else {
      gemm(muW, Op::None, m_output[k - 1].middleCols(g, n), Op::None, z);
      gemm(varW, Op::None, m_inputSquaredHidden[k].middleCols(g, n), Op::None, v);
    }
    z.colwise() += muB;
    v.colwise() += varB;
    auto noise = m_noise[k].middleCols(g, n);  // contiguous: whole columns
    stream.fillNormal(noise.data(), noise.size());
    v = v.array().sqrt().matrix();
    z.array() += v.array() * noise.array();
    noise.array() *= Real(0.5) / v.array();  // eps / (2 sqrt(v)), what backward needs
    if (l + 1 < L) {
      applyActivation(m_activation, z);
      m_inputSquaredHidden[k + 1].middleCols(g, n) = z.array().square().matrix();
    }
  }
}

void LocalReparameterisationKernel::backwardChunk(Unit& unit, Index s, Index c, const Real* mu) {
  const Range cols = partRange(m_batch, m_chunks, c);
  const Index n = cols.size, g = s * m_batch + cols.begin;
  for (Index l = m_layout.layerCount() - 1; l >= 0; --l) {
    const LayerShape& shape = m_layout.layer(l);
    const auto k = static_cast<size_t>(l);
    const auto delta = m_delta[k].middleCols(g, n);
    auto dv = m_noise[k].middleCols(g, n);
    dv.array() *= delta.array();
    if (l == 0) break;
    const ConstMatrixMap muW(mu + shape.weightOffset, shape.outputs, shape.inputs);
    const ConstMatrixMap varW(m_variance.data() + shape.weightOffset, shape.outputs, shape.inputs);
    auto previous = m_delta[k - 1].middleCols(g, n);
    const auto a = m_output[k - 1].middleCols(g, n);
    MatrixMap t(unit.scratch.data(), shape.inputs, n);
    gemm(muW, Op::Transpose, delta, Op::None, previous);
    gemm(varW, Op::Transpose, dv, Op::None, t);
    previous.array() += Real(2) * a.array() * t.array();
    multiplyActivationDerivative(m_activation, previous, a);
  }
}

void LocalReparameterisationKernel::weightGradient(Job& job, const Batch& batch, const Real* sigma,
                                                   Real* dMu, Real* dSigma) {
  const bool variance = job.variance;
  const LayerShape& shape = m_layout.layer(job.layer);
  const auto k = static_cast<size_t>(job.layer);
  const Index B = m_batch, S = m_samples;
  const Index c0 = job.columnBegin, cols = job.columnCount;
  // Means read delta, standard deviations read dv (stored over the noise).
  const Matrix& D = variance ? m_noise[k] : m_delta[k];
  Real* target = variance ? dSigma : dMu;
  auto gW =
      MatrixMap(target + shape.weightOffset, shape.outputs, shape.inputs).middleCols(c0, cols);
  if (job.layer == 0) {
    // The input is the same for every sample: sum the deltas first, one GEMM of depth B.
    const Matrix& input = variance ? m_inputSquared : batch.inputs;
    if (S == 1) {
      gemm(D, Op::None, input.middleRows(c0, cols), Op::Transpose, gW);
    } else {
      job.sampleSum = D.middleCols(0, B);
      for (Index s = 1; s < S; ++s) job.sampleSum += D.middleCols(s * B, B);
      gemm(job.sampleSum, Op::None, input.middleRows(c0, cols), Op::Transpose, gW);
    }
  } else {
    const Matrix& input = variance ? m_inputSquaredHidden[k] : m_output[k - 1];
    gemm(D, Op::None, input.middleRows(c0, cols), Op::Transpose, gW);
  }
  // d/dsigma = 2 sigma d/d(sigma^2).
  const Real* sigmaW = sigma + shape.weightOffset + c0 * shape.outputs;
  if (variance) ArrayMap(gW.data(), gW.size()) *= Real(2) * ConstArrayMap(sigmaW, gW.size());
  if (c0 != 0) return;  // the first column block also does the biases
  auto gB = VectorMap(target + shape.biasOffset, shape.outputs);
  gB.noalias() = D.rowwise().sum();
  if (variance) gB.array() *= Real(2) * ConstArrayMap(sigma + shape.biasOffset, shape.outputs);
}

BAYESLAB_END_NAMESPACE
