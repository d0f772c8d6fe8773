#include "engine/methods/mc_dropout/dropout_kernel.h"

#include "engine/core/gemm.h"
#include "engine/core/parallel.h"
#include "engine/methods/common/batch_evaluator.h"

BAYESLAB_BEGIN_NAMESPACE

void DropoutSettings::uniformsToMask(Real* values, Index n) const {
  const Real keepProbability = static_cast<Real>(keep());
  const Real scale = Real(1) / keepProbability;
  ArrayMap m(values, n);
  m = (m <= keepProbability).template cast<Real>() * scale;
}

DropoutKernel::DropoutKernel(MlpLayout layout, Activation activation,
                             std::shared_ptr<const Likelihood> likelihood, DropoutSettings settings)
    : m_layout(std::move(layout)),
      m_activation(activation),
      m_likelihood(std::move(likelihood)),
      m_settings(settings) {}

void DropoutKernel::forward(Unit& unit, const Eigen::Ref<const Matrix>& x, const Real* weights,
                            RandomStream& stream) const {
  const Index L = m_layout.layerCount(), n = x.cols();
  unit.mask.resize(static_cast<size_t>(L));
  unit.input.resize(static_cast<size_t>(L));
  unit.activations.resize(static_cast<size_t>(L));
  unit.deltas.resize(static_cast<size_t>(L));
  for (Index l = 0; l < L; ++l) {
    const LayerShape& s = m_layout.layer(l);
    const auto k = static_cast<size_t>(l);
    const ConstMatrixMap W(weights + s.weightOffset, s.outputs, s.inputs);
    const ConstVectorMap b(weights + s.biasOffset, s.outputs);
    Matrix& z = unit.activations[k];
    z.resize(s.outputs, n);
    unit.deltas[k].resize(s.outputs, n);
    if (m_settings.dropsInputOf(l)) {
      Matrix& mask = unit.mask[k];
      mask.resize(s.inputs, n);
      stream.fillUniform(mask.data(), mask.size());
      m_settings.uniformsToMask(mask.data(), mask.size());
      Matrix& in = unit.input[k];
      if (l == 0)
        in = (x.array() * mask.array()).matrix();
      else
        in = (unit.activations[k - 1].array() * mask.array()).matrix();
      gemm(W, Op::None, in, Op::None, z);
    } else if (l == 0) {
      gemm(W, Op::None, x, Op::None, z);
    } else {
      gemm(W, Op::None, unit.activations[k - 1], Op::None, z);
    }
    z.colwise() += b;
    if (l + 1 < L) applyActivation(m_activation, z);
  }
}

void DropoutKernel::backward(Unit& unit, const Eigen::Ref<const Matrix>& x, const Real* weights,
                             Real* gradient) const {
  for (Index l = m_layout.layerCount() - 1; l >= 0; --l) {
    const LayerShape& s = m_layout.layer(l);
    const auto k = static_cast<size_t>(l);
    const Matrix& delta = unit.deltas[k];
    MatrixMap gW(gradient + s.weightOffset, s.outputs, s.inputs);
    VectorMap gb(gradient + s.biasOffset, s.outputs);
    const bool dropped = m_settings.dropsInputOf(l);
    if (dropped)
      gemm(delta, Op::None, unit.input[k], Op::Transpose, gW);
    else if (l == 0)
      gemm(delta, Op::None, x, Op::Transpose, gW);
    else
      gemm(delta, Op::None, unit.activations[k - 1], Op::Transpose, gW);
    gb.noalias() = delta.rowwise().sum();
    if (l == 0) break;
    const ConstMatrixMap W(weights + s.weightOffset, s.outputs, s.inputs);
    Matrix& previous = unit.deltas[k - 1];
    previous.resize(s.inputs, delta.cols());
    gemm(W, Op::Transpose, delta, Op::None, previous);
    if (dropped) previous.array() *= unit.mask[k].array();
    multiplyActivationDerivative(m_activation, previous, unit.activations[k - 1]);
  }
}

double DropoutKernel::evaluate(const Batch& batch, Index samples, const Real* weights,
                               const Real* phi, Real gradientScale, Real* gradient, Real* dPhi,
                               const RandomStream& rng, int threads) {
  const Index P = m_layout.parameterCount();
  const Index Lp = m_likelihood->parameterCount();
  const Index B = batch.size();
  const Index chunks = BatchEvaluator::chunkCount(B);
  const Index units = samples * chunks;
  const bool direct = units == 1;  // a single unit writes its gradient in place
  if (static_cast<Index>(m_units.size()) < units) m_units.resize(static_cast<size_t>(units));

  parallelFor(threads, units, [&](Index u) {
    Unit& unit = m_units[static_cast<size_t>(u)];
    const Index s = u / chunks, c = u % chunks;
    const Range cols = partRange(B, chunks, c);
    const auto x = batch.inputs.middleCols(cols.begin, cols.size);
    RandomStream stream =
        rng.derive(static_cast<std::uint64_t>(s)).derive(static_cast<std::uint64_t>(c));
    forward(unit, x, weights, stream);
    const TargetView y = TargetView::of(batch, cols.begin, cols.size);
    const Matrix& out = unit.activations.back();
    if (!gradient) {
      unit.logLikelihood = m_likelihood->logLikelihood(out, y, phi, 0, nullptr, nullptr);
      return;
    }
    if (Lp > 0) unit.likelihoodGradient.setZero(Lp);
    unit.logLikelihood =
        m_likelihood->logLikelihood(out, y, phi, gradientScale, &unit.deltas.back(),
                                    Lp > 0 ? unit.likelihoodGradient.data() : nullptr);
    unit.gradient.resize(direct ? 0 : P);
    backward(unit, x, weights, direct ? gradient : unit.gradient.data());
  });

  double total = 0.0;
  for (Index u = 0; u < units; ++u) total += m_units[static_cast<size_t>(u)].logLikelihood;
  if (!gradient) return total;
  if (!direct) {
    const Index blocks = parameterBlocks(P);
    parallelFor(threads, blocks, [&](Index b) {
      const Range r = partRange(P, blocks, b);
      VectorMap g(gradient + r.begin, r.size);
      g = m_units[0].gradient.segment(r.begin, r.size);
      for (Index u = 1; u < units; ++u)
        g += m_units[static_cast<size_t>(u)].gradient.segment(r.begin, r.size);
    });
  }
  if (dPhi && Lp > 0)
    for (Index u = 0; u < units; ++u)
      VectorMap(dPhi, Lp) += m_units[static_cast<size_t>(u)].likelihoodGradient;
  return total;
}

BAYESLAB_END_NAMESPACE
