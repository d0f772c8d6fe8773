#pragma once
// The semi-implicit posterior of SIVI: a draw is eps ~ N(0, I_D),
// psi = g(eps) = m + z(eps) (mixing_network.h), then w = psi + sigma e,
// e ~ N(0, I_P).
// Function draws use one whole weight vector per draw (consistent functions
// across inputs); draw s takes its eps and e from rng.derive(s).
//
// The marginal q(w_i) is a continuous mixture of Gaussians, in general neither
// Gaussian nor symmetric. Its moments, for flatMean / flatStd / summary, are
//   E[w_i] = m_i + a_i^T E[h],   Var[w_i] = sigma_i^2 + a_i^T Cov[h] a_i,
// with h = tanh(B eps + c) and a_i = exp(tau_i) A_i the effective i-th row of
// the read-out (mixing_network.h); E[h] and Cov[h] are
// estimated from kMomentDraws = 4096 draws of eps from a fixed stream (the
// weight noise e is integrated exactly). Fixed draws make the moments a smooth
// function of the parameters: a live view does not flicker between
// snapshots. summary() also carries kSummaryDraws = 200 seeded weight draws
// (fewer for large networks, at most 2^20 values in all), so the weight views
// and posterior.json show the non-Gaussian marginals.
#include "engine/methods/posterior.h"
#include "engine/methods/sivi/mixing_network.h"

BAYESLAB_BEGIN_NAMESPACE

class SiviPosterior final : public Posterior {
 public:
  static constexpr Index kMomentDraws = 4096;
  static constexpr Index kSummaryDraws = 200;

  // networkParams: the mixing network's parameters (its layout); sigma: P.
  SiviPosterior(MlpKernel kernel, Vector likelihoodParameters, MixingNetwork network,
                Vector networkParams, Vector sigma);

  void sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples, const RandomStream& rng,
                     int threads, std::vector<Matrix>& out) const override;
  PosteriorSummary summary() const override;
  Vector flatMean() const override { return m_mean; }
  Vector flatStd() const override { return m_std; }

  // The weights of draw s (P values): w = m + z(eps) + sigma e.
  void sampleWeights(const RandomStream& rng, Index s, Real* weights) const;
  // How many weight draws summary() carries for this network.
  Index summaryDrawCount() const;

 private:
  MixingNetwork m_network;
  Vector m_params, m_sigma, m_scale;  // m_scale: exp(tau)
  Vector m_mean, m_std;
};

BAYESLAB_END_NAMESPACE
