#include "engine/methods/sivi/sivi_posterior.h"

#include <algorithm>

#include "engine/core/gemm.h"
#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

// summary() carries at most this many weight values in its draws.
constexpr Index kMaxSummaryValues = Index(1) << 20;
constexpr std::uint64_t kSiviMomentSeed = 0x5349564d;  // "SIVM"
constexpr std::uint64_t kSummarySeed = 0x53495653;     // "SIVS"

}  // namespace

SiviPosterior::SiviPosterior(MlpKernel kernel, Vector likelihoodParameters, MixingNetwork network,
                             Vector networkParams, Vector sigma)
    : Posterior(std::move(kernel), std::move(likelihoodParameters)),
      m_network(network),
      m_params(std::move(networkParams)),
      m_sigma(std::move(sigma)) {
  const Index P = m_network.weightCount(), H = m_network.hiddenCount();
  const Index D = m_network.noiseDim();
  Matrix eps(D, kMomentDraws), h;
  RandomStream(kSiviMomentSeed).fillNormal(eps);
  m_network.hidden(m_params.data(), eps, h);
  // E[h] (accumulated in double) and Cov[h] of the centred draws; then, per
  // weight, a_i^T E[h] and a_i^T Cov[h] a_i as H x P products. Built for every
  // snapshot the views take, so the products run in gemm: for a 1-64-64-1
  // network perf put the constructor at 0.3 % of a 3,000-step run with 100
  // evaluations, against 10 % with the same products in double-precision
  // Eigen (about 3 ms each).
  const Vector hMean = h.cast<double>().rowwise().mean().cast<Real>();
  h.colwise() -= hMean;
  Matrix cov(H, H), covLoadings(H, P);
  gemm(h, Op::None, h, Op::Transpose, cov);
  cov /= static_cast<Real>(kMomentDraws);
  const ConstMatrixMap loadings(m_params.data() + m_network.loadingOffset(), H, P);
  gemm(cov, Op::None, loadings, Op::None, covLoadings);
  m_scale.resize(P);
  m_network.scales(m_params.data(), Range{0, P}, m_scale.data());
  const auto scale = m_scale.array();
  m_mean = ConstVectorMap(m_params.data() + m_network.meanOffset(), P);
  m_mean.array() += scale * (loadings.transpose() * hMean).array();
  const ArrayX spread = (covLoadings.array() * loadings.array()).colwise().sum().transpose();
  m_std = (m_sigma.array().square() + scale.square() * spread).sqrt().matrix();
}

void SiviPosterior::sampleWeights(const RandomStream& rng, Index s, Real* weights) const {
  const Index P = m_network.weightCount();
  const RandomStream stream = rng.derive(static_cast<std::uint64_t>(s));
  Matrix eps(m_network.noiseDim(), 1), h;
  stream.derive(0).fillNormal(eps);
  m_network.hidden(m_params.data(), eps, h);
  MatrixMap z(weights, P, 1);
  m_network.offsets(m_params.data(), h, Range{0, P}, m_scale.data(), z);
  Vector e(P);
  stream.derive(1).fillNormal(e);
  ArrayMap w(weights, P);
  w += ConstArrayMap(m_params.data() + m_network.meanOffset(), P) + m_sigma.array() * e.array();
}

void SiviPosterior::sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                  const RandomStream& rng, int threads,
                                  std::vector<Matrix>& out) const {
  sampleWeightFunctions(
      x, samples, threads, [&](Index s, Real* w) { sampleWeights(rng, s, w); }, out);
}

Index SiviPosterior::summaryDrawCount() const {
  const Index P = std::max<Index>(1, m_network.weightCount());
  return std::clamp<Index>(kMaxSummaryValues / P, 1, kSummaryDraws);
}

PosteriorSummary SiviPosterior::summary() const {
  const Index P = m_network.weightCount(), S = summaryDrawCount();
  const RandomStream rng(kSummarySeed);
  std::vector<Vector> draws(static_cast<size_t>(S), Vector(P));
  for (Index s = 0; s < S; ++s) sampleWeights(rng, s, draws[static_cast<size_t>(s)].data());
  return summaryFromFlat(layout(), PosteriorKind::Samples, m_mean, m_std, &draws);
}

BAYESLAB_END_NAMESPACE
