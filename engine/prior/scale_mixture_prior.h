#pragma once
// Scale mixture of two Gaussians (Blundell et al. 2015, section 3.3):
//   p(w) = pi N(w; 0, s1^2) + (1 - pi) N(w; 0, s2^2),  s1 > s2,
// a heavy-tailed, spike-and-slab-like prior: many weights near zero, a few large.
//   d/dw log p(w) = -w (r1 / s1^2 + r2 / s2^2),  r_k the posterior responsibilities.
// The KL to a Gaussian has no closed form: methods use the Monte Carlo estimate.
#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

class ScaleMixturePrior final : public Prior {
 public:
  ScaleMixturePrior(double pi, double s1, double s2);
  const char* id() const override { return "scale_mixture"; }
  std::string describe() const override;
  double logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                    const PriorContext& context = {}) const override;
  double density(double w) const override;

 private:
  double m_pi, m_s1, m_s2;
};

PriorDescriptor scaleMixturePriorDescriptor();

BAYESLAB_END_NAMESPACE
