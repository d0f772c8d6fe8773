#pragma once
// The inducing-weight posterior q(W, U) = q(U) q(W | U), layer by layer
// (inducing_layer.h), as an immutable snapshot.
//
// Function draws (sampleOutputs): draw s takes V from q(V) (FFG-U) or member
// s mod K (Ensemble-U: K draws give each member once, the mixture's exact
// predictive), then every layer's W by the extended Matheron rule
// (matheron_sampler.h), and runs the network: whole functions, consistent
// across inputs.
//
// Marginal draws (sampleMarginalOutputs, per-input summaries): each layer is
// drawn in function space (function_space_sampler.h: exact per input) when that
// costs less than one weight draw for the inputs at hand, otherwise in weight
// space, as in training.
//
// Weight moments (summary, flatMean, flatStd) are exact, with s the prior scale,
// B_r = A_r L_r and B_c = L_c^T A_c (so A_r U A_c = B_r V B_c):
//   E[W]   = s B_r E[V] B_c,
//   Var[W] = s^2 (lambda^2 (1 - (P_r)_ii (P_c)_jj) + Var_q[(B_r V B_c)_ij]),
// with P_r = Z_r^T K_r^-1 Z_r, P_c = Z_c^T K_c^-1 Z_c (the conditional
// variance of p(W | U) is 1 - (P_r)_ii (P_c)_jj), and Var_q[(B_r V B_c)_ij] =
// ((B_r^2) sigma_V^2 (B_c^2))_ij for FFG-U (squares element-wise), the variance
// over the K members for Ensemble-U (1/K normalisation). The summary reports
// them as a Gaussian (for Ensemble-U the marginal is a mixture of K Gaussians
// with these moments).
#include <vector>

#include "engine/methods/inducing/function_space_sampler.h"
#include "engine/methods/inducing/matheron_sampler.h"
#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

class InducingPosterior final : public Posterior {
 public:
  // params: the layers' parameters (layout.parameterCount values); priorScale: s.
  InducingPosterior(MlpKernel kernel, Vector likelihoodParameters, InducingLayout layout,
                    Vector params, Real priorScale);
  InducingPosterior(const InducingPosterior&) = delete;
  InducingPosterior& operator=(const InducingPosterior&) = delete;

  void sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples, const RandomStream& rng,
                     int threads, std::vector<Matrix>& out) const override;
  void sampleMarginalOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                             const RandomStream& rng, int threads,
                             std::vector<Matrix>& out) const override;
  PosteriorSummary summary() const override;
  Vector flatMean() const override { return m_mean; }
  Vector flatStd() const override { return m_std; }

  // The flat weights (network layout) of draw s: V from rng.derive(s) (or
  // member s mod K), then each layer by the Matheron rule. Layers with
  // only[l] == false are left untouched (when only is given).
  void sampleWeights(const RandomStream& rng, Index s, Real* weights,
                     const std::vector<bool>* only = nullptr) const;

  const InducingLayout& inducingLayout() const { return m_layout; }

 private:
  void computeMoments();

  InducingLayout m_layout;
  Vector m_params;
  Real m_scale;
  std::vector<InducingFactors> m_factors;
  std::vector<FunctionSpaceConstants> m_constants;
  Vector m_mean, m_std;
};

BAYESLAB_END_NAMESPACE
