#include "engine/methods/common/batch_evaluator.h"

#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
constexpr Index kEvaluatorChunkColumns = 32;
constexpr Index kEvaluatorMaxChunks = 16;
}  // namespace

BatchEvaluator::BatchEvaluator(MlpKernel kernel, std::shared_ptr<const Likelihood> likelihood)
    : m_kernel(std::move(kernel)), m_likelihood(std::move(likelihood)) {}

Index BatchEvaluator::chunkCount(Index batchSize) {
  return unitCount(batchSize, kEvaluatorChunkColumns, kEvaluatorMaxChunks);
}

double BatchEvaluator::evaluate(const Batch& batch, Index samples, const Real* weights,
                                const Real* likelihoodParams, Real gradientScale, Real* gradients,
                                Real* likelihoodGradient, int threads) {
  return run(batch, samples, weights, likelihoodParams, gradientScale, gradients, true,
             likelihoodGradient, threads);
}

double BatchEvaluator::evaluateUnreduced(const Batch& batch, Index samples, const Real* weights,
                                         const Real* likelihoodParams, Real gradientScale,
                                         Real* likelihoodGradient, int threads) {
  return run(batch, samples, weights, likelihoodParams, gradientScale, nullptr, false,
             likelihoodGradient, threads);
}

double BatchEvaluator::run(const Batch& batch, Index samples, const Real* weights,
                           const Real* likelihoodParams, Real gradientScale, Real* gradients,
                           bool reduce, Real* likelihoodGradient, int threads) {
  const Index P = m_kernel.layout().parameterCount();
  const Index L = m_likelihood->parameterCount();
  const Index B = batch.size();
  const Index chunks = chunkCount(B);
  const Index units = samples * chunks;
  const bool wantGradient = gradients != nullptr || !reduce;
  // A single chunk writes its gradient in place when the caller wants it reduced.
  const bool direct = chunks == 1 && reduce;
  if (static_cast<Index>(m_units.size()) < units) m_units.resize(static_cast<size_t>(units));
  m_sampleLogLik.assign(static_cast<size_t>(samples), 0.0);

  parallelFor(threads, units, [&](Index u) {
    Unit& unit = m_units[static_cast<size_t>(u)];
    const Index s = u / chunks, c = u % chunks;
    const Range cols = partRange(B, chunks, c);
    const Real* w = weights + s * P;
    const auto x = batch.inputs.middleCols(cols.begin, cols.size);
    const Matrix& out = m_kernel.forward(w, x, unit.workspace);
    const TargetView y = TargetView::of(batch, cols.begin, cols.size);
    if (!wantGradient) {
      unit.logLikelihood =
          m_likelihood->logLikelihood(out, y, likelihoodParams, 0, nullptr, nullptr);
      return;
    }
    if (L > 0) unit.likelihoodGradient.setZero(L);
    unit.logLikelihood = m_likelihood->logLikelihood(
        out, y, likelihoodParams, gradientScale, &unit.workspace.outputGradient(),
        L > 0 ? unit.likelihoodGradient.data() : nullptr);
    Real* target = nullptr;
    if (direct) {
      target = gradients + s * P;
    } else {
      unit.gradient.resize(P);
      target = unit.gradient.data();
    }
    m_kernel.backward(w, x, unit.workspace, target);
  });

  double total = 0.0;
  for (Index u = 0; u < units; ++u) {
    const double ll = m_units[static_cast<size_t>(u)].logLikelihood;
    m_sampleLogLik[static_cast<size_t>(u / chunks)] += ll;
    total += ll;
  }
  if (!wantGradient) return total;

  if (!direct && reduce) {
    const Index blocks = parameterBlocks(P);
    parallelFor(threads, samples * blocks, [&](Index job) {
      const Index s = job / blocks;
      const Range r = partRange(P, blocks, job % blocks);
      VectorMap g(gradients + s * P + r.begin, r.size);
      g = m_units[static_cast<size_t>(s * chunks)].gradient.segment(r.begin, r.size);
      for (Index c = 1; c < chunks; ++c)
        g += m_units[static_cast<size_t>(s * chunks + c)].gradient.segment(r.begin, r.size);
    });
  }
  if (likelihoodGradient && L > 0)
    for (Index u = 0; u < units; ++u)
      VectorMap(likelihoodGradient, L) += m_units[static_cast<size_t>(u)].likelihoodGradient;
  return total;
}

BAYESLAB_END_NAMESPACE
