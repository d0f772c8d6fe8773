#include "engine/methods/sivi/sivi_posterior.h"

#include <algorithm>

#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

// Inputs per unit of a sweep, as the mean-field posterior's.
constexpr Index kSweepColumns = 2048;
// summary() carries at most this many weight values in its draws.
constexpr Index kMaxSummaryValues = Index(1) << 20;
constexpr std::uint64_t kMomentSeed = 0x5349564d;   // "SIVM"
constexpr std::uint64_t kSummarySeed = 0x53495653;  // "SIVS"

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
  RandomStream(kMomentSeed).fillNormal(eps);
  m_network.hidden(m_params.data(), eps, h);
  // Moments of h in double (4096 draws, centred before the covariance).
  const Eigen::MatrixXd hd = h.cast<double>();
  const Eigen::VectorXd hMean = hd.rowwise().mean();
  const Eigen::MatrixXd centred = hd.colwise() - hMean;
  const Eigen::MatrixXd cov = centred * centred.transpose() / static_cast<double>(kMomentDraws);
  const Eigen::MatrixXd loadings =
      ConstMatrixMap(m_params.data() + m_network.loadingOffset(), H, P).cast<double>();
  const Eigen::ArrayXd m =
      ConstVectorMap(m_params.data() + m_network.meanOffset(), P).cast<double>().array();
  const Eigen::ArrayXd scale =
      ConstArrayMap(m_params.data() + m_network.logScaleOffset(), P).cast<double>().exp();
  m_mean = (m + scale * (loadings.transpose() * hMean).array()).cast<Real>().matrix();
  const Eigen::ArrayXd spread = ((cov * loadings).array() * loadings.array()).colwise().sum();
  m_std = (m_sigma.cast<double>().array().square() + scale.square() * spread)
              .sqrt()
              .cast<Real>()
              .matrix();
}

void SiviPosterior::sampleWeights(const RandomStream& rng, Index s, Real* weights) const {
  const Index P = m_network.weightCount();
  const RandomStream stream = rng.derive(static_cast<std::uint64_t>(s));
  Matrix eps(m_network.noiseDim(), 1), h;
  stream.derive(0).fillNormal(eps);
  m_network.hidden(m_params.data(), eps, h);
  MatrixMap z(weights, P, 1);
  m_network.offsets(m_params.data(), h, Range{0, P}, z);
  Vector e(P);
  stream.derive(1).fillNormal(e);
  ArrayMap w(weights, P);
  w += ConstArrayMap(m_params.data() + m_network.meanOffset(), P) + m_sigma.array() * e.array();
}

void SiviPosterior::sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                  const RandomStream& rng, int threads,
                                  std::vector<Matrix>& out) const {
  const Index P = m_network.weightCount(), M = x.cols(), S = samples;
  const Index chunks = unitCount(M, kSweepColumns, 64);
  out.resize(static_cast<size_t>(S));
  for (Matrix& o : out) o.resize(layout().outputDim(), M);
  Matrix weights(P, S);
  parallelFor(threads, S, [&](Index s) { sampleWeights(rng, s, weights.col(s).data()); });
  parallelFor(threads, S * chunks, [&](Index u) {
    const Index s = u / chunks;
    const Range cols = partRange(M, chunks, u % chunks);
    MlpWorkspace workspace;
    out[static_cast<size_t>(s)].middleCols(cols.begin, cols.size) =
        kernel().forward(weights.col(s).data(), x.middleCols(cols.begin, cols.size), workspace);
  });
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
