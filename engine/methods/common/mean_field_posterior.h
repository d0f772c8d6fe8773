#pragma once
// A fully factorised Gaussian over all weights and biases,
//   q(w) = prod_i N(w_i; mu_i, sigma_i^2),
// the approximate posterior of Bayes by Backprop and its variants. Function
// draws sample a whole weight vector per draw (consistent functions across x).
#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

class MeanFieldPosterior final : public Posterior {
 public:
  MeanFieldPosterior(MlpKernel kernel, Vector likelihoodParameters, Vector mean, Vector std);

  void sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples, const RandomStream& rng,
                     int threads, std::vector<Matrix>& out) const override;
  PosteriorSummary summary() const override;
  Vector flatMean() const override { return m_mean; }
  Vector flatStd() const override { return m_std; }

  // w = mu + sigma * eps with eps from rng.derive(s): the weights of draw s.
  void sampleWeights(const RandomStream& rng, Index s, Real* weights) const;

 private:
  Vector m_mean, m_std;
};

BAYESLAB_END_NAMESPACE
