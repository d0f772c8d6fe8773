#pragma once
// A fully factorised Gaussian over all weights and biases,
//   q(w) = prod_i N(w_i; mu_i, sigma_i^2),
// the approximate posterior of Bayes by Backprop and its variants. Function
// draws sample a whole weight vector per draw (consistent functions across x).
//
// Marginal draws (per-input summaries) may instead use local
// reparameterisation (Kingma, Salimans, Welling 2015): for one input a, the
// pre-activations z = W a + b of a layer are independent Gaussians with mean
// mu_W a + mu_b and variance sigma_W^2 a^2 + sigma_b^2, so sampling z layer by
// layer gives exactly the output distribution at that input. That costs two
// products per layer (the first layer's shared by all draws) and one normal per
// unit and input, against one product and one normal per weight: the cheaper
// of the two is used, by a count of multiply-adds and normals.
#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

class MeanFieldPosterior final : public Posterior {
 public:
  MeanFieldPosterior(MlpKernel kernel, Vector likelihoodParameters, Vector mean, Vector std);

  void sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples, const RandomStream& rng,
                     int threads, std::vector<Matrix>& out) const override;
  void sampleMarginalOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                             const RandomStream& rng, int threads,
                             std::vector<Matrix>& out) const override;
  PosteriorSummary summary() const override;
  Vector flatMean() const override { return m_mean; }
  Vector flatStd() const override { return m_std; }

  // w = mu + sigma * eps with eps from rng.derive(s): the weights of draw s.
  void sampleWeights(const RandomStream& rng, Index s, Real* weights) const;

 private:
  Vector m_mean, m_std;
};

BAYESLAB_END_NAMESPACE
