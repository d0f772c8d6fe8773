#pragma once
// Student-t prior with nu degrees of freedom and scale s:
//   log p(w) = log G((nu+1)/2) - log G(nu/2) - log(s sqrt(nu pi)) - (nu+1)/2 log(1 + w^2 / (nu
//   s^2)), d/dw log p(w) = -(nu + 1) w / (nu s^2 + w^2).
// Heavy tails (a Gaussian scale mixture with inverse-gamma variances). The KL to a
// Gaussian has no closed form: methods use the Monte Carlo estimate.
#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

class StudentTPrior final : public Prior {
 public:
  StudentTPrior(double dof, double scale);
  const char* id() const override { return "student_t"; }
  std::string describe() const override;
  double logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                    const PriorContext& context = {}) const override;
  double density(double w) const override;

 private:
  double m_dof, m_scale, m_logNormaliser;
};

PriorDescriptor studentTPriorDescriptor();

BAYESLAB_END_NAMESPACE
