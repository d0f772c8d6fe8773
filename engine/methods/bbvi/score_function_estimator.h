#pragma once
// The score-function (REINFORCE) estimator of the data term's gradient, as in black
// box variational inference (Ranganath, Gerrish & Blei 2014). It only needs the
// log-likelihood at sampled weights, never its gradient with respect to w:
//
//   w_s = mu + sigma * eps_s,   f_s = sum_{i in batch} log p(y_i | x_i, w_s),
//   D ~ (1/S) sum_s f_s,
//   dD/d(mu, sigma) ~ (1/S) sum_s (f_s - b_s) * grad log q(w_s),
//   grad_mu log q = eps / sigma,   grad_sigma log q = (eps^2 - 1) / sigma.
//
// Since E_q[grad log q] = 0, any baseline b_s independent of w_s leaves the estimate
// unbiased while removing most of its variance (a control variate):
//   S >= 2: b_s = (1 / (S - 1)) sum_{t != s} f_t, the leave-one-out mean. Using the
//           mean of all S samples instead would scale the estimate by (S - 1) / S.
//   S = 1:  an exponential moving average of the f of past steps (decay 0.9, with
//           Adam's bias correction); 0 on the first step.
// Without the control variate (b_s = 0) the variance grows with f^2, which for a
// whole minibatch's log-likelihood is enormous: the lesson of the method. The
// likelihood parameters, which are not sampled, get the usual pathwise gradient.
#include <vector>

#include "engine/methods/common/data_term_estimator.h"
#include "engine/model/mlp_kernel.h"

BAYESLAB_BEGIN_NAMESPACE

class ScoreFunctionEstimator final : public DataTermEstimator {
 public:
  ScoreFunctionEstimator(const Problem& problem, bool controlVariate);
  double estimate(const StepInput& input, const Real* mu, const Real* sigma, const Real* phi,
                  Real gradientScale, Real* dMu, Real* dSigma, Real* dPhi) override;
  // "cv_baseline": the mean baseline of the last step, scaled by N / B like the
  // expected log-likelihood it is subtracted from.
  void addExtras(StepStats& stats) const override;

  // f_s of the last estimate.
  double sampleLogLikelihood(Index s) const { return m_sampleLogLik[static_cast<size_t>(s)]; }

 private:
  struct Unit {
    MlpWorkspace workspace;
    Vector likelihoodGradient;
    double logLikelihood = 0.0;
  };

  MlpKernel m_kernel;
  std::shared_ptr<const Likelihood> m_likelihood;
  bool m_controlVariate;
  Matrix m_eps, m_weights;  // P x S
  std::vector<Unit> m_units;
  std::vector<double> m_sampleLogLik;
  std::vector<Real> m_sampleWeight;
  // Moving average of past f (S = 1).
  double m_average = 0.0;
  Index m_averageCount = 0;
  double m_lastBaseline = 0.0;
};

BAYESLAB_END_NAMESPACE
