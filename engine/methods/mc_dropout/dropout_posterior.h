#pragma once
// The MC dropout posterior (Gal & Ghahramani 2016): weights W_l diag(m_l) / (1 - p),
// with Bernoulli(1 - p) masks m_l on the inputs of the dropped layers. A function
// draw uses one mask per draw, shared by every input x (a draw is one weight sample),
// so sampled functions are smooth and the predictive mean is the Monte Carlo average
// over masks ("MC dropout"), not the deterministic network.
//
// Weight-view summary: the moments of the effective weights under the mask
// distribution, in closed form. With inverted dropout,
//   E[w] = W,   sd[w] = |W| sqrt(p / (1 - p))   for weights whose input is dropped,
// and sd = 0 for biases and undropped weights. The distribution itself is a spike at
// 0 and one at W / (1 - p), not a Gaussian: the summary gives only its moments.
#include "engine/methods/mc_dropout/dropout_kernel.h"
#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

class DropoutPosterior final : public Posterior {
 public:
  DropoutPosterior(MlpKernel kernel, Vector likelihoodParameters, Vector weights,
                   DropoutSettings settings);

  bool isDeterministic() const override;
  void sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples, const RandomStream& rng,
                     int threads, std::vector<Matrix>& out) const override;
  PosteriorSummary summary() const override;
  Vector flatMean() const override { return m_weights; }
  Vector flatStd() const override;

  // The masks of draw s (from rng.derive(s)): per layer, d_in values 0 or 1 / (1 - p);
  // empty for layers whose input is not dropped.
  std::vector<Vector> drawMasks(const RandomStream& rng, Index s) const;
  // The weights of draw s: every dropped layer's W with its columns scaled by the mask.
  void sampleWeights(const RandomStream& rng, Index s, Real* weights) const;

 private:
  Vector m_weights;
  DropoutSettings m_settings;
};

BAYESLAB_END_NAMESPACE
