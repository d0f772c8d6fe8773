#include "engine/methods/bbb/reparameterisation_estimator.h"

#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

ReparameterisationEstimator::ReparameterisationEstimator(const Problem& problem)
    : m_evaluator(MlpKernel(problem.layout, problem.activation), problem.likelihood),
      m_weightCount(problem.layout.parameterCount()) {}

double ReparameterisationEstimator::estimate(const StepInput& input, const Real* mu,
                                             const Real* sigma, const Real* phi, Real gradientScale,
                                             Real* dMu, Real* dSigma, Real* dPhi) {
  return run(input, mu, sigma, phi, gradientScale, dMu, dSigma, dPhi, nullptr);
}

double ReparameterisationEstimator::estimateWithPasses(const StepInput& input, const Real* mu,
                                                       const Real* sigma, const Real* phi,
                                                       Real gradientScale, Real* dMu, Real* dSigma,
                                                       Real* dPhi,
                                                       Index /*weightCount (= m_weightCount)*/,
                                                       const BlockPasses& passes) {
  return run(input, mu, sigma, phi, gradientScale, dMu, dSigma, dPhi, &passes);
}

double ReparameterisationEstimator::run(const StepInput& input, const Real* mu, const Real* sigma,
                                        const Real* phi, Real gradientScale, Real* dMu,
                                        Real* dSigma, Real* dPhi, const BlockPasses* passes) {
  const Index P = m_weightCount;
  const Index S = std::max(1, input.mcSamples);
  const Index blocks = parameterBlocks(P);
  m_eps.resize(P, S);
  m_weights.resize(P, S);
  if (dMu) m_weightGradient.resize(P, S);

  // Weight draws, per (parameter block): each block has its own stream per draw.
  parallelFor(input.threads, blocks, [&](Index b) {
    const Range r = partRange(P, blocks, b);
    if (passes) passes->prepare(b);
    for (Index s = 0; s < S; ++s) {
      RandomStream stream =
          input.rng.derive(static_cast<std::uint64_t>(s)).derive(static_cast<std::uint64_t>(b));
      Real* eps = m_eps.col(s).data() + r.begin;
      stream.fillNormal(eps, r.size);
      ArrayMap(m_weights.col(s).data() + r.begin, r.size) =
          ConstArrayMap(mu + r.begin, r.size) +
          ConstArrayMap(sigma + r.begin, r.size) * ConstArrayMap(eps, r.size);
    }
  });

  if (!dMu) {
    const double logLik = m_evaluator.evaluate(*input.batch, S, m_weights.data(), phi, 0, nullptr,
                                               nullptr, input.threads);
    if (passes)
      parallelFor(input.threads, blocks,
                  [&](Index b) { passes->finish(partRange(P, blocks, b), b); });
    return logLik / static_cast<double>(S);
  }
  // The chunks' gradients are reduced here, in the same pass that forms
  // dD/dmu = sum_s g_s and dD/dsigma = sum_s g_s * eps_s.
  const double logLik =
      m_evaluator.evaluateUnreduced(*input.batch, S, m_weights.data(), phi,
                                    gradientScale / static_cast<Real>(S), dPhi, input.threads);
  const Index chunks = BatchEvaluator::chunkCount(input.batch->size());
  parallelFor(input.threads, blocks, [&](Index b) {
    const Range r = partRange(P, blocks, b);
    VectorMap gMu(dMu + r.begin, r.size), gSigma(dSigma + r.begin, r.size);
    for (Index s = 0; s < S; ++s) {
      const auto accumulate = [&](const auto& g) {
        const auto eps = m_eps.col(s).segment(r.begin, r.size).array();
        if (s == 0) {
          gMu = g;
          gSigma = (g.array() * eps).matrix();
        } else {
          gMu += g;
          gSigma.array() += g.array() * eps;
        }
      };
      if (chunks == 1) {
        accumulate(m_evaluator.unitGradient(s, 0, chunks).segment(r.begin, r.size));
        continue;
      }
      auto g = m_weightGradient.col(s).segment(r.begin, r.size);
      g = m_evaluator.unitGradient(s, 0, chunks).segment(r.begin, r.size);
      for (Index c = 1; c < chunks; ++c)
        g += m_evaluator.unitGradient(s, c, chunks).segment(r.begin, r.size);
      accumulate(g);
    }
    if (passes) passes->finish(r, b);
  });
  return logLik / static_cast<double>(S);
}

BAYESLAB_END_NAMESPACE
