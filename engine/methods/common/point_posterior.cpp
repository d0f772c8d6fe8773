#include "engine/methods/common/point_posterior.h"

BAYESLAB_BEGIN_NAMESPACE

PointPosterior::PointPosterior(MlpKernel kernel, Vector likelihoodParameters, Vector weights)
    : Posterior(std::move(kernel), std::move(likelihoodParameters)),
      m_weights(std::move(weights)) {}

void PointPosterior::sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                   const RandomStream&, int, std::vector<Matrix>& out) const {
  out.resize(static_cast<size_t>(samples));
  if (samples == 0) return;
  MlpWorkspace workspace;
  out[0] = kernel().forward(m_weights.data(), x, workspace);
  for (size_t s = 1; s < out.size(); ++s) out[s] = out[0];
}

PosteriorSummary PointPosterior::summary() const {
  return summaryFromFlat(layout(), PosteriorKind::Point, m_weights, Vector::Zero(m_weights.size()));
}

BAYESLAB_END_NAMESPACE
