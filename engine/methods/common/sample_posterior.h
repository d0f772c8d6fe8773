#pragma once
// A posterior represented by a set of weight vectors w_1 .. w_K: the members of a
// deep ensemble, or (later) the thinned draws of SGLD or HMC. The predictive is the
// equally weighted mixture over them,
//   p(y | x) ~ (1/K) sum_k p(y | f(x; w_k)),
// and the weight views show the samples themselves plus their mean and standard
// deviation (1/K normalisation, the moments of the empirical distribution).
//
// Function draw s is sample s mod K. Callers estimating the predictive should ask
// for a multiple of K draws (for an ensemble: exactly K), otherwise the first
// samples are over-weighted; asking for K draws of an ensemble is the exact
// ensemble predictive.
#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

class SamplePosterior final : public Posterior {
 public:
  // samples: one flat weight vector per sample (at least one).
  SamplePosterior(MlpKernel kernel, Vector likelihoodParameters, std::vector<Vector> samples);

  bool isDeterministic() const override { return m_samples.size() == 1; }
  void sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples, const RandomStream& rng,
                     int threads, std::vector<Matrix>& out) const override;
  PosteriorSummary summary() const override;
  Vector flatMean() const override { return m_mean; }
  Vector flatStd() const override { return m_std; }

  Index sampleCount() const { return static_cast<Index>(m_samples.size()); }
  const std::vector<Vector>& samples() const { return m_samples; }

 private:
  std::vector<Vector> m_samples;
  Vector m_mean, m_std;
};

BAYESLAB_END_NAMESPACE
