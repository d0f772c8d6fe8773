#pragma once
// The Laplace posterior q(w) = N(w*, Sigma) (laplace_covariance.h) as a Posterior
// snapshot, with two predictives:
//
//   mc   draws w_s = w* + eps_s and runs the network: f(x; w_s) (Ritter et al. 2018).
//   glm  the network linearised at w* (linearised_network.h): f(x; w*) + J(x) eps_s.
//        Under q the linearised outputs are Gaussian, N(f(x; w*), J Sigma J^T); this is
//        the predictive that matches how the GGN curvature was derived, and it behaves much
//        better than mc for the same Sigma (Immer, Korzepa & Bauer 2021).
// For classification with glm, classProbabilities() gives the probit approximation
// (MacKay 1992; Gibbs 1997 for the softmax; as in Daxberger et al. 2021):
//   p(y = k | x) ~ softmax_k(mu / sqrt(1 + (pi/8) v)),  mu = f(x; w*), v_k = (J Sigma J^T)_kk
// (for a Bernoulli logit: sigmoid(mu / sqrt(1 + pi v / 8))), used for the predictive mean,
// the test log-likelihood and accuracy; the draws still give the epistemic spread.
// Draw s uses rng.derive(s) whatever the thread count.
#include <memory>

#include "engine/methods/laplace/laplace_covariance.h"
#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

enum class LaplacePredictive { MonteCarlo, Linearised };

struct LaplaceEvidenceSummary {
  double logMarginalLikelihood = 0.0;
  double priorPrecision = 0.0;       // NaN unless the prior is isotropic
  double effectiveParameters = 0.0;  // gamma = sum e_i / (e_i + lambda); NaN likewise
};

class LaplacePosterior final : public Posterior {
 public:
  LaplacePosterior(MlpKernel kernel, Vector likelihoodParameters, Vector mode,
                   std::shared_ptr<const LaplaceCovariance> covariance,
                   LaplacePredictive predictive, LaplaceEvidenceSummary evidence);

  void sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples, const RandomStream& rng,
                     int threads, std::vector<Matrix>& out) const override;
  PosteriorSummary summary() const override;
  Vector flatMean() const override { return m_mode; }
  Vector flatStd() const override { return m_std; }
  bool classProbabilities(const Eigen::Ref<const Matrix>& x, const Likelihood& likelihood,
                          int threads, Matrix& out) const override;

  // Exact moments of the linearised outputs at x: mean f(x; w*) and variances
  // diag(J Sigma J^T), both d_out x M.
  void linearisedMoments(const Eigen::Ref<const Matrix>& x, int threads, Matrix& mean,
                         Matrix& variance) const;
  // w - w* of draw s.
  void sampleDeviation(const RandomStream& rng, Index s, Real* eps) const;

  const LaplaceCovariance& covariance() const { return *m_covariance; }
  LaplacePredictive predictive() const { return m_predictive; }
  const LaplaceEvidenceSummary& evidence() const { return m_evidence; }

 private:
  Vector m_mode, m_std;
  std::shared_ptr<const LaplaceCovariance> m_covariance;
  LaplacePredictive m_predictive;
  LaplaceEvidenceSummary m_evidence;
};

BAYESLAB_END_NAMESPACE
