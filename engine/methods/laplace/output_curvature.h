#pragma once
// The curvature of the log-likelihood in the network output f, as square-root
// factors ("seeds") that are pulled back through the network to the weights.
//
// Generalised Gauss-Newton (GGN, Schraudolph 2002; Martens 2020): the Hessian of
// -log p(D | w) with the network linearised,
//   G = sum_n J_n^T Lambda_n J_n,   Lambda_n = -d^2/df^2 log p(y_n | f_n) = R_n R_n^T,
// where J_n = df(x_n)/dw. For the engine's likelihoods (exponential families in
// their natural parameter, so Lambda_n does not depend on y_n and equals the
// Fisher information):
//   Gaussian, noise s:   Lambda = I / s^2                       R = I / s      (K columns)
//   Bernoulli (logit f): Lambda = p (1 - p),  p = sigmoid(f)    R = sqrt(p (1 - p))
//   softmax:             Lambda = diag(p) - p p^T               R = diag(sqrt p) - p sqrt(p)^T
// (the last since (diag(sqrt p) - p sqrt(p)^T)(diag(sqrt p) - sqrt(p) p^T)
//  = diag(p) - 2 p p^T + p (sum_k p_k) p^T).
// Empirical Fisher (EF): sum_n g_n g_n^T with g_n = J_n^T d/df log p(y_n | f_n),
// a single seed per example, the per-example gradient (Kunstner et al. 2019 on
// why it is not the Fisher).
#include "engine/likelihood/likelihood.h"

BAYESLAB_BEGIN_NAMESPACE

enum class OutputCurvature { Ggn, EmpiricalFisher };

// Seeds per example: K (outputs) for the Gaussian and softmax GGN, 1 otherwise.
Index seedsPerExample(OutputCurvature kind, const Likelihood& likelihood, Index outputs);

// seeds: K x (M C), columns n C .. n C + C - 1 belong to example n (column n of f).
void outputSeeds(OutputCurvature kind, const Likelihood& likelihood, const Real* likelihoodParams,
                 const Eigen::Ref<const Matrix>& f, const TargetView& y, Eigen::MatrixXd& seeds);

BAYESLAB_END_NAMESPACE
