#include "engine/methods/common/mean_field_posterior.h"

#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

MeanFieldPosterior::MeanFieldPosterior(MlpKernel kernel, Vector likelihoodParameters, Vector mean,
                                       Vector std)
    : Posterior(std::move(kernel), std::move(likelihoodParameters)),
      m_mean(std::move(mean)),
      m_std(std::move(std)) {}

void MeanFieldPosterior::sampleWeights(const RandomStream& rng, Index s, Real* weights) const {
  const Index P = m_mean.size();
  RandomStream stream = rng.derive(static_cast<std::uint64_t>(s));
  stream.fillNormal(weights, P);
  ArrayMap w(weights, P);
  w = m_mean.array() + m_std.array() * w;
}

void MeanFieldPosterior::sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                       const RandomStream& rng, int threads,
                                       std::vector<Matrix>& out) const {
  out.resize(static_cast<size_t>(samples));
  const Index P = m_mean.size();
  parallelFor(threads, samples, [&](Index s) {
    Vector weights(P);
    MlpWorkspace workspace;
    sampleWeights(rng, s, weights.data());
    out[static_cast<size_t>(s)] = kernel().forward(weights.data(), x, workspace);
  });
}

PosteriorSummary MeanFieldPosterior::summary() const {
  return summaryFromFlat(layout(), PosteriorKind::Gaussian, m_mean, m_std);
}

BAYESLAB_END_NAMESPACE
