#pragma once
// A posterior represented by a set of weight vectors w_1 .. w_K: the members of a
// deep ensemble, or (later) the thinned draws of SGLD or HMC. The predictive is the
// equally weighted mixture over them,
//   p(y | x) ~ (1/K) sum_k p(y | f(x; w_k)),
// and the weight views show the samples themselves plus their mean and standard
// deviation (1/K normalisation, the moments of the empirical distribution).
//
// Function draw s is sample s mod K when S >= K draws are asked for, and sample
// floor(s K / S) when S < K (evenly spaced over all samples, so a long Markov
// chain is not represented by its first draws only). Callers estimating the
// predictive should ask for a multiple of K draws or fewer than K (for an
// ensemble: exactly K, the exact ensemble predictive).
//
// Samplers (SGLD, HMC) also pass their chain structure: the samples are then
// stored chain after chain, oldest first, with the training step each was kept
// at, and trace() returns them per chain.
#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

class SamplePosterior final : public Posterior {
 public:
  // samples: one flat weight vector per sample (at least one).
  SamplePosterior(MlpKernel kernel, Vector likelihoodParameters, std::vector<Vector> samples);
  // chainLengths: how many of the samples (in order) belong to each chain;
  // steps: the training step of each sample (same length as samples).
  SamplePosterior(MlpKernel kernel, Vector likelihoodParameters, std::vector<Vector> samples,
                  std::vector<Index> chainLengths, std::vector<Index> steps);

  bool isDeterministic() const override { return m_samples.size() == 1; }
  void sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples, const RandomStream& rng,
                     int threads, std::vector<Matrix>& out) const override;
  PosteriorSummary summary() const override;
  Vector flatMean() const override { return m_mean; }
  Vector flatStd() const override { return m_std; }
  SampleTrace trace(Index parameter) const override;

  Index sampleCount() const { return static_cast<Index>(m_samples.size()); }
  const std::vector<Vector>& samples() const { return m_samples; }

 private:
  std::vector<Vector> m_samples;
  std::vector<Index> m_chainLengths, m_steps;  // empty unless built from chains
  Vector m_mean, m_std;
};

BAYESLAB_END_NAMESPACE
