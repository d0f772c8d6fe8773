#include "engine/methods/bbvi/score_function_estimator.h"

#include <cmath>

#include "engine/core/parallel.h"
#include "engine/methods/bbvi/mean_field_score.h"
#include "engine/methods/common/batch_evaluator.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
constexpr double kAverageDecay = 0.9;
}  // namespace

ScoreFunctionEstimator::ScoreFunctionEstimator(const Problem& problem, bool controlVariate)
    : m_kernel(problem.layout, problem.activation),
      m_likelihood(problem.likelihood),
      m_controlVariate(controlVariate) {}

double ScoreFunctionEstimator::estimate(const StepInput& input, const Real* mu, const Real* sigma,
                                        const Real* phi, Real gradientScale, Real* dMu,
                                        Real* dSigma, Real* dPhi) {
  const Batch& batch = *input.batch;
  const Index P = m_kernel.layout().parameterCount();
  const Index Lp = m_likelihood->parameterCount();
  const Index S = std::max(1, input.mcSamples);
  const Index B = batch.size();
  const Index blocks = parameterBlocks(P);
  const Index chunks = BatchEvaluator::chunkCount(B);
  m_eps.resize(P, S);
  m_weights.resize(P, S);
  if (static_cast<Index>(m_units.size()) < S * chunks)
    m_units.resize(static_cast<size_t>(S * chunks));
  m_sampleLogLik.assign(static_cast<size_t>(S), 0.0);
  m_sampleWeight.assign(static_cast<size_t>(S), Real(0));

  parallelFor(input.threads, S * blocks, [&](Index job) {
    const Index s = job / blocks, b = job % blocks;
    const Range r = partRange(P, blocks, b);
    RandomStream stream =
        input.rng.derive(static_cast<std::uint64_t>(s)).derive(static_cast<std::uint64_t>(b));
    Real* eps = m_eps.col(s).data() + r.begin;
    stream.fillNormal(eps, r.size);
    ArrayMap(m_weights.col(s).data() + r.begin, r.size) =
        ConstArrayMap(mu + r.begin, r.size) +
        ConstArrayMap(sigma + r.begin, r.size) * ConstArrayMap(eps, r.size);
  });

  // Forward passes only: the estimator never differentiates the network.
  const bool wantPhi = dMu && dPhi && Lp > 0;
  const Real phiScale = gradientScale / static_cast<Real>(S);
  parallelFor(input.threads, S * chunks, [&](Index u) {
    Unit& unit = m_units[static_cast<size_t>(u)];
    const Index s = u / chunks;
    const Range cols = partRange(B, chunks, u % chunks);
    const auto x = batch.inputs.middleCols(cols.begin, cols.size);
    const Matrix& out = m_kernel.forward(m_weights.col(s).data(), x, unit.workspace);
    const TargetView y = TargetView::of(batch, cols.begin, cols.size);
    if (wantPhi) unit.likelihoodGradient.setZero(Lp);
    unit.logLikelihood = m_likelihood->logLikelihood(
        out, y, phi, phiScale, nullptr, wantPhi ? unit.likelihoodGradient.data() : nullptr);
  });

  double total = 0.0;
  for (Index u = 0; u < S * chunks; ++u) {
    const double ll = m_units[static_cast<size_t>(u)].logLikelihood;
    m_sampleLogLik[static_cast<size_t>(u / chunks)] += ll;
    total += ll;
  }
  const double mean = total / static_cast<double>(S);
  if (!dMu) return mean;

  // Baselines, then each sample's weight (f_s - b_s) * gradientScale / S.
  double baselineSum = 0.0;
  for (Index s = 0; s < S; ++s) {
    const double f = m_sampleLogLik[static_cast<size_t>(s)];
    double baseline = 0.0;
    if (m_controlVariate && S >= 2)
      baseline = (total - f) / static_cast<double>(S - 1);
    else if (m_controlVariate && m_averageCount > 0)
      baseline = m_average / (1.0 - std::pow(kAverageDecay, static_cast<double>(m_averageCount)));
    baselineSum += baseline;
    m_sampleWeight[static_cast<size_t>(s)] = static_cast<Real>(
        (f - baseline) * static_cast<double>(gradientScale) / static_cast<double>(S));
  }
  const double dataScale = static_cast<double>(input.datasetSize) / static_cast<double>(B);
  m_lastBaseline = dataScale * baselineSum / static_cast<double>(S);
  if (S == 1) {
    m_average = kAverageDecay * m_average + (1.0 - kAverageDecay) * mean;
    ++m_averageCount;
  }

  parallelFor(input.threads, blocks, [&](Index b) {
    const Range r = partRange(P, blocks, b);
    ArrayMap(dMu + r.begin, r.size).setZero();
    ArrayMap(dSigma + r.begin, r.size).setZero();
    for (Index s = 0; s < S; ++s)
      addMeanFieldScore(m_eps.col(s).data() + r.begin, sigma + r.begin, r.size,
                        m_sampleWeight[static_cast<size_t>(s)], dMu + r.begin, dSigma + r.begin);
  });
  if (wantPhi)
    for (Index u = 0; u < S * chunks; ++u)
      VectorMap(dPhi, Lp) += m_units[static_cast<size_t>(u)].likelihoodGradient;
  return mean;
}

void ScoreFunctionEstimator::addExtras(StepStats& stats) const {
  if (m_controlVariate) stats.addExtra("cv_baseline", m_lastBaseline);
}

BAYESLAB_END_NAMESPACE
