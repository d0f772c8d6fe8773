#pragma once
// A point mass at one weight vector (MAP / MLE): every draw is the same function.
#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

class PointPosterior final : public Posterior {
 public:
  PointPosterior(MlpKernel kernel, Vector likelihoodParameters, Vector weights);

  bool isDeterministic() const override { return true; }
  void sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples, const RandomStream& rng,
                     int threads, std::vector<Matrix>& out) const override;
  PosteriorSummary summary() const override;
  Vector flatMean() const override { return m_weights; }
  Vector flatStd() const override { return Vector::Zero(m_weights.size()); }

 private:
  Vector m_weights;
};

BAYESLAB_END_NAMESPACE
