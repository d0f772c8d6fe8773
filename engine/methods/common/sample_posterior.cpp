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

SamplePosterior::SamplePosterior(MlpKernel kernel, Vector likelihoodParameters,
                                 std::vector<Vector> samples, std::vector<Index> chainLengths,
                                 std::vector<Index> steps)
    : SamplePosterior(std::move(kernel), std::move(likelihoodParameters), std::move(samples)) {
  m_chainLengths = std::move(chainLengths);
  m_steps = std::move(steps);
}

SampleTrace SamplePosterior::trace(Index parameter) const {
  SampleTrace t;
  size_t next = 0;
  for (Index length : m_chainLengths) {
    std::vector<double> values;
    std::vector<Index> steps;
    for (Index j = 0; j < length && next < m_samples.size(); ++j, ++next) {
      values.push_back(static_cast<double>(m_samples[next](parameter)));
      steps.push_back(next < m_steps.size() ? m_steps[next] : j);
    }
    t.values.push_back(std::move(values));
    t.steps.push_back(std::move(steps));
  }
  return t;
}

void SamplePosterior::sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                    const RandomStream&, int threads,
                                    std::vector<Matrix>& out) const {
  out.resize(static_cast<size_t>(samples));
  const Index K = sampleCount();
  const Index distinct = std::min<Index>(samples, K);
  parallelFor(threads, distinct, [&](Index s) {
    MlpWorkspace workspace;
    const Index k = samples >= K ? s : s * K / samples;  // evenly spaced when S < K
    out[static_cast<size_t>(s)] =
        kernel().forward(m_samples[static_cast<size_t>(k)].data(), x, workspace);
  });
  for (Index s = distinct; s < samples; ++s)
    out[static_cast<size_t>(s)] = out[static_cast<size_t>(s % K)];
}

PosteriorSummary SamplePosterior::summary() const {
  return summaryFromFlat(layout(), PosteriorKind::Samples, m_mean, m_std, &m_samples);
}

BAYESLAB_END_NAMESPACE
