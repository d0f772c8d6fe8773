#pragma once
// Inducing weights (Ritter, Kukla, Zhang, Li 2021, "Sparse Uncertainty
// Representation in Deep Learning with Inducing Weights", NeurIPS): each
// layer's weight matrix W (bias folded in as a column) is augmented with a small
// M x N inducing matrix U under a matrix-normal joint prior whose marginal on W
// is the session's N(0, s^2); the approximate posterior is
// q(W, U) = q(U) q(W | U) (inducing_layer.h). Minimised per step:
//
//   L = -(N / B) (1/P) sum_p sum_{i in batch} log p(y_i | f_p(x_i))
//       + beta sum_layers [ KL(q(U) || p(U)) + R(lambda) ],
//
// with R(lambda) = KL(q(W | U) || p(W | U)) = d_out d (lambda^2/2 - log lambda - 1/2).
//   FFG-U (q = "ffg"):       q(V) = N(m, diag(sigma_V^2)) in whitened coordinates
//                            U = L_r V L_c^T, KL(q(U) || p(U)) = KL(q(V) || N(0, I)); P = S.
//   Ensemble-U (q = "ensemble"): q(V) = (1/K) sum_k delta(V - V_k): the members share
//                            Z_r, Z_c, D_r, D_c and lambda and differ only in V_k. The
//                            KL of a mixture of point masses is infinite, so, as for
//                            deep ensembles (MAP members), each member's
//                            KL(q(U) || p(U)) is replaced by -log p(V_k) = -log N(V_k; 0, I)
//                            (MAP in the whitened coordinates; in U's coordinates the
//                            log-determinant of L_r (x) L_c would also enter), averaged
//                            over members. Every step trains every member on the batch
//                            (P = K S passes, member k's passes weighted 1/K): the
//                            objective is the mean over members of each member's own.
// The data term and its gradient come from InducingEstimator: weight-space draws
// by the extended Matheron rule or function-space draws per input (the
// "sampling" option).
//
// The prior must be the session's Gaussian N(0, s^2) (the matrix normal's
// marginal); s changes live through setPrior(). Learned likelihood parameters
// (a Gaussian's noise) are point-estimated as in the other methods.
//
// Parameters: [layer 1 .. layer L (inducing_layer.h) | likelihood (L)].
#include <memory>

#include "engine/methods/common/gradient_method.h"
#include "engine/methods/inducing/inducing_estimator.h"

BAYESLAB_BEGIN_NAMESPACE

class InducingMethod final : public GradientMethod {
 public:
  explicit InducingMethod(const Problem& problem);

  double evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                  StepStats& stats) override;
  std::shared_ptr<const Posterior> posterior() const override;
  void setPrior(std::shared_ptr<const Prior> prior) override;

  const InducingLayout& inducingLayout() const { return m_estimator.layout(); }
  // Which layers the last step drew in function space.
  const std::vector<bool>& functionLayers() const { return m_estimator.functionLayers(); }
  const std::vector<LayerDraw>& layerDraws() const { return m_estimator.layerDraws(); }
  // Overrides the sampling option's choice of layers (tests draw every layer in
  // function space, whatever it costs).
  void setLayerSampling(LayerSampling sampling) { m_estimator.setLayerSampling(sampling); }
  double priorScale() const { return m_scale; }

 private:
  MlpKernel m_kernel;
  std::shared_ptr<const Likelihood> m_likelihood;
  InducingEstimator m_estimator;
  double m_scale;
  Index m_members;  // 0: FFG-U
  Vector m_klScratch;
};

// The inducing layout a layout and the method's (completed) options give.
InducingLayout inducingLayoutFor(const MlpLayout& layout, const OptionValues& options);

MethodDescriptor inducingMethodDescriptor();

BAYESLAB_END_NAMESPACE
