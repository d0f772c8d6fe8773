#include "engine/methods/common/sample_posterior.h"

#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

SamplePosterior::SamplePosterior(MlpKernel kernel, Vector likelihoodParameters,
                                 std::vector<Vector> samples)
    : Posterior(std::move(kernel), std::move(likelihoodParameters)), m_samples(std::move(samples)) {
  const Index P = layout().parameterCount();
  // Moments in double: K can be large for samplers, and the spread small.
  Eigen::ArrayXd sum = Eigen::ArrayXd::Zero(P), sumSq = Eigen::ArrayXd::Zero(P);
  for (const Vector& w : m_samples) sum += w.array().cast<double>();
  const double K = static_cast<double>(m_samples.size());
  const Eigen::ArrayXd mean = sum / std::max(K, 1.0);
  for (const Vector& w : m_samples) sumSq += (w.array().cast<double>() - mean).square();
  m_mean = mean.cast<Real>().matrix();
  m_std = (sumSq / std::max(K, 1.0)).sqrt().cast<Real>().matrix();
}

void SamplePosterior::sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                    const RandomStream&, int threads,
                                    std::vector<Matrix>& out) const {
  out.resize(static_cast<size_t>(samples));
  const Index K = sampleCount();
  const Index distinct = std::min<Index>(samples, K);
  parallelFor(threads, distinct, [&](Index s) {
    MlpWorkspace workspace;
    out[static_cast<size_t>(s)] =
        kernel().forward(m_samples[static_cast<size_t>(s)].data(), x, workspace);
  });
  for (Index s = distinct; s < samples; ++s)
    out[static_cast<size_t>(s)] = out[static_cast<size_t>(s % K)];
}

PosteriorSummary SamplePosterior::summary() const {
  return summaryFromFlat(layout(), PosteriorKind::Samples, m_mean, m_std, &m_samples);
}

BAYESLAB_END_NAMESPACE
