#pragma once
// The score of a fully factorised Gaussian q(w) = prod_i N(w_i; mu_i, sigma_i^2):
//   log q(w) = sum_i [ -(w_i - mu_i)^2 / (2 sigma_i^2) - log sigma_i - log(2 pi) / 2 ],
//   d log q / d mu_i    = (w_i - mu_i) / sigma_i^2          = eps_i / sigma_i,
//   d log q / d sigma_i = ((w_i - mu_i)^2 / sigma_i^2 - 1) / sigma_i = (eps_i^2 - 1) / sigma_i,
// with eps = (w - mu) / sigma. The score-function (REINFORCE) estimator weights it by
// the data term; E_q[score] = 0 is what makes a baseline subtractable.
#include <cmath>
#include <numbers>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

// log q(w) for n entries.
inline double meanFieldLogDensity(const Real* w, const Real* mu, const Real* sigma, Index n) {
  const ConstArrayMap s(sigma, n);
  const auto eps = (ConstArrayMap(w, n) - ConstArrayMap(mu, n)) / s;
  return -0.5 * static_cast<double>(eps.square().sum()) - static_cast<double>(s.log().sum()) -
         static_cast<double>(n) * 0.5 * std::log(2.0 * std::numbers::pi);
}

// dMu += weight * d log q / d mu and dSigma += weight * d log q / d sigma at
// w = mu + sigma * eps (n entries).
inline void addMeanFieldScore(const Real* eps, const Real* sigma, Index n, Real weight, Real* dMu,
                              Real* dSigma) {
  const ConstArrayMap e(eps, n);
  const auto scaled = weight * ConstArrayMap(sigma, n).inverse();
  ArrayMap(dMu, n) += scaled * e;
  ArrayMap(dSigma, n) += scaled * (e.square() - Real(1));
}

BAYESLAB_END_NAMESPACE
