#include "engine/methods/inducing/inducing_estimator.h"

#include <algorithm>
#include <limits>

#include "engine/core/gemm.h"
#include "engine/core/parallel.h"
#include "engine/methods/common/softplus.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
// Batch columns per unit, as in the local reparameterisation kernel: wide enough
// that a weight-space layer's product packs its W for many inputs at once.
constexpr Index kInducingChunkColumns = 64;
constexpr Index kInducingMaxChunks = 16;
// A standard normal costs about this many multiply-adds (vectorised Box-Muller
// against the GEMM rate on this project's machines).
constexpr double kInducingNormalCost = 20.0;
constexpr std::uint64_t kDataStream = 0x64617461;    // "data"
constexpr std::uint64_t kWeightStream = 0x77656967;  // "weig"

Index columnsPerJob(Index workPerColumn, Index jobWork) {
  return std::max<Index>(1, jobWork / std::max<Index>(1, workPerColumn));
}
}  // namespace

bool functionSpaceIsCheaper(const InducingLayerShape& shape, Index inputs, bool firstLayer,
                            bool training) {
  const double B = static_cast<double>(inputs), O = static_cast<double>(shape.outputs),
               d = static_cast<double>(shape.columns()), M = static_cast<double>(shape.rows),
               N = static_cast<double>(shape.cols);
  // Products per input over a weight matrix: forward; in training also dJ/dW
  // and (except in the first layer) dJ/dx.
  const double products = training ? (firstLayer ? 2.0 : 3.0) : 1.0;
  const double weight = B * O * d * products + (training ? 5.0 : 2.0) * M * O * d +
                        kInducingNormalCost * (O + M) * (d + N);
  const double function =
      B * ((training ? 5.0 : 2.0) * M * O + products * N * d + kInducingNormalCost * (O + 3.0 * M));
  return function < weight;
}

LayerDraw cheapestDraw(const InducingLayerShape& shape, Index inputs, bool firstLayer,
                       bool allowFunction) {
  const double B = static_cast<double>(inputs), O = static_cast<double>(shape.outputs),
               d = static_cast<double>(shape.columns()), M = static_cast<double>(shape.rows),
               N = static_cast<double>(shape.cols);
  const double products = firstLayer ? 2.0 : 3.0;  // per input: forward, dJ/dW, dJ/dx
  const double normals = kInducingNormalCost * (O + M) * (d + N);
  const double explicitCost = B * O * d * products + 5.0 * M * O * d + normals;
  // E_1 X~ and E_1^T delta; S, dZbar_r; A_c X~, A_r (T A_c X~), A_r^T delta, the jobs.
  const double factoredCost = B * O * d * (products - 1.0) + 2.0 * M * (O + M) * (d + N) +
                              B * (3.0 * M * O + products * N * d) + normals;
  const double functionCost =
      B * (5.0 * M * O + products * N * d + kInducingNormalCost * (O + 3.0 * M));
  if (allowFunction && functionCost < std::min(explicitCost, factoredCost))
    return LayerDraw::Function;
  return factoredCost < explicitCost ? LayerDraw::Factored : LayerDraw::Explicit;
}

InducingEstimator::InducingEstimator(MlpLayout network, Activation activation,
                                     std::shared_ptr<const Likelihood> likelihood,
                                     InducingLayout layout, LayerSampling sampling, Index jobWork,
                                     Index blockWork)
    : m_network(std::move(network)),
      m_activation(activation),
      m_likelihood(std::move(likelihood)),
      m_layout(std::move(layout)),
      m_sampling(sampling),
      m_jobWork(std::max<Index>(1, jobWork)),
      m_blockWork(std::max<Index>(1, blockWork)) {}

void InducingEstimator::setLayerSampling(LayerSampling sampling) {
  m_sampling = sampling;
  m_passes = m_batch = -1;  // prepare() again
}

Index InducingEstimator::memberOf(Index pass) const {
  const Index K = m_layout.layers.front().members;
  return K > 0 ? pass / (m_passes / K) : 0;
}

void InducingEstimator::prepare(Index passes, Index batch) {
  if (passes == m_passes && batch == m_batch) return;
  m_passes = passes;
  m_batch = batch;
  m_chunks = unitCount(batch, kInducingChunkColumns, kInducingMaxChunks);
  const Index L = m_network.layerCount(), P = passes, columns = passes * batch;
  const auto layers = static_cast<size_t>(L);
  m_function.assign(layers, false);
  m_draw.assign(layers, LayerDraw::Explicit);
  for (std::vector<Matrix>* v : {&m_cx, &m_tcx, &m_ex, &m_rho, &m_q}) v->resize(layers);
  m_factors.resize(layers);
  m_constants.resize(layers);
  m_factorGradients.resize(layers);
  m_samplers.resize(layers);
  m_vSigma.resize(layers);
  m_vSigmoid.resize(layers);
  m_output.resize(layers);
  m_delta.resize(layers);
  m_draws.resize(static_cast<size_t>(L * P));
  m_vNoise.resize(static_cast<size_t>(L * P));
  m_v.resize(static_cast<size_t>(L * P));
  m_jobs.clear();
  m_blockUnits.clear();
  m_drawUnits.clear();
  bool anyWeight = false;
  for (Index l = 0; l < L; ++l) {
    const auto k = static_cast<size_t>(l);
    const InducingLayerShape& s = m_layout.layers[k];
    LayerDraw draw = LayerDraw::Explicit;
    switch (m_sampling) {
      case LayerSampling::Weight:
        draw = cheapestDraw(s, batch, l == 0, false);
        break;
      case LayerSampling::Cheaper:
        draw = cheapestDraw(s, batch, l == 0, true);
        break;
      case LayerSampling::Function:
        draw = LayerDraw::Function;
        break;
      case LayerSampling::WeightExplicit:
        draw = LayerDraw::Explicit;
        break;
      case LayerSampling::WeightFactored:
        draw = LayerDraw::Factored;
        break;
    }
    const bool function = draw == LayerDraw::Function;
    m_draw[k] = draw;
    m_function[k] = function;
    m_factorGradients[k].resize(s);
    m_output[k].resize(s.outputs, columns);
    m_delta[k].resize(s.outputs, columns);
    const Index d = s.columns();
    if (function) {
      m_samplers[k].resize(s, columns);
      // dZ_r: depth passes x batch, two products; dZ_c: depth batch (first layer) or all columns.
      const Index rowsStep = columnsPerJob(2 * s.rows * columns, m_jobWork);
      for (Index b = 0; b < s.outputs; b += rowsStep)
        m_jobs.push_back({Job::RowsGradient, l, 0, b, std::min(rowsStep, s.outputs - b)});
      const Index depth = l == 0 ? batch : columns;
      const Index colsStep = columnsPerJob(s.cols * depth, m_jobWork);
      for (Index b = 0; b < d; b += colsStep)
        m_jobs.push_back({Job::ColsGradient, l, 0, b, std::min(colsStep, d - b)});
      continue;
    }
    anyWeight = true;
    m_vSigma[k].resize(s.inducingCount());
    m_vSigmoid[k].resize(s.inducingCount());
    const bool factored = draw == LayerDraw::Factored;
    if (factored) {
      m_cx[k].resize(s.cols, columns);
      m_tcx[k].resize(s.rows, columns);
      m_ex[k].resize(s.outputs, columns);
      m_rho[k].resize(s.rows, columns);
      m_q[k].resize(s.cols, columns);
      // dA_r: a block of rows, depth passes x batch; dA_c: depth batch (first layer) or all.
      const Index rowsStep = columnsPerJob(s.rows * columns, m_jobWork);
      for (Index b = 0; b < s.outputs; b += rowsStep)
        m_jobs.push_back({Job::FactoredRows, l, 0, b, std::min(rowsStep, s.outputs - b)});
      const Index depth = l == 0 ? batch : columns;
      const Index colsStep = columnsPerJob(s.cols * depth, m_jobWork);
      for (Index b = 0; b < d; b += colsStep)
        m_jobs.push_back({Job::FactoredCols, l, 0, b, std::min(colsStep, d - b)});
    } else {
      anyWeight = true;
    }
    const Index step = columnsPerJob(s.outputs * batch, m_jobWork);
    for (Index p = 0; p < P; ++p) {
      const auto u = static_cast<size_t>(l * P + p);
      m_draws[u].resize(s, m_blockWork);
      // Factored layers after the first back-propagate through E_1^T: sized here, once,
      // not by the parallel blocks that fill it.
      if (factored && l > 0) m_draws[u].prepareTranspose();
      m_vNoise[u].resize(s.rows, s.cols);
      m_v[u].resize(s.rows, s.cols);
      m_drawUnits.push_back(l * P + p);
      if (!factored)
        for (Index b = 0; b < d; b += step)
          m_jobs.push_back({Job::WeightGradient, l, p, b, std::min(step, d - b)});
      for (Index b = 0; b < m_draws[u].blockCount(); ++b) m_blockUnits.push_back({l, p, b});
    }
  }
  if (anyWeight) {
    m_weights.resize(m_network.parameterCount(), P);
    m_weightGradients.resize(m_network.parameterCount(), P);
  }
  m_units.resize(static_cast<size_t>(P * m_chunks));
  for (Unit& unit : m_units) {
    unit.gradients.resize(layers);
    unit.factoredDt.resize(layers);
    unit.factoredLambda.assign(layers, 0.0);
    for (Index l = 0; l < L; ++l) {
      const auto k = static_cast<size_t>(l);
      if (m_function[k]) unit.gradients[k].resize(m_layout.layers[k]);
      if (m_draw[k] == LayerDraw::Factored)
        unit.factoredDt[k].resize(m_layout.layers[k].rows, m_layout.layers[k].cols);
    }
  }
}

double InducingEstimator::evaluate(const Batch& batch, Index passes, const Real* params,
                                   const Real* phi, Real priorScale, Real gradientScale,
                                   Real* gradient, Real* dPhi, const RandomStream& rng,
                                   int threads) {
  prepare(passes, batch.size());
  const Index L = m_network.layerCount(), P = passes;
  const Index Lp = m_likelihood->parameterCount();
  const bool wantGradient = gradient != nullptr;

  // (1) Factors of every layer.
  parallelFor(threads, L, [&](Index l) {
    const auto k = static_cast<size_t>(l);
    const InducingLayerShape& s = m_layout.layers[k];
    m_factors[k].compute(s, params, !m_function[k]);
    m_factorGradients[k].setZero();
    if (m_function[k])
      m_constants[k].prepare(s, m_factors[k], params, priorScale);
    else if (!s.ensemble())
      softplusWithDerivative(params + s.rhoV(), s.inducingCount(), m_vSigma[k].data(),
                             m_vSigmoid[k].data());
  });
  for (const InducingFactors& f : m_factors) {
    if (f.ok) continue;
    if (gradient) VectorMap(gradient, m_layout.parameterCount).setZero();
    return std::numeric_limits<double>::quiet_NaN();
  }

  // (2) Weight-space draws.
  if (!m_blockUnits.empty()) drawWeights(params, priorScale, rng, threads);

  // (3) Activations, forward and backward, over (pass, chunk).
  const Real passScale = gradientScale / static_cast<Real>(P);
  parallelFor(threads, P * m_chunks, [&](Index u) {
    chunk(m_units[static_cast<size_t>(u)], u / m_chunks, u % m_chunks, batch, phi, priorScale,
          passScale, wantGradient, rng);
  });
  double total = 0.0;
  for (const Unit& unit : m_units) total += unit.logLikelihood;
  total /= static_cast<double>(P);
  if (!wantGradient) return total;

  // (4) Products over the whole batch.
  if (m_function.front()) m_samplers.front().sumPasses(P);
  if (m_draw.front() == LayerDraw::Factored && P > 1) {
    const Index B = m_batch;
    m_qSum = m_q.front().leftCols(B);
    for (Index p = 1; p < P; ++p) m_qSum += m_q.front().middleCols(p * B, B);
  }
  parallelFor(threads, static_cast<Index>(m_jobs.size()),
              [&](Index j) { runJob(m_jobs[static_cast<size_t>(j)], batch, priorScale); });

  // (5) The Matheron rule's backward.
  if (!m_blockUnits.empty()) {
    const auto blocks = static_cast<Index>(m_blockUnits.size());
    parallelFor(threads, blocks, [&](Index i) {
      const BlockUnit& b = m_blockUnits[static_cast<size_t>(i)];
      const auto l = static_cast<size_t>(b.layer);
      if (m_draw[l] != LayerDraw::Explicit) return;
      m_draws[static_cast<size_t>(b.layer * P + b.pass)].gradientBlock(
          b.block, m_factors[l], priorScale,
          m_weightGradients.col(b.pass).data() + m_network.layer(b.layer).weightOffset);
    });
    parallelFor(threads, static_cast<Index>(m_drawUnits.size()), [&](Index i) {
      const Index u = m_drawUnits[static_cast<size_t>(i)], l = u / P, p = u % P;
      const auto k = static_cast<size_t>(l);
      MatheronSampler& draw = m_draws[static_cast<size_t>(u)];
      if (m_draw[k] == LayerDraw::Explicit) {
        draw.combineGradient(m_factors[k]);
      } else if (m_draw[k] == LayerDraw::Factored) {
        // This pass's units, in order.
        Matrix& dt = m_units[static_cast<size_t>(p * m_chunks)].factoredDt[k];
        double lambdaPart = m_units[static_cast<size_t>(p * m_chunks)].factoredLambda[k];
        for (Index c = 1; c < m_chunks; ++c) {
          const Unit& unit = m_units[static_cast<size_t>(p * m_chunks + c)];
          dt += unit.factoredDt[k];
          lambdaPart += unit.factoredLambda[k];
        }
        draw.setFactoredGradient(m_factors[k], dt, lambdaPart);
      }
    });
    parallelFor(threads, blocks, [&](Index i) {
      const BlockUnit& b = m_blockUnits[static_cast<size_t>(i)];
      m_draws[static_cast<size_t>(b.layer * P + b.pass)].gradientBlock2(
          b.block, m_factors[static_cast<size_t>(b.layer)], params);
    });
  }

  // (6) Per layer: small sums and the chain rule through the factors.
  parallelFor(threads, L, [&](Index l) { finishLayer(l, params, gradient); });
  if (dPhi && Lp > 0)
    for (const Unit& unit : m_units) VectorMap(dPhi, Lp) += unit.likelihoodGradient;
  return total;
}

void InducingEstimator::drawWeights(const Real* params, Real priorScale, const RandomStream& rng,
                                    int threads) {
  const Index P = m_passes;
  const RandomStream weights = rng.derive(kWeightStream);
  const auto blocks = static_cast<Index>(m_blockUnits.size());
  parallelFor(threads, blocks, [&](Index i) {
    const BlockUnit& b = m_blockUnits[static_cast<size_t>(i)];
    m_draws[static_cast<size_t>(b.layer * P + b.pass)].drawBlock(
        b.block, m_factors[static_cast<size_t>(b.layer)], params,
        weights.derive(static_cast<std::uint64_t>(b.layer))
            .derive(static_cast<std::uint64_t>(b.pass))
            .derive(static_cast<std::uint64_t>(b.block)));
  });
  // V of each (layer, pass): a draw from q(V) (FFG-U) or the pass's member.
  const RandomStream inducing = rng.derive(kInducingStream);
  parallelFor(threads, static_cast<Index>(m_drawUnits.size()), [&](Index i) {
    const Index u = m_drawUnits[static_cast<size_t>(i)], l = u / P, p = u % P;
    const auto k = static_cast<size_t>(l);
    const InducingLayerShape& s = m_layout.layers[k];
    Matrix& v = m_v[static_cast<size_t>(u)];
    if (s.ensemble()) {
      v = ConstMatrixMap(params + s.member(memberOf(p)), s.rows, s.cols);
    } else {
      Matrix& eps = m_vNoise[static_cast<size_t>(u)];
      RandomStream stream =
          inducing.derive(static_cast<std::uint64_t>(l)).derive(static_cast<std::uint64_t>(p));
      stream.fillNormal(eps);
      v.array() = ConstMatrixMap(params + s.mean(), s.rows, s.cols).array() +
                  ConstMatrixMap(m_vSigma[k].data(), s.rows, s.cols).array() * eps.array();
    }
    m_draws[static_cast<size_t>(u)].combine(m_factors[k], v);
  });
  parallelFor(threads, blocks, [&](Index i) {
    const BlockUnit& b = m_blockUnits[static_cast<size_t>(i)];
    MatheronSampler& draw = m_draws[static_cast<size_t>(b.layer * P + b.pass)];
    if (m_draw[static_cast<size_t>(b.layer)] == LayerDraw::Explicit)
      draw.weightBlock(b.block, m_factors[static_cast<size_t>(b.layer)], priorScale,
                       m_weights.col(b.pass).data() + m_network.layer(b.layer).weightOffset);
    else if (b.layer > 0)  // factored: E_1^T for dJ/dx
      draw.transposeBlock(b.block);
  });
}

void InducingEstimator::chunk(Unit& unit, Index p, Index c, const Batch& batch, const Real* phi,
                              Real priorScale, Real gradientScale, bool wantGradient,
                              const RandomStream& rng) {
  const Index B = m_batch, L = m_network.layerCount();
  const Index Lp = m_likelihood->parameterCount();
  const Range cols = partRange(B, m_chunks, c);
  const Index n = cols.size, g0 = p * B + cols.begin;
  const Index member = memberOf(p);
  RandomStream stream = rng.derive(kDataStream)
                            .derive(static_cast<std::uint64_t>(p))
                            .derive(static_cast<std::uint64_t>(c));
  const auto input = [&](Index l) -> Eigen::Ref<const Matrix> {
    if (l == 0) return batch.inputs.middleCols(cols.begin, n);
    return m_output[static_cast<size_t>(l - 1)].middleCols(g0, n);
  };
  for (Index l = 0; l < L; ++l) {
    const auto k = static_cast<size_t>(l);
    auto out = m_output[k].middleCols(g0, n);
    if (m_function[k]) {
      m_samplers[k].forward(m_constants[k], member, input(l), g0, stream, out);
    } else if (m_draw[k] == LayerDraw::Factored) {
      forwardFactored(l, p, input(l), g0, priorScale, out);
    } else {
      const LayerShape& s = m_network.layer(l);
      const Real* w = m_weights.col(p).data();
      gemm(ConstMatrixMap(w + s.weightOffset, s.outputs, s.inputs), Op::None, input(l), Op::None,
           out);
      out.colwise() += ConstVectorMap(w + s.biasOffset, s.outputs);
    }
    if (l + 1 < L) applyActivation(m_activation, out);
  }
  const auto output = m_output.back().middleCols(g0, n);
  const TargetView y = TargetView::of(batch, cols.begin, n);
  if (!wantGradient) {
    unit.logLikelihood = m_likelihood->logLikelihood(output, y, phi, 0, nullptr, nullptr);
    return;
  }
  if (Lp > 0) unit.likelihoodGradient.setZero(Lp);
  unit.logLikelihood =
      m_likelihood->logLikelihood(output, y, phi, gradientScale, &unit.outputGradient,
                                  Lp > 0 ? unit.likelihoodGradient.data() : nullptr);
  m_delta.back().middleCols(g0, n) = unit.outputGradient;
  for (Index l = L - 1; l >= 0; --l) {
    const auto k = static_cast<size_t>(l);
    const auto delta = m_delta[k].middleCols(g0, n);
    Real* dx = l > 0 ? m_delta[k - 1].middleCols(g0, n).data() : nullptr;
    if (m_function[k]) {
      FunctionSpaceGradient& g = unit.gradients[k];
      g.setZero();
      m_samplers[k].backward(m_constants[k], member, input(l), g0, delta, g, dx);
    } else if (m_draw[k] == LayerDraw::Factored) {
      backwardFactored(unit, l, p, g0, delta, priorScale, dx);
    } else if (l > 0) {
      const LayerShape& s = m_network.layer(l);
      gemm(ConstMatrixMap(m_weights.col(p).data() + s.weightOffset, s.outputs, s.inputs),
           Op::Transpose, delta, Op::None, m_delta[k - 1].middleCols(g0, n));
    }
    if (l == 0) break;
    auto previous = m_delta[k - 1].middleCols(g0, n);
    multiplyActivationDerivative(m_activation, previous, m_output[k - 1].middleCols(g0, n));
  }
}

void InducingEstimator::forwardFactored(Index l, Index p, const Eigen::Ref<const Matrix>& x,
                                        Index col, Real priorScale, Eigen::Ref<Matrix> out) {
  const auto k = static_cast<size_t>(l);
  const InducingFactors& f = m_factors[k];
  const MatheronSampler& draw = m_draws[static_cast<size_t>(l * m_passes + p)];
  const Index n = x.cols(), din = m_layout.layers[k].inputs;
  // out = s (lambda E_1 x~ + A_r T A_c x~).
  auto cx = m_cx[k].middleCols(col, n);
  gemm(f.ac.leftCols(din), Op::None, x, Op::None, cx);
  cx.colwise() += f.ac.col(din);
  auto tcx = m_tcx[k].middleCols(col, n);
  gemm(draw.t(), Op::None, cx, Op::None, tcx);
  const auto e1 = draw.e1();
  auto ex = m_ex[k].middleCols(col, n);
  gemm(e1.leftCols(din), Op::None, x, Op::None, ex);
  ex.colwise() += e1.col(din);
  out = f.lambda * ex;
  gemm(f.ar, Op::None, tcx, Op::None, out, true);
  out *= priorScale;
}

void InducingEstimator::backwardFactored(Unit& unit, Index l, Index p, Index col,
                                         const Eigen::Ref<const Matrix>& delta, Real priorScale,
                                         Real* dx) {
  const auto k = static_cast<size_t>(l);
  const InducingFactors& f = m_factors[k];
  const MatheronSampler& draw = m_draws[static_cast<size_t>(l * m_passes + p)];
  const Index n = delta.cols(), din = m_layout.layers[k].inputs;
  // rho = A_r^T delta~, dT += rho (A_c x~)^T, <delta~, E_1 x~>, q = T^T rho.
  auto rho = m_rho[k].middleCols(col, n);
  gemm(f.ar, Op::Transpose, delta, Op::None, rho);
  rho *= priorScale;
  gemm(rho, Op::None, m_cx[k].middleCols(col, n), Op::Transpose, unit.factoredDt[k]);
  unit.factoredLambda[k] =
      static_cast<double>(priorScale) *
      static_cast<double>((delta.array() * m_ex[k].middleCols(col, n).array()).sum());
  auto q = m_q[k].middleCols(col, n);
  gemm(draw.t(), Op::Transpose, rho, Op::None, q);
  if (!dx) return;
  // dx = lambda s E_1^T delta + A_c^T q (the bias row dropped).
  MatrixMap dxm(dx, din, n);
  gemm(draw.e1Transposed().topRows(din), Op::None, delta, Op::None, dxm);
  dxm *= f.lambda * priorScale;
  gemm(f.ac.leftCols(din), Op::Transpose, q, Op::None, dxm, true);
}

void InducingEstimator::runJob(const Job& job, const Batch& batch, Real priorScale) {
  const auto k = static_cast<size_t>(job.layer);
  const Index B = m_batch;
  switch (job.kind) {
    case Job::WeightGradient: {
      const LayerShape& s = m_network.layer(job.layer);
      const auto delta = m_delta[k].middleCols(job.pass * B, B);
      const Eigen::Ref<const Matrix> x =
          job.layer == 0 ? Eigen::Ref<const Matrix>(batch.inputs)
                         : Eigen::Ref<const Matrix>(m_output[k - 1].middleCols(job.pass * B, B));
      auto g = MatrixMap(m_weightGradients.col(job.pass).data() + s.weightOffset, s.outputs,
                         s.inputs + 1);
      const Index inner = std::min(job.begin + job.count, s.inputs) - job.begin;
      if (inner > 0)
        gemm(delta, Op::None, x.middleRows(job.begin, inner), Op::Transpose,
             g.middleCols(job.begin, inner));
      if (job.begin + job.count > s.inputs) g.col(s.inputs) = delta.rowwise().sum();
      break;
    }
    case Job::RowsGradient:
      m_samplers[k].rowsGradient(m_constants[k], m_delta[k], job.begin, job.count,
                                 m_factorGradients[k].zr.middleCols(job.begin, job.count));
      break;
    case Job::ColsGradient: {
      const Eigen::Ref<const Matrix> x = job.layer == 0 ? Eigen::Ref<const Matrix>(batch.inputs)
                                                        : Eigen::Ref<const Matrix>(m_output[k - 1]);
      m_samplers[k].colsGradient(x, job.begin, job.count,
                                 m_factorGradients[k].zc.middleCols(job.begin, job.count));
      break;
    }
    case Job::FactoredRows: {
      // dA_r = delta~ (T A_c X~)^T over all columns, a block of rows.
      auto g = m_factorGradients[k].ar.middleRows(job.begin, job.count);
      gemm(m_delta[k].middleRows(job.begin, job.count), Op::None, m_tcx[k], Op::Transpose, g);
      g *= priorScale;
      break;
    }
    case Job::FactoredCols: {
      // dA_c = (T^T rho) X~^T over all columns (the first layer's batch is shared by the passes).
      const bool shared = job.layer == 0 && m_passes > 1;
      const Matrix& q = shared ? m_qSum : m_q[k];
      const Eigen::Ref<const Matrix> x = job.layer == 0 ? Eigen::Ref<const Matrix>(batch.inputs)
                                                        : Eigen::Ref<const Matrix>(m_output[k - 1]);
      const Index din = m_layout.layers[k].inputs;
      auto g = m_factorGradients[k].ac.middleCols(job.begin, job.count);
      const Index inner = std::min(job.begin + job.count, din) - job.begin;
      if (inner > 0)
        gemm(q, Op::None, x.middleRows(job.begin, inner), Op::Transpose, g.leftCols(inner));
      if (job.begin + job.count > din) g.col(job.count - 1) = q.rowwise().sum();
      break;
    }
  }
}

void InducingEstimator::finishLayer(Index l, const Real* params, Real* gradient) {
  const auto k = static_cast<size_t>(l);
  const InducingLayerShape& s = m_layout.layers[k];
  const InducingFactors& f = m_factors[k];
  FactorGradient& g = m_factorGradients[k];
  const Index M = s.rows, N = s.cols, P = m_passes;
  const Index vCount = (s.ensemble() ? s.members : 2) * s.inducingCount();
  VectorMap(gradient + s.mean(), vCount).setZero();
  const auto dV = [&](Index member) {
    return MatrixMap(gradient + (s.ensemble() ? s.member(member) : s.mean()), M, N);
  };
  if (m_function[k]) {
    for (Index u = 0; u < static_cast<Index>(m_units.size()); ++u) {
      const FunctionSpaceGradient& ug = m_units[static_cast<size_t>(u)].gradients[k];
      g.kr += ug.kr;
      g.lr += ug.lr;
      g.kc += ug.kc;
      g.lc += ug.lc;
      g.dr += ug.dr;
      g.lambda += ug.lambda;
      auto dv = dV(memberOf(u / m_chunks));
      dv += ug.mean;
      if (!s.ensemble()) MatrixMap(gradient + s.rhoV(), M, N) += ug.variance;
    }
    if (!s.ensemble())
      MatrixMap(gradient + s.rhoV(), M, N).array() *= m_constants[k].varianceSigmoid.array();
  } else {
    for (Index p = 0; p < P; ++p) {
      const auto u = static_cast<size_t>(l * P + p);
      const Matrix& dv = m_draws[u].finish(f, g);
      auto target = dV(memberOf(p));
      target += dv;
      if (!s.ensemble())
        MatrixMap(gradient + s.rhoV(), M, N).array() +=
            dv.array() * m_vNoise[u].array() * ConstMatrixMap(m_vSigmoid[k].data(), M, N).array();
    }
  }
  backwardFactors(s, params, f, g, gradient);
}

BAYESLAB_END_NAMESPACE
