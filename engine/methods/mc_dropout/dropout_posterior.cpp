#include "engine/methods/mc_dropout/dropout_posterior.h"

#include <cmath>

#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

DropoutPosterior::DropoutPosterior(MlpKernel kernel, Vector likelihoodParameters, Vector weights,
                                   DropoutSettings settings)
    : Posterior(std::move(kernel), std::move(likelihoodParameters)),
      m_weights(std::move(weights)),
      m_settings(settings) {}

bool DropoutPosterior::isDeterministic() const {
  for (Index l = 0; l < layout().layerCount(); ++l)
    if (m_settings.dropsInputOf(l)) return false;
  return true;
}

std::vector<Vector> DropoutPosterior::drawMasks(const RandomStream& rng, Index s) const {
  std::vector<Vector> masks(static_cast<size_t>(layout().layerCount()));
  RandomStream stream = rng.derive(static_cast<std::uint64_t>(s));
  for (Index l = 0; l < layout().layerCount(); ++l) {
    if (!m_settings.dropsInputOf(l)) continue;
    Vector& m = masks[static_cast<size_t>(l)];
    m.resize(layout().layer(l).inputs);
    stream.fillUniform(m.data(), m.size());
    m_settings.uniformsToMask(m.data(), m.size());
  }
  return masks;
}

void DropoutPosterior::sampleWeights(const RandomStream& rng, Index s, Real* weights) const {
  VectorMap(weights, m_weights.size()) = m_weights;
  const std::vector<Vector> masks = drawMasks(rng, s);
  for (Index l = 0; l < layout().layerCount(); ++l) {
    const Vector& m = masks[static_cast<size_t>(l)];
    if (m.size() == 0) continue;
    const LayerShape& shape = layout().layer(l);
    MatrixMap(weights + shape.weightOffset, shape.outputs, shape.inputs) *= m.asDiagonal();
  }
}

void DropoutPosterior::sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                     const RandomStream& rng, int threads,
                                     std::vector<Matrix>& out) const {
  out.resize(static_cast<size_t>(samples));
  const Index P = m_weights.size();
  parallelFor(threads, samples, [&](Index s) {
    Vector weights(P);
    MlpWorkspace workspace;
    sampleWeights(rng, s, weights.data());
    out[static_cast<size_t>(s)] = kernel().forward(weights.data(), x, workspace);
  });
}

Vector DropoutPosterior::flatStd() const {
  Vector sd = Vector::Zero(m_weights.size());
  const Real factor = static_cast<Real>(std::sqrt(m_settings.rate / m_settings.keep()));
  for (Index l = 0; l < layout().layerCount(); ++l) {
    if (!m_settings.dropsInputOf(l)) continue;
    const LayerShape& s = layout().layer(l);
    sd.segment(s.weightOffset, s.weightCount()) =
        factor * m_weights.segment(s.weightOffset, s.weightCount()).cwiseAbs();
  }
  return sd;
}

PosteriorSummary DropoutPosterior::summary() const {
  return summaryFromFlat(layout(), PosteriorKind::Gaussian, m_weights, flatStd());
}

BAYESLAB_END_NAMESPACE
