#include "engine/methods/mnf/mnf_kernel.h"

#include <algorithm>

#include "engine/core/gemm.h"
#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
// Batch columns per unit, as the mean-field local reparameterisation kernel.
constexpr Index kChunkColumns = 64;
constexpr Index kMaxChunks = 16;
}  // namespace

MnfKernel::MnfKernel(MnfStructure structure, Activation activation,
                     std::shared_ptr<const Likelihood> likelihood, Index jobWork)
    : m_structure(std::move(structure)),
      m_layout(m_structure.layout()),
      m_activation(activation),
      m_likelihood(std::move(likelihood)),
      m_jobWork(std::max<Index>(1, jobWork)) {}

void MnfKernel::prepare(Index samples, Index batch) {
  if (samples == m_samples && batch == m_batch) return;
  m_samples = samples;
  m_batch = batch;
  m_chunks = bayeslab::unitCount(batch, kChunkColumns, kMaxChunks);
  const Index L = m_layout.layerCount();
  const Index columns = samples * batch;
  const auto layers = static_cast<size_t>(L);
  m_inputSquared.resize(m_layout.inputDim(), batch);
  m_noiseDraw.resize(layers);
  m_scaledInput.resize(layers);
  m_inputSquaredHidden.resize(layers);
  m_output.resize(layers);
  m_noise.resize(layers);
  m_delta.resize(layers);
  m_tapes.resize(layers);
  Index widestIn = 0, widestOut = 0;
  m_jobs.clear();
  for (Index l = 0; l < L; ++l) {
    const LayerShape& s = m_layout.layer(l);
    const auto k = static_cast<size_t>(l);
    m_noiseDraw[k].resize(s.inputs, columns);
    m_scaledInput[k].resize(s.inputs, columns);
    if (l > 0) m_inputSquaredHidden[k].resize(s.inputs, columns);
    m_output[k].resize(s.outputs, columns);
    m_noise[k].resize(s.outputs, columns);
    m_delta[k].resize(s.outputs, columns);
    m_tapes[k].resize(m_structure.layer(l).noise, columns);
    widestIn = std::max(widestIn, s.inputs);
    widestOut = std::max(widestOut, s.outputs);
    // Blocks of the gradient's columns (inputs), as the mean-field kernel; the
    // means' product has depth S B (a . z differs per sample), the variances'
    // B for layer 0 (x^2 is shared: the deltas are summed over samples first).
    for (int part = 0; part < 2; ++part) {
      const Index depth = part == 1 && l == 0 ? batch : columns;
      const Index perColumn = std::max<Index>(1, s.outputs * depth);
      const Index blocks = std::min(s.inputs, (s.inputs * perColumn + m_jobWork - 1) / m_jobWork);
      for (Index b = 0; b < blocks; ++b) {
        const Range cols = partRange(s.inputs, blocks, b);
        Job job;
        job.kind = part == 0 ? JobKind::Mean : JobKind::Variance;
        job.layer = l;
        job.columnBegin = cols.begin;
        job.columnCount = cols.size;
        if (part == 1 && l == 0 && samples > 1) job.sampleSum.resize(s.outputs, batch);
        m_jobs.push_back(std::move(job));
      }
    }
    for (Index step = 0; step < m_structure.flowSteps(); ++step) {
      Job job;
      job.kind = JobKind::FlowStep;
      job.layer = l;
      job.step = step;
      m_jobs.push_back(std::move(job));
    }
    Job base;
    base.kind = JobKind::Base;
    base.layer = l;
    m_jobs.push_back(std::move(base));
  }
  m_preparations.clear();
  m_meanT.assign(layers, 0);
  m_varianceT.assign(layers, 0);
  m_flowT.assign(layers, 0);
  Index transposed = 0;
  for (Index l = 0; l < L; ++l) {
    const LayerShape& s = m_layout.layer(l);
    const auto k = static_cast<size_t>(l);
    const NormalisingFlow& flow = m_structure.layer(l).noise.flow();
    m_meanT[k] = transposed;
    transposed += s.weightCount();
    m_preparations.push_back({JobKind::Mean, l, 0});
    if (l > 0) {
      m_varianceT[k] = transposed;
      transposed += s.weightCount();
      m_preparations.push_back({JobKind::Variance, l, 0});
    }
    m_flowT[k] = transposed;
    transposed += flow.transposedCount();
    if (flow.transposedCount() > 0)
      for (Index step = 0; step < flow.steps(); ++step)
        m_preparations.push_back({JobKind::FlowStep, l, step});
  }
  m_transposed.resize(transposed);
  // The largest products first, so the last job to start is a small one.
  std::stable_sort(m_jobs.begin(), m_jobs.end(), [&](const Job& a, const Job& b) {
    const auto work = [&](const Job& j) {
      const LayerShape& s = m_layout.layer(j.layer);
      if (j.kind == JobKind::Base) return Index(0);
      if (j.kind == JobKind::FlowStep)
        return columns * m_structure.layer(j.layer).noise.flow().stepParameterCount();
      return j.columnCount * s.outputs * columns;
    };
    return work(a) > work(b);
  });
  m_units.resize(static_cast<size_t>(samples * m_chunks));
  const Index chunkColumns = partRange(batch, m_chunks, 0).size;
  for (Unit& unit : m_units) {
    unit.v.resize(widestOut, chunkColumns);
    unit.g.resize(widestIn, chunkColumns);
    unit.t.resize(widestIn, chunkColumns);
    unit.flow.resize(layers);
    for (Index l = 0; l < L; ++l)
      unit.flow[static_cast<size_t>(l)].resize(m_structure.layer(l).noise.flow(), chunkColumns);
  }
}

void MnfKernel::begin(const Arguments& args) {
  const Batch& batch = *args.batch;
  prepare(std::max<Index>(1, args.samples), batch.size());
  m_inputSquared = batch.inputs.array().square().matrix();
}

void MnfKernel::runPreparation(Index i, const Arguments& args) {
  const Preparation& p = m_preparations[static_cast<size_t>(i)];
  const LayerShape& s = m_layout.layer(p.layer);
  const auto k = static_cast<size_t>(p.layer);
  switch (p.kind) {
    case JobKind::Mean:
      transposeInto(ConstMatrixMap(args.mu + s.weightOffset, s.outputs, s.inputs),
                    m_transposed.data() + m_meanT[k]);
      return;
    case JobKind::Variance:
      transposeInto(ConstMatrixMap(args.variance + s.weightOffset, s.outputs, s.inputs),
                    m_transposed.data() + m_varianceT[k]);
      return;
    default: {
      if (args.fixedMultipliers) return;
      const MnfLayerBlock& block = m_structure.layer(p.layer);
      block.noise.flow().transposeWeights(
          p.step, args.auxiliary + block.noiseOffset + 2 * block.noise.dim(),
          m_transposed.data() + m_flowT[k]);
      return;
    }
  }
}

void MnfKernel::runUnit(Index u, const Arguments& args) {
  Unit& unit = m_units[static_cast<size_t>(u)];
  const Index s = u / m_chunks, c = u % m_chunks;
  const Index B = m_batch;
  const Range cols = partRange(B, m_chunks, c);
  forward(unit, s, c, args);
  const auto output = m_output.back().middleCols(s * B + cols.begin, cols.size);
  const TargetView y = TargetView::of(*args.batch, cols.begin, cols.size);
  const Index Lp = m_likelihood->parameterCount();
  if (!args.dMu) {
    unit.logLikelihood = m_likelihood->logLikelihood(output, y, args.phi, 0, nullptr, nullptr);
    return;
  }
  if (Lp > 0) unit.likelihoodGradient.setZero(Lp);
  unit.logLikelihood =
      m_likelihood->logLikelihood(output, y, args.phi, args.gradientScale, &unit.outputGradient,
                                  Lp > 0 ? unit.likelihoodGradient.data() : nullptr);
  m_delta.back().middleCols(s * B + cols.begin, cols.size) = unit.outputGradient;
  backward(unit, s, c, args);
}

double MnfKernel::logLikelihood() const {
  double total = 0.0;
  for (const Unit& unit : m_units) total += unit.logLikelihood;
  return total;
}

void MnfKernel::addLikelihoodGradient(Real* dPhi) const {
  const Index Lp = m_likelihood->parameterCount();
  if (!dPhi || Lp == 0) return;
  for (const Unit& unit : m_units) VectorMap(dPhi, Lp) += unit.likelihoodGradient;
}

void MnfKernel::forward(Unit& unit, Index s, Index c, const Arguments& args) {
  const Batch& batch = *args.batch;
  const Index B = m_batch;
  const Range cols = partRange(B, m_chunks, c);
  const Index n = cols.size, g = s * B + cols.begin;
  const Index L = m_layout.layerCount();
  RandomStream stream =
      args.rng.derive(static_cast<std::uint64_t>(s)).derive(static_cast<std::uint64_t>(c));
  for (Index l = 0; l < L; ++l) {
    const LayerShape& shape = m_layout.layer(l);
    const MnfLayerBlock& block = m_structure.layer(l);
    const auto k = static_cast<size_t>(l);
    const ConstMatrixMap muW(args.mu + shape.weightOffset, shape.outputs, shape.inputs);
    const ConstVectorMap muB(args.mu + shape.biasOffset, shape.outputs);
    const ConstMatrixMap varW(args.variance + shape.weightOffset, shape.outputs, shape.inputs);
    const ConstVectorMap varB(args.variance + shape.biasOffset, shape.outputs);
    auto z = m_noiseDraw[k].middleCols(g, n);
    if (args.fixedMultipliers)
      z.setOnes();
    else
      block.noise.draw(args.auxiliary + block.noiseOffset, z, m_tapes[k], g, stream, nullptr,
                       unit.flow[k]);
    auto scaled = m_scaledInput[k].middleCols(g, n);
    if (l == 0)
      scaled = batch.inputs.middleCols(cols.begin, n).cwiseProduct(z);
    else
      scaled = m_output[k - 1].middleCols(g, n).cwiseProduct(z);
    auto b = m_output[k].middleCols(g, n);
    auto v = unit.v.topLeftCorner(shape.outputs, n);
    gemm(muW, Op::None, scaled, Op::None, b);
    if (l == 0)
      gemm(varW, Op::None, m_inputSquared.middleCols(cols.begin, n), Op::None, v);
    else
      gemm(varW, Op::None, m_inputSquaredHidden[k].middleCols(g, n), Op::None, v);
    b.colwise() += muB;
    v.colwise() += varB;
    auto noise = m_noise[k].middleCols(g, n);  // whole columns: contiguous
    stream.fillNormal(noise.data(), noise.size());
    v = v.array().sqrt().matrix();
    b.array() += v.array() * noise.array();
    noise.array() *= Real(0.5) / v.array();  // eps / (2 sqrt(v)), what backward needs
    if (l + 1 < L) {
      applyActivation(m_activation, b);
      m_inputSquaredHidden[k + 1].middleCols(g, n) = b.array().square().matrix();
    }
  }
}

void MnfKernel::backward(Unit& unit, Index s, Index c, const Arguments& args) {
  const Range cols = partRange(m_batch, m_chunks, c);
  const Index n = cols.size, g = s * m_batch + cols.begin;
  for (Index l = m_layout.layerCount() - 1; l >= 0; --l) {
    const LayerShape& shape = m_layout.layer(l);
    const MnfLayerBlock& block = m_structure.layer(l);
    const auto k = static_cast<size_t>(l);
    const auto delta = m_delta[k].middleCols(g, n);
    auto dv = m_noise[k].middleCols(g, n);
    dv.array() *= delta.array();
    const ConstMatrixMap muT(m_transposed.data() + m_meanT[k], shape.inputs, shape.outputs);
    auto gz = unit.g.topLeftCorner(shape.inputs, n);
    gemm(muT, Op::None, delta, Op::None, gz);  // dJ/d(a . z)
    const auto z = m_noiseDraw[k].middleCols(g, n);
    if (l > 0) {
      const ConstMatrixMap varT(m_transposed.data() + m_varianceT[k], shape.inputs, shape.outputs);
      auto previous = m_delta[k - 1].middleCols(g, n);
      const auto a = m_output[k - 1].middleCols(g, n);
      auto t = unit.t.topLeftCorner(shape.inputs, n);
      gemm(varT, Op::None, dv, Op::None, t);
      previous.array() = z.array() * gz.array() + Real(2) * a.array() * t.array();
      multiplyActivationDerivative(m_activation, previous, a);
    }
    if (args.fixedMultipliers) continue;
    // dJ/dz = a . dJ/d(a . z), then back through q(z).
    if (l == 0)
      gz.array() *= args.batch->inputs.middleCols(cols.begin, n).array();
    else
      gz.array() *= m_output[k - 1].middleCols(g, n).array();
    block.noise.backward(args.auxiliary + block.noiseOffset, gz, m_tapes[k], g, Real(0),
                         unit.flow[k], m_transposed.data() + m_flowT[k]);
  }
}

void MnfKernel::runJob(Index j, const Arguments& args) {
  Job& job = m_jobs[static_cast<size_t>(j)];
  const Index columns = m_samples * m_batch;
  const MnfLayerBlock& block = m_structure.layer(job.layer);
  const Real* q = args.auxiliary + block.noiseOffset;
  Real* dq = args.dAuxiliary + block.noiseOffset;
  const auto k = static_cast<size_t>(job.layer);
  switch (job.kind) {
    case JobKind::Mean:
    case JobKind::Variance:
      weightGradient(job, args);
      return;
    case JobKind::FlowStep:
      if (args.fixedMultipliers) return;
      block.noise.flow().stepGradient(job.step, q + 2 * block.noise.dim(), m_tapes[k].flow, 0,
                                      columns, dq + 2 * block.noise.dim(), false);
      return;
    case JobKind::Base:
      if (args.fixedMultipliers) return;
      block.noise.baseGradient(q, m_tapes[k], 0, columns, dq, false);
      return;
  }
}

void MnfKernel::weightGradient(Job& job, const Arguments& args) {
  const LayerShape& shape = m_layout.layer(job.layer);
  const auto k = static_cast<size_t>(job.layer);
  const Index B = m_batch, S = m_samples;
  const Index c0 = job.columnBegin, cols = job.columnCount;
  const bool variance = job.kind == JobKind::Variance;
  // Means read delta, variances dv (stored over the noise).
  const Matrix& D = variance ? m_noise[k] : m_delta[k];
  Real* target = variance ? args.dLogSigma : args.dMu;
  auto gW =
      MatrixMap(target + shape.weightOffset, shape.outputs, shape.inputs).middleCols(c0, cols);
  if (!variance) {
    gemm(D, Op::None, m_scaledInput[k].middleRows(c0, cols), Op::Transpose, gW);
  } else if (job.layer == 0) {
    if (S == 1) {
      gemm(D, Op::None, m_inputSquared.middleRows(c0, cols), Op::Transpose, gW);
    } else {
      job.sampleSum = D.middleCols(0, B);
      for (Index s = 1; s < S; ++s) job.sampleSum += D.middleCols(s * B, B);
      gemm(job.sampleSum, Op::None, m_inputSquared.middleRows(c0, cols), Op::Transpose, gW);
    }
  } else {
    gemm(D, Op::None, m_inputSquaredHidden[k].middleRows(c0, cols), Op::Transpose, gW);
  }
  // d/dlog sigma = 2 sigma^2 d/d(sigma^2).
  const Real* varW = args.variance + shape.weightOffset + c0 * shape.outputs;
  if (variance) ArrayMap(gW.data(), gW.size()) *= Real(2) * ConstArrayMap(varW, gW.size());
  if (c0 != 0) return;  // the first column block also does the biases
  auto gB = VectorMap(target + shape.biasOffset, shape.outputs);
  gB.noalias() = D.rowwise().sum();
  if (variance)
    gB.array() *= Real(2) * ConstArrayMap(args.variance + shape.biasOffset, shape.outputs);
}

BAYESLAB_END_NAMESPACE
